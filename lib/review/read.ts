/**
 * Reads a `plan.json` (written by `aml-events plan`, any format so far) into the parts a review
 * compares. Pure: takes the parsed JSON and the file name for messages; anything that is not a plan
 * throws a {@link PlanFileError} naming the file and what is missing.
 */
import { isRecord } from "../events/parse";

/** A file that is not a readable plan: the message names the file, what is wrong and how to fix it. */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanFileError";
  }
}

/** A downstream call as the plan writes it. */
export interface ReviewCall {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
}

/** One delivery of an event: the subscription and what happened at its destination. */
export interface ReviewDelivery {
  readonly subscription: string;
  /** The destination's label, when the plan names it. @default "" */
  readonly target: string;
  readonly summary: string;
  readonly calls: readonly ReviewCall[];
  /** Set on a loop step's own calls (the retraining run the subscription started): no delivery of its own. */
  readonly retraining?: true;
}

/** An event the plan routed (a sample or input event, or a loop step's ModelRegistered). */
export interface ReviewEvent {
  /** Identity within a plan: the event id, or `loop|<cause event id>|<subscription>` for a loop step. */
  readonly id: string;
  readonly eventType: string;
  readonly subject: string;
  /** The workspace id the event comes from. @default "" (format 1 plans) */
  readonly topic: string;
  /** Set for a loop step: the subscription whose retraining registered the model. */
  readonly after?: string;
  readonly deliveries: readonly ReviewDelivery[];
}

/** A rule a subscription's destination applies (a workflow's alert, a deploy rule), as declared. */
export interface ReviewRule {
  readonly name: string;
  readonly conditions: readonly string[];
  readonly action: string;
  readonly recipients: readonly string[];
}

/** A declared subscription. */
export interface ReviewSubscription {
  readonly name: string;
  /** The system topic's name. @default "" (format 1 plans) */
  readonly topic: string;
  readonly target: string;
  /** The filter in words (every format). */
  readonly words: readonly string[];
  /** The filter as declared (format 2 and later). */
  readonly spec?: unknown;
  /** The destination's declared rules, whatever the sample events reach. */
  readonly rules: readonly ReviewRule[];
}

/** A role assignment (format 2 and later). */
export interface ReviewGrant {
  readonly principal: string;
  readonly role: string;
  readonly scope: string;
  readonly privileged: boolean;
  readonly customRole?: string;
}

/** A custom role (format 2 and later). */
export interface ReviewRole {
  readonly resource: string;
  readonly roleName: string;
  readonly actions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notActions: readonly string[];
}

/** A policy violation. */
export interface ReviewFinding {
  readonly policyName: string;
  readonly level: string;
  readonly resourceName: string;
  readonly message: string;
}

/** What a review reads from one plan file. */
export interface ReviewPlan {
  readonly file: string;
  /** `planFormat`, 1 when absent. */
  readonly format: number;
  readonly events: readonly ReviewEvent[];
  readonly subscriptions: readonly ReviewSubscription[];
  /** Absent in plans older than format 2. */
  readonly permissions?: { readonly grants: readonly ReviewGrant[]; readonly roles: readonly ReviewRole[] };
  readonly violations: readonly ReviewFinding[];
  /** Names of the deploy-readiness policies (their violations are deploy-time pitfalls). */
  readonly readinessPolicies: readonly string[];
  /** Every top-level section the review does not know, as written (cost and quota estimates among them). */
  readonly otherSections: Readonly<Record<string, unknown>>;
}

/** The top-level keys this module reads; anything else is an "other section". */
export const KNOWN_SECTIONS: readonly string[] = [
  "planFormat",
  "now",
  "findings",
  "events",
  "outputs",
  "resources",
  "policy",
  "readiness",
  "permissions",
  "subscriptions",
  "routing",
  "loop",
];

const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === "string");

function readDelivery(d: unknown): ReviewDelivery | undefined {
  if (!isRecord(d)) return undefined;
  const outcome = isRecord(d.outcome) ? d.outcome : {};
  const calls = list(outcome.calls)
    .filter(isRecord)
    .map((c) => ({ method: str(c.method), url: str(c.url), ...(c.body !== undefined ? { body: c.body } : {}) }));
  return { subscription: str(d.subscription), target: str(d.target), summary: str(outcome.summary), calls };
}

function deliveriesOf(v: unknown): ReviewDelivery[] {
  return list(v)
    .map(readDelivery)
    .filter((d): d is ReviewDelivery => d !== undefined);
}

function routedEvents(doc: Record<string, unknown>): ReviewEvent[] {
  return list(doc.routing)
    .filter(isRecord)
    .map((r) => {
      const e = isRecord(r.event) ? r.event : {};
      const topic = str(e.topic);
      return { id: str(e.id), eventType: str(e.eventType), subject: str(e.subject), topic, deliveries: deliveriesOf(r.delivered) };
    });
}

function loopEvents(doc: Record<string, unknown>): ReviewEvent[] {
  return list(doc.loop)
    .filter(isRecord)
    .map((s) => {
      const follows = isRecord(s.follows) ? s.follows : {};
      const run = isRecord(s.run) ? [{ method: str(s.run.method), url: str(s.run.url), body: s.run.body }] : [];
      const batch = isRecord(s.batchCall) ? [{ method: str(s.batchCall.method), url: str(s.batchCall.url), body: s.batchCall.body }] : [];
      const starter: ReviewDelivery = { subscription: str(s.startedBy), target: "", summary: "retraining run", calls: [...run, ...batch], retraining: true };
      return {
        id: `loop|${str(s.causeId)}|${str(s.startedBy)}`,
        eventType: str(follows.eventType),
        subject: str(follows.subject),
        topic: str(follows.topic),
        after: str(s.startedBy),
        deliveries: [starter, ...deliveriesOf(s.outcomes)],
      };
    });
}

function subscriptionsOf(doc: Record<string, unknown>): ReviewSubscription[] {
  return list(doc.subscriptions)
    .filter(isRecord)
    .map((s) => ({
      name: str(s.name),
      topic: str(s.topic),
      target: str(s.target),
      words: strings(s.filter),
      rules: list(s.rules)
        .filter(isRecord)
        .map((r) => ({ name: str(r.name), conditions: strings(r.conditions), action: str(r.action), recipients: strings(r.recipients) })),
      ...(s.filterSpec !== undefined ? { spec: s.filterSpec } : {}),
    }));
}

function permissionsOf(doc: Record<string, unknown>): ReviewPlan["permissions"] {
  if (!isRecord(doc.permissions)) return undefined;
  const grants = list(doc.permissions.assignments)
    .filter(isRecord)
    .map((g) => ({ principal: str(g.principal), role: str(g.role), scope: str(g.scope), privileged: g.privileged === true, ...(typeof g.customRole === "string" ? { customRole: g.customRole } : {}) }));
  const roles = list(doc.permissions.roleDefinitions)
    .filter(isRecord)
    .map((r) => ({ resource: str(r.resource), roleName: str(r.roleName), actions: strings(r.actions), dataActions: strings(r.dataActions), notActions: strings(r.notActions) }));
  return { grants, roles };
}

function findingsOf(v: unknown): ReviewFinding[] {
  return list(v)
    .filter(isRecord)
    .map((f) => ({ policyName: str(f.policyName), level: str(f.enforcementLevel), resourceName: str(f.resourceName), message: str(f.message) }));
}

/** Reads a parsed plan.json; throws {@link PlanFileError} naming `file` when it is not one. */
export function readPlan(doc: unknown, file: string): ReviewPlan {
  const what = `${file} is not a plan.json written by \`aml-events plan\``;
  if (!isRecord(doc)) throw new PlanFileError(`${what}: expected a JSON object, got ${Array.isArray(doc) ? "an array" : doc === null ? "null" : typeof doc}. Pass the plan.json that \`aml-events plan --out <dir>\` wrote.`);
  const missing = ["routing", "subscriptions", "resources"].filter((k) => !Array.isArray(doc[k]));
  if (missing.length > 0 || !isRecord(doc.policy)) {
    const lacks = [...missing.map((k) => `"${k}" (a list)`), ...(isRecord(doc.policy) ? [] : ['"policy" (an object)'])];
    throw new PlanFileError(`${what}: it has no ${lacks.join(", ")}. Pass the plan.json that \`aml-events plan --out <dir>\` wrote.`);
  }
  const format = doc.planFormat === undefined ? 1 : doc.planFormat;
  if (typeof format !== "number" || !Number.isInteger(format) || format < 1) {
    throw new PlanFileError(`${file}: "planFormat" must be a positive whole number, got ${JSON.stringify(doc.planFormat)}.`);
  }
  const permissions = permissionsOf(doc);
  const otherSections = Object.fromEntries(Object.entries(doc).filter(([k]) => !KNOWN_SECTIONS.includes(k)));
  return {
    file,
    format,
    events: [...routedEvents(doc), ...loopEvents(doc)],
    subscriptions: subscriptionsOf(doc),
    ...(permissions ? { permissions } : {}),
    violations: findingsOf(doc.policy.violations),
    readinessPolicies: [...new Set(list(doc.readiness).filter(isRecord).map((r) => str(r.policyName)))],
    otherSections,
  };
}
