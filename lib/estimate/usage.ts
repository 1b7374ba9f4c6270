/**
 * What one delivered or evaluated event costs in operations (pure): Event Grid operations, Logic App
 * executions (the simulator's own counts), Function executions, emails, Data Factory activity runs and
 * the ML jobs they start.
 *
 * Event Grid: "Operations are defined as event ingress, advanced match, delivery attempt, and management
 * calls" (Microsoft Learn, Event Grid overview, and https://azure.microsoft.com/pricing/details/event-grid/).
 * Retries (Microsoft Learn, "Event Grid message delivery and retry",
 * https://learn.microsoft.com/azure/event-grid/delivery-and-retry): a 2xx ends delivery; 400, 401 and 413
 * are not retried (dead-lettered at once when a dead-letter destination is set); other failures are
 * retried up to the subscription's maxDeliveryAttempts (default 30) and then dead-lettered.
 */
import { isRecord } from "../events/parse";
import { EventGridEvent } from "../events/types";
import { MockedResource } from "../plan/mocks";
import { isEmailCall, Outcome } from "../plan/outcomes";
import { PlannedSubscription } from "../plan/routing";
import { BATCH_ACTIVITIES } from "../retraining/batchPipeline";

/** Counts of billable operations; all fields per event (or summed). */
export interface Usage {
  /** Event Grid: events published to the system topic. */
  eventGridPublish: number;
  /** Event Grid: advanced filter evaluations (subscriptions with advanced filters the event reaches them through type and subject). */
  eventGridAdvancedMatches: number;
  /** Event Grid: delivery attempts, retries our destinations' answers cause included. */
  eventGridDeliveryAttempts: number;
  /** Event Grid: events written to a dead-letter container. */
  eventGridDeadLetters: number;
  /** Logic Apps: built-in trigger and action executions. */
  logicAppActions: number;
  /** Logic Apps: standard connector action executions. */
  logicAppConnectorActions: number;
  /** Azure Functions executions (the deployer). */
  functionExecutions: number;
  /** Emails sent. */
  emails: number;
  /** Data Factory pipeline runs started. */
  pipelineRuns: number;
  /** Data Factory activity runs (batch polling loops at `batchJobMinutes`). */
  activityRuns: number;
  /** ML jobs the pipelines start (batch endpoint jobs and AML pipeline jobs). */
  mlJobs: number;
}

/** The fields of {@link Usage}, in display order. */
export const USAGE_KEYS: readonly (keyof Usage)[] = [
  "eventGridPublish", "eventGridAdvancedMatches", "eventGridDeliveryAttempts", "eventGridDeadLetters",
  "logicAppActions", "logicAppConnectorActions", "functionExecutions", "emails", "pipelineRuns", "activityRuns", "mlJobs",
];

/** A usage with every count 0. */
export function zeroUsage(): Usage {
  return Object.fromEntries(USAGE_KEYS.map((k) => [k, 0])) as unknown as Usage;
}

/** Adds `b × factor` into `a`. */
export function addUsage(a: Usage, b: Usage, factor = 1): Usage {
  for (const k of USAGE_KEYS) a[k] += b[k] * factor;
  return a;
}

/** One event routed across its topic's subscriptions, with the outcome at each receiving one. */
export interface RoutedForEstimate {
  readonly event: EventGridEvent;
  readonly skipped: readonly { readonly subscription: PlannedSubscription; readonly clause: string }[];
  readonly outcomes: readonly { readonly subscription: PlannedSubscription; readonly outcome: Outcome }[];
}

const NOT_RETRIED = new Set([400, 401, 413]);

function maxDeliveryAttempts(sub: PlannedSubscription, raw: readonly MockedResource[]): number {
  const r = raw.find((x) => x.name === sub.resourceName && x.type.startsWith("azure-native:eventgrid:"));
  const n = isRecord(r?.inputs.retryPolicy) ? r.inputs.retryPolicy.maxDeliveryAttempts : undefined;
  return typeof n === "number" && n >= 1 ? n : 30;
}

/** Attempts and dead-letter writes of one delivery, from the status the destination answers. */
function delivery(status: number, sub: PlannedSubscription, raw: readonly MockedResource[]): { attempts: number; deadLetters: number } {
  if (status >= 200 && status < 300) return { attempts: 1, deadLetters: 0 };
  const attempts = NOT_RETRIED.has(status) ? 1 : maxDeliveryAttempts(sub, raw);
  return { attempts, deadLetters: sub.deadLettered ? 1 : 0 };
}

interface PipelineCount { runs: number; jobs: number }

function activitiesOf(a: Record<string, unknown>): unknown[] {
  const inner = a.activities ?? (isRecord(a.typeProperties) ? a.typeProperties.activities : undefined);
  return Array.isArray(inner) ? inner : [];
}

/** Activity runs and ML jobs of one pipeline run; an Until loop runs once per poll for `jobMinutes`. */
export function pipelineActivityRuns(activities: readonly unknown[], jobMinutes: number): PipelineCount {
  const out: PipelineCount = { runs: 0, jobs: 0 };
  for (const a of activities) {
    if (!isRecord(a)) continue;
    out.runs += 1;
    if (a.name === BATCH_ACTIVITIES.invoke || a.type === "AzureMLExecutePipeline") out.jobs += 1;
    const inner = activitiesOf(a);
    if (inner.length === 0) continue;
    const wait = inner.find((x) => isRecord(x) && x.type === "Wait" && typeof x.waitTimeInSeconds === "number") as { waitTimeInSeconds: number } | undefined;
    const loops = a.type === "Until" ? Math.max(1, Math.ceil((jobMinutes * 60) / Math.max(1, wait?.waitTimeInSeconds ?? 60))) : 1;
    const sub = pipelineActivityRuns(inner, jobMinutes);
    out.runs += sub.runs * loops;
    out.jobs += sub.jobs * loops;
  }
  return out;
}

function pipelineRun(url: string, raw: readonly MockedResource[], jobMinutes: number): PipelineCount {
  const name = decodeURIComponent(/\/pipelines\/([^/?]+)\/createRun/i.exec(url)?.[1] ?? "");
  const p = raw.find((r) => r.type === "azure-native:datafactory:Pipeline" && (r.inputs.pipelineName === name || r.name === name));
  return p && Array.isArray(p.inputs.activities) ? pipelineActivityRuns(p.inputs.activities, jobMinutes) : { runs: 0, jobs: 0 };
}

function outcomeUsage(u: Usage, sub: PlannedSubscription, outcome: Outcome, raw: readonly MockedResource[], jobMinutes: number): void {
  const status = outcome.usage?.statusCode ?? 200;
  const d = delivery(status, sub, raw);
  u.eventGridDeliveryAttempts += d.attempts;
  u.eventGridDeadLetters += d.deadLetters;
  if (outcome.usage) {
    u.logicAppActions += (outcome.usage.executions - outcome.usage.connectorActions) * d.attempts;
    u.logicAppConnectorActions += outcome.usage.connectorActions * d.attempts;
  }
  if (sub.functionApp) u.functionExecutions += 1;
  u.emails += outcome.calls.filter(isEmailCall).length;
  for (const call of outcome.calls.filter((c) => /\/createRun\?/.test(c.url))) {
    const p = pipelineRun(call.url, raw, jobMinutes);
    u.pipelineRuns += 1;
    u.activityRuns += p.runs;
    u.mlJobs += p.jobs;
  }
}

/**
 * The operations one event causes: its ingress, an advanced match for each subscription whose advanced
 * filters it reaches, and per receiving subscription the delivery attempts, dead letters and the
 * destination's own executions. A failing answer is retried, and each retry runs the workflow again.
 */
export function eventUsage(routed: RoutedForEstimate, raw: readonly MockedResource[], jobMinutes: number): Usage {
  const u = zeroUsage();
  u.eventGridPublish = 1;
  const advanced = (s: PlannedSubscription): boolean => (s.filter.advancedFilters ?? []).length > 0;
  u.eventGridAdvancedMatches =
    routed.outcomes.filter((o) => advanced(o.subscription)).length + routed.skipped.filter((s) => advanced(s.subscription) && s.clause.startsWith("advancedFilters")).length;
  for (const { subscription, outcome } of routed.outcomes) outcomeUsage(u, subscription, outcome, raw, jobMinutes);
  return u;
}
