/**
 * The worst-case time before an Event Grid workflow answers its delivery, computed from the definition
 * (pure). Event Grid waits 30 seconds for an answer; after that it queues the event for retry (Microsoft
 * Learn, "Event Grid message delivery and retry", https://learn.microsoft.com/azure/event-grid/delivery-and-retry),
 * so a slower workflow makes Event Grid deliver again while the first run still works.
 *
 * The model, conservative at every step:
 * - an action map costs its critical path along `runAfter` (Logic Apps runs actions whose `runAfter`
 *   is met in parallel, so siblings without an order overlap); an `If` costs its dearer branch; a `Scope` its actions; a `Foreach` `eventsPerDelivery` times its body (our subscriptions
 *   deliver one event per request); an `Until` `limit.count` times its body, or `limit.timeout` plus one
 *   more body when that is less (an iteration under way when the timeout lapses is counted whole);
 * - an `Http`/`ApiConnection` call costs (retries + 1) attempts, each at most its `limit.timeout` or Logic
 *   Apps' outbound request timeout of 120 s (Learn, "Limits and configuration reference for Azure Logic
 *   Apps", timeout duration: outbound request 120 seconds, multitenant), plus the waits of its retry
 *   policy (Learn, "Handle errors and exceptions in Azure Logic Apps", retry policies: the Default policy
 *   sends up to 4 retries at intervals that scale by 7.5 s, capped between 5 and 45 s — counted at 45 s
 *   each; `fixed` waits `interval`; `exponential` waits up to twice the grown interval, capped by
 *   `maximumInterval`, whose documented default is one day);
 * - every other action costs {@link ACTION_ALLOWANCE_SECONDS}, an allowance of ours: Microsoft documents
 *   no per-action engine time.
 * Whether `limit.timeout` also ends a synchronous call before 120 s is not stated by Learn (it is
 * documented for the asynchronous pattern), so the attempts are counted at the timeout we set: where Azure
 * ignored it, the call could take up to 120 s and Event Grid would redeliver (never lose) the event.
 */
import { ActionMap, WorkflowDefinition } from "./types";

/** Event Grid's wait for an answer, in seconds. */
export const EVENT_GRID_RESPONSE_SECONDS = 30;
/** Logic Apps' outbound request timeout (multitenant), in seconds. */
export const OUTBOUND_REQUEST_TIMEOUT_SECONDS = 120;
/** Our allowance for an action that calls nothing (Compose, variables, Query, Response…), in seconds. */
export const ACTION_ALLOWANCE_SECONDS = 0.1;
/**
 * The time limit of every call a workflow makes while Event Grid waits (createRun, email sends): with no
 * in-action retry, a slow or failing call fails the event, the workflow answers 429/503, and Event Grid's
 * own retry schedule (then its dead-letter) takes over, so nothing is acknowledged that was not handled.
 */
export const EVENT_CALL_TIMEOUT = "PT5S";
const DEFAULT_RETRIES = 4;
const DEFAULT_RETRY_CAP_SECONDS = 45;
const EXPONENTIAL_DEFAULT_MAX_SECONDS = 86_400;

/** Seconds of an ISO 8601 duration (`PT8S`, `PT1M30S`, `P1D`); throws on anything else. */
export function durationSeconds(iso: string): number {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (m === null || iso === "P" || iso.endsWith("T")) throw new Error(`not an ISO 8601 duration: ${JSON.stringify(iso)} (expected e.g. "PT10S")`);
  const [d, h, min, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return d * 86_400 + h * 3600 + min * 60 + s;
}

interface Policy {
  readonly type?: string;
  readonly count?: number;
  readonly interval?: string;
  readonly maximumInterval?: string;
}

/** The waits between attempts of a retry policy, in seconds, worst case. */
export function retryWaitsSeconds(policy: Policy | undefined): number[] {
  const type = (policy?.type ?? "default").toLowerCase();
  switch (type) {
    case "none":
      return [];
    case "default":
      return Array<number>(DEFAULT_RETRIES).fill(DEFAULT_RETRY_CAP_SECONDS);
    case "fixed":
      return Array<number>(policy?.count ?? 0).fill(durationSeconds(policy?.interval ?? "PT0S"));
    case "exponential": {
      const base = durationSeconds(policy?.interval ?? "PT0S");
      const cap = policy?.maximumInterval !== undefined ? durationSeconds(policy.maximumInterval) : EXPONENTIAL_DEFAULT_MAX_SECONDS;
      return Array.from({ length: policy?.count ?? 0 }, (_, k) => Math.min(cap, base * 2 ** (k + 1)));
    }
    default:
      throw new Error(`unknown retry policy type ${JSON.stringify(policy?.type)}`);
  }
}

interface Costed {
  readonly type: string;
  readonly inputs?: { readonly retryPolicy?: Policy };
  readonly limit?: { readonly count?: number; readonly timeout?: string };
  readonly actions?: ActionMap;
  readonly else?: { readonly actions?: ActionMap };
}

function callSeconds(a: Costed): number {
  const waits = retryWaitsSeconds(a.inputs?.retryPolicy);
  const attempt = a.limit?.timeout !== undefined ? Math.min(durationSeconds(a.limit.timeout), OUTBOUND_REQUEST_TIMEOUT_SECONDS) : OUTBOUND_REQUEST_TIMEOUT_SECONDS;
  return (waits.length + 1) * attempt + waits.reduce((x, y) => x + y, 0);
}

function actionSeconds(a: Costed, eventsPerDelivery: number): number {
  const body = (): number => mapSeconds(a.actions ?? {}, eventsPerDelivery);
  switch (a.type) {
    case "Http":
    case "ApiConnection":
      return callSeconds(a);
    case "If":
      return ACTION_ALLOWANCE_SECONDS + Math.max(body(), mapSeconds(a.else?.actions ?? {}, eventsPerDelivery));
    case "Scope":
      return ACTION_ALLOWANCE_SECONDS + body();
    case "Foreach":
      return ACTION_ALLOWANCE_SECONDS + eventsPerDelivery * body();
    case "Until": {
      const each = body();
      const byCount = (a.limit?.count ?? 60) * each;
      return ACTION_ALLOWANCE_SECONDS + (a.limit?.timeout !== undefined ? Math.min(byCount, durationSeconds(a.limit.timeout) + each) : byCount);
    }
    default:
      return ACTION_ALLOWANCE_SECONDS;
  }
}

/** The critical path of an action map: an action starts when the last action it runs after ends (siblings without order run in parallel). */
function mapSeconds(actions: ActionMap, eventsPerDelivery: number): number {
  const finish = new Map<string, number>();
  const finishOf = (name: string, seen: readonly string[]): number => {
    const known = finish.get(name);
    if (known !== undefined) return known;
    const a = actions[name];
    if (a === undefined || seen.includes(name)) return 0;
    const start = Math.max(0, ...Object.keys(a.runAfter).map((dep) => finishOf(dep, [...seen, name])));
    const end = start + actionSeconds(a as Costed, eventsPerDelivery);
    finish.set(name, end);
    return end;
  };
  return Math.max(0, ...Object.keys(actions).map((name) => finishOf(name, [])));
}

/**
 * Worst-case seconds from the trigger to the workflow's answer, for a definition whose Response is its
 * last action (every Event Grid workflow we build: see builders.ts). Rounded up to a tenth of a second.
 */
export function responseBoundSeconds(definition: Pick<WorkflowDefinition, "actions">, eventsPerDelivery = 1): number {
  return Math.ceil(mapSeconds(definition.actions, eventsPerDelivery) * 10) / 10;
}
