/**
 * The loop the plan follows past the first hop: a retraining run started with a retrained model
 * (`retrainedModel` on DriftRetrainTrigger) registers it, and the ModelRegistered event that follows is
 * routed through the same subscriptions, to the deployer rule that deploys it (or to nothing).
 */
import { EventGridEvent } from "../events/types";
import { BATCH_ACTIVITIES } from "../retraining/batchPipeline";
import { followingModelRegistered } from "../retraining/retrainedModel";
import { adfWebRequest } from "../simulate/pipeline";
import { MockedResource } from "./mocks";
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
  /** The batch endpoint call the declared pipeline makes with those parameters (v2 pipelines only). */
  readonly batchCall?: PlannedCall;
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

/**
 * The batch endpoint invocation of the pipeline `createRun` starts, when the program declares that
 * pipeline with a batch invoke activity: evaluated with the run's parameters by the ADF evaluator.
 */
export function batchCallOf(run: PlannedCall, resources: readonly MockedResource[]): PlannedCall | undefined {
  const pipelineName = run.url.split("/pipelines/")[1]?.split("/")[0];
  const pipeline = resources.find((r) => r.type === "azure-native:datafactory:Pipeline" && r.inputs.pipelineName === pipelineName);
  const activities = Array.isArray(pipeline?.inputs.activities) ? (pipeline.inputs.activities as Record<string, unknown>[]) : [];
  const invoke = activities.find((a) => a.name === BATCH_ACTIVITIES.invoke);
  if (invoke === undefined || run.body === null || typeof run.body !== "object") return undefined;
  const request = adfWebRequest(invoke, { parameters: run.body as Record<string, unknown> });
  const auth = request.authentication;
  return {
    method: request.method,
    url: request.url,
    // The factory's acting identity: MSI (system), or the user-assigned one named by the factory credential.
    auth: auth ? `${auth.type}${auth.credential ? ` [credential ${auth.credential}]` : ""}${auth.resource ? ` (${auth.resource})` : ""}` : "none",
    body: request.body === undefined ? undefined : (JSON.parse(request.body) as unknown),
  };
}

/** The loop steps of a plan's routing: every createRun that carries a retrained model, followed one hop further. */
export function loopSteps(routing: readonly LoopInput[], subscriptions: readonly PlannedSubscription[], now: string, resources: readonly MockedResource[] = []): LoopStep[] {
  const steps: LoopStep[] = [];
  for (const r of routing) {
    for (const { subscription, outcome } of r.outcomes) {
      for (const call of outcome.calls) {
        if (!/\/createRun\?/.test(call.url)) continue;
        const follows = followingModelRegistered(call.body, r.event);
        if (follows === undefined) continue;
        const [routed] = planEvents([follows], [...subscriptions]).routing;
        const batchCall = batchCallOf(call, resources);
        steps.push({
          causeId: r.event.id,
          startedBy: subscription.name,
          run: call,
          ...(batchCall ? { batchCall } : {}),
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
    if (s.batchCall) out.push(`    pipeline → ${s.batchCall.method} ${s.batchCall.url}  auth=${s.batchCall.auth}\n        body ${JSON.stringify(s.batchCall.body)}`);
    out.push(`    registers ${data.modelName} with tags ${JSON.stringify(data.modelTags)} → ModelRegistered ${s.follows.subject}`);
    for (const o of s.outcomes) out.push(`    → ${o.subscription}: ${o.outcome.summary}`);
    if (s.outcomes.length === 0) out.push("    → no subscription takes it: the retrained model is not deployed");
  }
  return out.join("\n");
}
