import { Plan } from "../plan/plan";
import { DeadLetteredEvent } from "./records";

/** What the program would do with a dead-lettered event today. */
export interface Explanation {
  readonly eventId: string;
  readonly eventType: string;
  /** Subscription that dead-lettered it (upper-case, as in the blob path). */
  readonly deadLetteredBy: string;
  readonly deadLetterReason: string;
  /** The declared subscription with that name, if the program still declares one. */
  readonly subscription?: string;
  /** `delivered` (with the outcome), `filtered-out` (with the failing clause), or `not-declared`. */
  readonly verdict: "delivered" | "filtered-out" | "not-declared";
  /** The outcome at the destination, or the first failing clause and why. */
  readonly detail: string;
  /** Every other declared subscription that would receive it today. */
  readonly alsoDeliveredTo: readonly string[];
}

/**
 * Explains dead-lettered events against a plan made with those events (`createPlan({ program, events })`, same
 * order): which declared subscription dead-lettered each one, whether its filter still matches and with which
 * clause it fails, and what its workflow or Function would do now.
 */
export function explainDeadLetters(events: readonly DeadLetteredEvent[], plan: Plan): Explanation[] {
  return events.map((event, i) => {
    const routed = plan.routing[i];
    const same = (n: string) => n.toUpperCase() === event.path.subscription.toUpperCase();
    const base = { eventId: event.id, eventType: event.eventType, deadLetteredBy: event.path.subscription, deadLetterReason: event.deadLetterReason };
    const also = routed.delivered.filter((s) => !same(s.name)).map((s) => s.name);
    const delivered = routed.outcomes.find((o) => same(o.subscription.name));
    if (delivered) {
      return { ...base, subscription: delivered.subscription.name, verdict: "delivered", detail: `${delivered.subscription.endpointType} ${delivered.subscription.target}: ${delivered.outcome.summary}`, alsoDeliveredTo: also };
    }
    const skipped = routed.skipped.find((s) => same(s.subscription.name));
    if (skipped) {
      return { ...base, subscription: skipped.subscription.name, verdict: "filtered-out", detail: `${skipped.clause}: ${skipped.reason}`, alsoDeliveredTo: also };
    }
    return { ...base, verdict: "not-declared", detail: `the program declares no subscription named ${event.path.subscription} on this event's topic (renamed, removed, or another workspace)`, alsoDeliveredTo: also };
  });
}
