/**
 * What a subscription's destination is declared to do, whatever the sample events: each rule of a
 * workflow or of the model deployer (its conditions in words, its recipients or endpoint) and every
 * downstream service it can call. Read from the registered resources (workflow definitions and their
 * parameters, the deployer's app settings), so the plan shows what would be deployed.
 */
import { DEPLOYER_SETTINGS } from "../deployment/constants";
import { isRecord } from "../events/parse";
import { evaluateExpression } from "../simulate/evaluate";
import { SKELETON_ACTIONS } from "../workflows/builders";
import { conditionEventTypes, conditionsInWords } from "./conditions";
import { appSettingsOf, PlannedCall } from "./outcomes";
import { PlannedSubscription } from "./routing";

/** How the map and report mark a declared target no routed event reached. */
export const NOT_REACHED = "not reached by the sample events";

/** One rule a destination applies: when it acts, and what it does then. */
export interface DeclaredRule {
  /** The workflow's `If` action (`Alert_RunStatusChanged`) or `deploy rule 1`. */
  readonly name: string;
  /** Its conditions in words; all must hold. */
  readonly conditions: readonly string[];
  /** What happens: `email to a@contoso.com, b@contoso.com`, `deploy to endpoint churn-ep`. */
  readonly action: string;
  /** Email recipients, when the rule sends mail. @default [] */
  readonly recipients: readonly string[];
  /** The event types the rule acts on, when its conditions name them. @default - any type the subscription delivers */
  readonly eventTypes?: readonly string[];
}

/** The downstream service a call reaches, as the map labels it; empty for calls that only read (queries). */
export function callTarget(call: Pick<PlannedCall, "url"> & Partial<PlannedCall>): string {
  if (/\/emails:send\?/.test(call.url)) return "Azure Communication Services\nemail";
  const pipeline = /\/factories\/([^/]+)\/pipelines\/([^/]+)\/createRun/.exec(call.url);
  if (pipeline) return `Data Factory ${pipeline[1]}\npipeline ${pipeline[2]}`;
  if (/\/queryPipelineRuns\?/.test(call.url)) return "";
  const endpoint = /\/onlineEndpoints\/([^/?]+)/.exec(call.url);
  if (endpoint) return `AML online endpoint\n${endpoint[1]}`;
  try {
    return new URL(call.url).host;
  } catch {
    return call.url;
  }
}

interface ActionNode {
  readonly name: string;
  readonly action: Record<string, unknown>;
  /** The enclosing `If`s that must be true to reach the action, outermost first (the skeleton's own checks left out). */
  readonly conditions: readonly { readonly name: string; readonly expression: string }[];
}

const SKELETON_IFS: readonly string[] = [SKELETON_ACTIONS.handshake, SKELETON_ACTIONS.check, SKELETON_ACTIONS.wellFormed];

/** Every action of a definition, nested ones included, with the `If` that guards it. */
function walkActions(actions: unknown, conditions: ActionNode["conditions"] = []): ActionNode[] {
  if (!isRecord(actions)) return [];
  return Object.entries(actions).flatMap(([name, a]) => {
    if (!isRecord(a)) return [];
    const guards = a.type === "If" && typeof a.expression === "string" && !SKELETON_IFS.includes(name) ? [...conditions, { name, expression: a.expression }] : conditions;
    return [{ name, action: a, conditions }, ...walkActions(a.actions, guards), ...(isRecord(a.else) ? walkActions(a.else.actions, conditions) : [])];
  });
}

function parameterValues(sub: PlannedSubscription): Record<string, unknown> {
  const raw = sub.workflow?.inputs.parameters;
  const out: Record<string, unknown> = {};
  if (isRecord(raw)) for (const [k, v] of Object.entries(raw)) out[k] = isRecord(v) ? v.value : v;
  return out;
}

function recipientsOf(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const to = isRecord(body.recipients) ? body.recipients.to : undefined;
  if (Array.isArray(to)) return to.map((r) => (isRecord(r) ? String(r.address) : String(r)));
  return typeof body.To === "string" ? body.To.split(";").filter((s) => s !== "") : [];
}

/** The URL of an Http action (its `uri` evaluated with the definition parameters), or an ApiConnection's path. */
function actionUrl(a: Record<string, unknown>, parameters: Record<string, unknown>): string | undefined {
  const inputs = isRecord(a.inputs) ? a.inputs : {};
  if (a.type === "ApiConnection") return typeof inputs.path === "string" ? inputs.path : undefined;
  if (a.type !== "Http" || typeof inputs.uri !== "string") return undefined;
  try {
    return String(evaluateExpression(inputs.uri, { parameters }));
  } catch {
    return inputs.uri;
  }
}

function workflowRules(sub: PlannedSubscription): DeclaredRule[] {
  const parameters = parameterValues(sub);
  return walkActions(isRecord(sub.workflow?.inputs.definition) ? sub.workflow?.inputs.definition.actions : undefined).flatMap((n) => {
    const url = actionUrl(n.action, parameters);
    const innermost = n.conditions[n.conditions.length - 1];
    if (url === undefined || innermost === undefined) return [];
    const target = callTarget({ url });
    if (target === "") return [];
    const recipients = recipientsOf(isRecord(n.action.inputs) ? n.action.inputs.body : undefined);
    const action = recipients.length > 0 ? `email to ${recipients.join(", ")}` : `call ${target.replace("\n", " ")}`;
    const eventTypes = n.conditions.flatMap((c) => conditionEventTypes(c.expression));
    const conditions = n.conditions.flatMap((c) => conditionsInWords(c.expression));
    return [{ name: innermost.name, conditions, action, recipients, ...(eventTypes.length > 0 ? { eventTypes } : {}) }];
  });
}

function deployerRules(sub: PlannedSubscription): DeclaredRule[] {
  let rules: unknown;
  try {
    rules = JSON.parse(appSettingsOf(sub.functionApp?.inputs ?? {})[DEPLOYER_SETTINGS.rules] ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(rules)) return [];
  return rules.filter(isRecord).map((r, i) => {
    const models = Array.isArray(r.models) ? [`model name is one of ${JSON.stringify(r.models)} (exactly)`] : r.anyModel === true ? ["any model name"] : [];
    const tags = isRecord(r.tags) ? Object.entries(r.tags).map(([k, v]) => `model tag ${k} is one of ${JSON.stringify(v)} (ignoring case)`) : [];
    return { name: `deploy rule ${i + 1}`, conditions: models.length + tags.length > 0 ? [...models, ...tags] : ["any model"], action: `deploy to endpoint ${String(r.endpointName)}`, recipients: [] };
  });
}

/** The rules behind a subscription's destination: a declared workflow's or the model deployer's. */
export function declaredRules(sub: PlannedSubscription): DeclaredRule[] {
  if (sub.workflow) return workflowRules(sub);
  if (sub.functionApp) return deployerRules(sub);
  return [];
}

/** The downstream services a subscription's destination can call (map labels), each once, in declaration order. */
export function declaredTargets(sub: PlannedSubscription): string[] {
  const out: string[] = [];
  const add = (t: string): void => {
    if (t !== "" && !out.includes(t)) out.push(t);
  };
  if (sub.workflow) {
    const parameters = parameterValues(sub);
    const definition = sub.workflow.inputs.definition;
    for (const n of walkActions(isRecord(definition) ? definition.actions : undefined)) {
      const url = actionUrl(n.action, parameters);
      if (url !== undefined) add(callTarget({ url }));
    }
  }
  if (sub.functionApp) for (const r of deployerRules(sub)) add(`AML online endpoint\n${r.action.replace("deploy to endpoint ", "")}`);
  return out;
}

/** A declared target and how many of the routed events reached it. */
export interface TargetReach {
  /** The target's label (a subscription's destination, or a downstream service on one line). */
  readonly target: string;
  /** Routed events that reached it; 0 means "not reached by the sample events". */
  readonly events: number;
}

/** What a subscription declares and what the routed events did with it. */
export interface SubscriptionReach {
  /** Events delivered to the subscription's destination. */
  readonly delivered: number;
  readonly rules: readonly DeclaredRule[];
  /** Every downstream service the destination can call, reached or not. */
  readonly targets: readonly TargetReach[];
}

/** A subscription's declared rules and targets, with how many routed events reached each. */
export function subscriptionReach(sub: PlannedSubscription, routing: readonly { readonly outcomes: readonly { readonly subscription: PlannedSubscription; readonly outcome: { readonly calls: readonly PlannedCall[] } }[] }[]): SubscriptionReach {
  const mine = routing.map((r) => r.outcomes.filter((o) => o.subscription.resourceName === sub.resourceName));
  const targets = declaredTargets(sub).map((t) => ({
    target: t.replace("\n", " "),
    events: mine.filter((outcomes) => outcomes.some((o) => o.outcome.calls.some((c) => callTarget(c) === t))).length,
  }));
  // A workflow fed by several subscriptions: each shows the rules for the event types it delivers.
  const types = sub.filter.includedEventTypes ?? [];
  const rules = declaredRules(sub).filter((r) => types.length === 0 || r.eventTypes === undefined || r.eventTypes.some((t) => types.includes(t)));
  return { delivered: mine.filter((o) => o.length > 0).length, rules, targets };
}
