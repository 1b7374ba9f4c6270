import { deploymentBody, endpointBody, previewDeployment } from "../deployment/arm";
import { DEPLOYER_SETTINGS } from "../deployment/constants";
import { Decision as DeploymentDecision, DeployRule } from "../deployment/decision";
import { EventGridEvent } from "../events/types";
import { isRecord } from "../events/parse";
import { SimulatedAction, simulateWorkflow } from "../simulate/workflow";
import { SKELETON_ACTIONS } from "../workflows/builders";
import { UNKNOWN_SENTINEL } from "./armResponses";
import { failedCondition } from "./conditions";
import { PlannedSubscription } from "./routing";

/** An HTTP call a workflow or handler would make, as the plan shows it. */
export interface PlannedCall {
  readonly method: string;
  readonly url: string;
  /** `ManagedServiceIdentity (https://…)` or `none`. */
  readonly auth: string;
  readonly body?: unknown;
  /**
   * `exact` when `body` is the request body as sent; `summary` when only its essentials can be known
   * offline (e.g. the traffic PUT, whose body depends on the endpoint's current traffic). @default "exact"
   */
  readonly bodyKind?: "exact" | "summary";
  /** When the call happens, if conditional. */
  readonly when?: string;
}

/** What a Logic App run of one delivery executes, as the simulator counted it (for the operations estimate). */
export interface WorkflowUsage {
  /** Billable executions: the trigger plus every action that ran (Logic Apps meters neither skipped actions nor actions that never ran). */
  readonly executions: number;
  /** Of those, actions of managed (standard) connectors (`ApiConnection`), billed at the connector rate. */
  readonly connectorActions: number;
  /** The HTTP status the workflow answers Event Grid with (202 when it has no Response action). */
  readonly statusCode: number;
}

/** What a delivered event leads to at its destination. */
export interface Outcome {
  /** One-line summary, e.g. `email to ml-oncall@contoso.com: "Run failed …"`. */
  readonly summary: string;
  /** The calls that would be made. */
  readonly calls: readonly PlannedCall[];
  /** For a Logic App destination, what its run executes. @default undefined (other destinations) */
  readonly usage?: WorkflowUsage;
}

function get(obj: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), obj);
}

/** The app settings of a Function App resource's inputs, as a map. */
export function appSettingsOf(inputs: Record<string, unknown>): Record<string, string> {
  const list = get(inputs, "siteConfig", "appSettings");
  const out: Record<string, string> = {};
  if (Array.isArray(list)) for (const s of list) if (isRecord(s) && typeof s.name === "string") out[s.name] = String(s.value ?? "");
  return out;
}

/** Whether a planned call sends an email (an ACS send request: recipients and a subject). */
export function isEmailCall(call: PlannedCall): boolean {
  return Array.isArray(get(call.body, "recipients", "to")) && typeof get(call.body, "content", "subject") === "string";
}

function describeCall(call: PlannedCall): string {
  const body = call.body;
  const to = get(body, "recipients", "to");
  const subject = get(body, "content", "subject");
  if (isEmailCall(call) && Array.isArray(to)) {
    return `email to ${to.map((r) => String(get(r, "address"))).join(", ")}: "${subject}"`;
  }
  if (/\/createRun\?/.test(call.url)) return `start Data Factory pipeline ${call.url.split("/pipelines/")[1]?.split("/")[0] ?? ""} with ${JSON.stringify(body)}`;
  return `${call.method} ${call.url}`;
}

/** A pipeline run the plan started, as Data Factory's queryPipelineRuns would list it. */
interface PlannedPipelineRun {
  readonly runId: string;
  readonly pipelineName: string;
  readonly status: string;
  readonly runStart: string;
  readonly parameters: unknown;
}

/**
 * What the plan's simulated Data Factories remember across the events of one routing: the runs each
 * `createRun` started, by factory, so a later event of the same breach (a redelivery, the tagged run's
 * later status change) finds the run, as it would in Azure. Create one per routing.
 */
export type PlannedFactoryRuns = Map<string, PlannedPipelineRun[]>;

/** The factory part of a Data Factory URL (`…/factories/<name>`), lower-cased, or undefined. */
function factoryOf(url: string): string | undefined {
  return /^(.*\/factories\/[^/?]+)/i.exec(url)?.[1].toLowerCase();
}

/** Answers the retraining workflow's Data Factory calls from the remembered runs. */
function factoryAnswer(memory: PlannedFactoryRuns, req: unknown, now: string): { statusCode: number; body: unknown } | undefined {
  const url = String(get(req, "uri"));
  const factory = factoryOf(url);
  if (factory === undefined) return undefined;
  const runs = memory.get(factory) ?? [];
  if (/\/createRun\?/.test(url)) {
    const runId = `00000000-run-0000-0000-${String(runs.length + 1).padStart(12, "0")}`;
    const pipelineName = decodeURIComponent(url.split("/pipelines/")[1]?.split("/")[0] ?? "");
    memory.set(factory, [...runs, { runId, pipelineName, status: "InProgress", runStart: now, parameters: get(req, "body") }]);
    return { statusCode: 200, body: { runId } };
  }
  if (/\/queryPipelineRuns\?/.test(url)) {
    const filters = get(req, "body", "filters");
    const byName = Array.isArray(filters) ? filters.find((f) => get(f, "operand") === "PipelineName") : undefined;
    const names = get(byName, "values");
    return { statusCode: 200, body: { value: Array.isArray(names) ? runs.filter((r) => names.includes(r.pipelineName)) : runs } };
  }
  return undefined;
}

/**
 * A workflow's parameter values as its inputs hold them. A first `pulumi preview` prints parameters computed
 * from ids Azure assigns at creation (a factory's, say) as one unknown value: then every declared parameter
 * is unknown (the engine's sentinel), and the simulation runs with it rather than failing.
 */
function workflowParameters(value: unknown, definition: unknown): Record<string, { type?: string; value: unknown }> {
  if (value === undefined || isRecord(value)) return (value ?? {}) as Record<string, { type?: string; value: unknown }>;
  const declared = get(definition, "parameters");
  return Object.fromEntries(Object.keys(isRecord(declared) ? declared : {}).map((name) => [name, { value: UNKNOWN_SENTINEL }]));
}

/** Runs the event through the Logic App behind a subscription, on the simulator (no side effects). */
function workflowOutcome(sub: PlannedSubscription, event: EventGridEvent, now: string, memory: PlannedFactoryRuns): Outcome {
  const inputs = sub.workflow?.inputs ?? {};
  const definition = inputs.definition;
  const parameters = workflowParameters(inputs.parameters, definition);
  const result = simulateWorkflow(definition as Parameters<typeof simulateWorkflow>[0], { headers: { "aeg-event-type": "Notification" }, body: [event] }, {
    parameters,
    now,
    httpResponses: (_, req) => factoryAnswer(memory, req, now) ?? { statusCode: 202, body: {} },
  });
  const calls: PlannedCall[] = result.actions
    .filter((a) => (a.type === "Http" || a.type === "ApiConnection") && a.status !== "Skipped")
    .map((a) => {
      const auth = get(a.inputs, "authentication");
      return {
        method: String(get(a.inputs, "method") ?? "POST"),
        url: String(get(a.inputs, "uri") ?? get(a.inputs, "path") ?? a.name),
        auth: isRecord(auth) ? `${String(auth.type)}${auth.audience ? ` (${String(auth.audience)})` : ""}` : "none",
        body: get(a.inputs, "body"),
      };
    });
  const status = result.response ? `HTTP ${result.response.statusCode}` : result.status;
  const ran = result.actions.filter((a) => a.status !== "Skipped");
  const usage: WorkflowUsage = { executions: 1 + ran.length, connectorActions: ran.filter((a) => a.type === "ApiConnection").length, statusCode: result.response?.statusCode ?? 202 };
  if (calls.length > 0) return { summary: calls.map(describeCall).join("; "), calls, usage };
  const values = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, isRecord(v) ? v.value : v]));
  const why = whyNothing(definition, result.actions, { event, parameters: values, now });
  return { summary: `nothing to do (workflow answers ${status})${why.length > 0 ? `: ${why.join("; ")}` : ""}`, calls, usage };
}

/** The `If` expressions of a definition by action name, nested ones included. */
function ifExpressions(actions: unknown, out = new Map<string, string>()): Map<string, string> {
  if (!isRecord(actions)) return out;
  for (const [name, a] of Object.entries(actions)) {
    if (!isRecord(a)) continue;
    if (a.type === "If" && typeof a.expression === "string") out.set(name, a.expression);
    ifExpressions(a.actions, out);
    if (isRecord(a.else)) ifExpressions(a.else.actions, out);
  }
  return out;
}

/**
 * Why a run made no call, read from the simulated run: each `If` that went to its `else`, with the
 * reason its `else` branch composed, or else the first of its conditions the event fails (in words).
 * `If`s that only fail on the event type (another rule's) and the handshake check are left out.
 */
function whyNothing(definition: unknown, actions: readonly SimulatedAction[], ctx: Parameters<typeof failedCondition>[1]): string[] {
  const expressions = ifExpressions(isRecord(definition) ? definition.actions : undefined);
  const out: string[] = [];
  for (const a of actions) {
    if (a.type !== "If" || a.status === "Skipped" || a.name === SKELETON_ACTIONS.handshake || get(a.inputs, "expression") !== false) continue;
    const composed = actions.find((c) => c.type === "Compose" && c.status === "Succeeded" && c.path.startsWith(`${a.path}/else/`) && typeof get(c.inputs, "reason") === "string");
    if (composed) {
      out.push(`${a.name}: ${String(get(composed.inputs, "reason"))}`);
      continue;
    }
    const failed = failedCondition(expressions.get(a.name) ?? "", ctx);
    if (failed !== undefined && !failed.startsWith("event type is")) out.push(`${a.name}: ${failed}`);
  }
  return [...new Set(out)];
}

function deploymentOutcome(sub: PlannedSubscription, event: EventGridEvent): Outcome {
  const settings = appSettingsOf(sub.functionApp?.inputs ?? {});
  let rules: DeployRule[] = [];
  try {
    rules = JSON.parse(settings[DEPLOYER_SETTINGS.rules] ?? "[]") as DeployRule[];
  } catch {
    return { summary: `the Function App's ${DEPLOYER_SETTINGS.rules} setting is not JSON`, calls: [] };
  }
  const preview = previewDeployment(event, {
    workspaceId: settings[DEPLOYER_SETTINGS.workspaceId] ?? "",
    rules,
    location: settings[DEPLOYER_SETTINGS.workspaceLocation] ?? "westeurope",
  });
  const d = preview.decision;
  return {
    summary: d.action === "deploy" ? `deploy ${d.modelName}:${d.modelVersion} to endpoint ${d.endpointName} as ${d.deploymentName}` : `ignore (${d.reason})`,
    calls: preview.requests.map((r) => ({ method: r.method, url: r.url, auth: "ManagedIdentity (https://management.azure.com)", ...exactBody(r.body, d, settings), when: r.when })),
  };
}

/**
 * The deployer's endpoint and deployment PUT bodies as it sends them (the preview carries only their
 * essentials); the traffic PUT depends on the endpoint's live traffic, so it stays a labelled summary.
 */
function exactBody(summary: Readonly<Record<string, unknown>> | undefined, d: DeploymentDecision, settings: Record<string, string>): Pick<PlannedCall, "body" | "bodyKind"> {
  if (summary === undefined || d.action !== "deploy") return {};
  const location = settings[DEPLOYER_SETTINGS.workspaceLocation] ?? "westeurope";
  if ("authMode" in summary) return { body: endpointBody(d.rule, location), bodyKind: "exact" };
  if ("model" in summary) return { body: deploymentBody(d, settings[DEPLOYER_SETTINGS.workspaceId] ?? "", location), bodyKind: "exact" };
  return { body: summary, bodyKind: "summary" };
}

/** A webhook URL's path and query may carry keys: keep the origin only. */
function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/[secret]`;
  } catch {
    return "[secret]";
  }
}

/** What delivering `event` to `sub` leads to; `memory` carries the Data Factory runs started by earlier events of the routing. */
export function outcomeOf(sub: PlannedSubscription, event: EventGridEvent, now = "2026-11-22T09:00:00Z", memory: PlannedFactoryRuns = new Map()): Outcome {
  if (sub.workflow) return workflowOutcome(sub, event, now, memory);
  if (sub.functionApp) return deploymentOutcome(sub, event);
  switch (sub.endpointType) {
    case "EventHub":
      return { summary: `streamed to ${sub.target} (with the topic's identity)`, calls: [] };
    case "StorageQueue":
    case "ServiceBusQueue":
    case "ServiceBusTopic":
      return { summary: `enqueued on ${sub.target}`, calls: [] };
    default:
      return { summary: `POSTed to ${sub.target}`, calls: [{ method: "POST", url: redactUrl(sub.targetId), auth: "none", body: [event] }] };
  }
}
