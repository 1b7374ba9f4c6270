/**
 * Routing: which subscriptions of a topic receive an event, and for the others the first clause of
 * their filter that rejected it. Built on the compiled filters of {@link evaluateFilter}, so it
 * decides exactly as evaluation does.
 */
import { CompiledFilter, compiledFilter } from "./evaluate";
import { EventFilter } from "./types";

/** A subscription as routing sees it. */
export interface RoutableSubscription {
  readonly name: string;
  readonly filter: EventFilter;
  /** Where it delivers (a resource name or URL), echoed in the result. */
  readonly destination?: string;
}

/** A subscription that receives the event. */
export interface Delivery {
  readonly name: string;
  readonly destination?: string;
}

/** A subscription that does not, with the first failing clause of its filter. */
export interface Skip {
  readonly name: string;
  /** e.g. `data.runStatus "completed" is not in ["failed"] (StringIn)`. */
  readonly reason: string;
  /** `includedEventTypes`, `subjectBeginsWith`, `subjectEndsWith` or `advancedFilters[i]`. */
  readonly clause: string;
}

/** The outcome of routing one event. Both lists keep the subscriptions' order. */
export interface RouteResult {
  readonly delivered: Delivery[];
  readonly skipped: Skip[];
}

function compileFor(sub: RoutableSubscription): CompiledFilter {
  try {
    return compiledFilter(sub.filter);
  } catch (err) {
    if (err instanceof Error) err.message = `Subscription ${JSON.stringify(sub.name)}: ${err.message}`;
    throw err;
  }
}

/**
 * Routes one Event Grid schema event across `subscriptions`. Throws `InvalidFilterError` (naming
 * the subscription) for a filter Azure would reject as malformed.
 */
export function routeEvent(event: unknown, subscriptions: readonly RoutableSubscription[]): RouteResult {
  const delivered: Delivery[] = [];
  const skipped: Skip[] = [];
  for (const sub of subscriptions) {
    const compiled = compileFor(sub);
    // explain runs the same clause tests as evaluation and stops at the first failing one.
    const miss = compiled.explain(event);
    if (miss === undefined) {
      delivered.push(sub.destination === undefined ? { name: sub.name } : { name: sub.name, destination: sub.destination });
    } else {
      skipped.push({ name: sub.name, reason: miss.reason, clause: miss.clause });
    }
  }
  return { delivered, skipped };
}
