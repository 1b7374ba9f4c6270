/**
 * The loop the plan follows past the first hop: a retraining run started with a retrained model
 * (`retrainedModel` on DriftRetrainTrigger) registers it, and the ModelRegistered event that follows is
 * routed through the same subscriptions, to the deployer rule that deploys it (or to nothing).
 */
import { EventGridEvent } from "../events/types";
import { followingModelRegistered } from "../retraining/retrainedModel";
import { Outcome, outcomeOf, PlannedCall } from "./outcomes";
import { PlannedSubscription, planEvents } from "./routing";

/** One turn of the loop: what started the retraining, the run, and where the registered model goes. */
export interface LoopStep {
  /** Id of the event whose handling started the run (e.g. the monitor breach). */
  readonly causeId: string;
  /** The subscription that started it. */
  readonly startedBy: string;
  /** The createRun call (pipeline URL and parameters). */
  readonly run: PlannedCall;
  /** The ModelRegistered event that follows when the run registers the retrained model. */
  readonly follows: EventGridEvent;
  /** Where that event is delivered and what happens there. */
  readonly outcomes: readonly { readonly subscription: string; readonly outcome: Outcome }[];
  /** Subscriptions that skip it, with the first failing clause. */
  readonly skipped: readonly { readonly subscription: string; readonly reason: string }[];
}

/** Routed events as the plan holds them (the fields the loop reads). */
export interface LoopInput {
  readonly event: EventGridEvent;
  readonly outcomes: readonly { readonly subscription: PlannedSubscription; readonly outcome: Outcome }[];
}

/** The loop steps of a plan's routing: every createRun that carries a retrained model, followed one hop further. */
export function loopSteps(routing: readonly LoopInput[], subscriptions: readonly PlannedSubscription[], now: string): LoopStep[] {
  const steps: LoopStep[] = [];
  for (const r of routing) {
    for (const { subscription, outcome } of r.outcomes) {
      for (const call of outcome.calls) {
        if (!/\/createRun\?/.test(call.url)) continue;
        const follows = followingModelRegistered(call.body, r.event);
        if (follows === undefined) continue;
        const [routed] = planEvents([follows], [...subscriptions]).routing;
        steps.push({
          causeId: r.event.id,
          startedBy: subscription.name,
          run: call,
          follows,
          outcomes: routed.delivered.map((s) => ({ subscription: s.name, outcome: outcomeOf(s, follows, now) })),
          skipped: routed.skipped.map((s) => ({ subscription: s.subscription.name, reason: s.reason })),
        });
      }
    }
  }
  return steps;
}

/** The console section: one paragraph per loop step. */
export function loopSection(steps: readonly LoopStep[]): string {
  if (steps.length === 0) return "";
  const out = [`The loop: what a retraining registers, and where it goes (${steps.length})`];
  for (const s of steps) {
    const data = s.follows.data as { modelName: string; modelTags: unknown };
    const pipeline = s.run.url.split("/pipelines/")[1]?.split("/")[0] ?? "";
    out.push(`● ${s.causeId} → ${s.startedBy} → Data Factory pipeline ${pipeline} with ${JSON.stringify(s.run.body)}`);
    out.push(`    registers ${data.modelName} with tags ${JSON.stringify(data.modelTags)} → ModelRegistered ${s.follows.subject}`);
    for (const o of s.outcomes) out.push(`    → ${o.subscription}: ${o.outcome.summary}`);
    if (s.outcomes.length === 0) out.push("    → no subscription takes it: the retrained model is not deployed");
  }
  return out.join("\n");
}
