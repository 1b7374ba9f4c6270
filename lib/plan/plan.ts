import * as pulumi from "@pulumi/pulumi";
import { analyzeWithPack, deployReadiness, fromMockedResources, policies, ReadinessItem } from "../../policy/api";
import { PolicyPackConfigInput, Violation } from "../../policy/harness";
import { monitoringSampleEvents, sampleEvents } from "../events/samples";
import { planResources, PlanResource } from "./describe";
import { MockedResource } from "./mocks";
import { LoopStep, loopSteps } from "./loop";
import { Outcome, outcomeOf, PlannedFactoryRuns } from "./outcomes";
import { deterministicGuid } from "../rbac/guid";
import { EventGridEvent } from "../events/types";
import { EventRouting, normalizeWorkspaceId, PlannedSubscription, plannedSubscriptions, planEvents, RejectedEvent } from "./routing";
import { runFromEngineOutput } from "./engineInput";
import { ProgramRun, runProgram } from "./run";
import { undeclaredMonitorFindings } from "./breachScope";
import { emailQuotaFindings } from "./emailQuota";
import { EstimateOptions, estimateOperations, OperationsEstimate } from "../estimate/estimate";

/** Options of {@link createPlan}. */
export interface PlanOptions {
  /** Compiled program (file or folder) or a function declaring resources. */
  readonly program: string | (() => unknown);
  /** Events to route (Event Grid schema or CloudEvents). @default the sample events of every declared workspace, as real workspaces send them */
  readonly events?: readonly unknown[];
  /** The clock workflows see (`utcNow()`). @default "2026-11-22T09:00:00Z" */
  readonly now?: string;
  /** Policy pack config, as given to `--policy-pack-config`. @default the pack's defaults */
  readonly policyConfig?: PolicyPackConfigInput;
  /** Stack config the program reads (`namespace:key` → value), as `pulumi config set` would set it. @default {} */
  readonly config?: Readonly<Record<string, string>>;
  /** Event rates and prices of the operations and cost estimate. @default the default rates and the dated price table */
  readonly estimate?: EstimateOptions;
}

/** Routing of one event with the outcome at each destination. */
export interface RoutedEvent extends EventRouting {
  readonly outcomes: readonly { readonly subscription: PlannedSubscription; readonly outcome: Outcome }[];
}

/** The offline plan: what a program declares, and what the events would do. */
export interface Plan {
  readonly resources: PlanResource[];
  readonly raw: MockedResource[];
  readonly outputs: Record<string, unknown>;
  readonly subscriptions: PlannedSubscription[];
  readonly routing: RoutedEvent[];
  /** The policy pack's violations on the declared resources. */
  readonly violations: Violation[];
  /** Per resource, the deploy-time pitfalls (deploy-readiness policies) it hits or avoids. @default [] (plans built by hand) */
  readonly readiness?: ReadinessItem[];
  /** Input events that could not be planned, with their position and reason. */
  readonly rejected: RejectedEvent[];
  /** The workspaces whose system topics the program declares (ARM ids as written). */
  readonly workspaces: string[];
  /** Where the routed events came from: generated samples, or the caller's events. */
  readonly eventsFrom: "samples" | "input";
  /** The clock workflows saw (`utcNow()`), ISO 8601. */
  readonly now: string;
  /** Problems the plan found in the program beyond the policy pack (e.g. a topic created outside its workspace's subscription). */
  readonly findings: string[];
  /** Retraining runs followed one hop further: the model they register and where it goes. @default [] */
  readonly loop?: LoopStep[];
  /** A month of operations and their cost per workspace, at the given event rates. @default undefined (plans built by hand) */
  readonly estimate?: OperationsEstimate;
}

function subscriptionOfId(id: string): string | undefined {
  return /^\/subscriptions\/([^/]+)\//i.exec(id)?.[1]?.toLowerCase();
}

/**
 * Each system topic must be created in its workspace's subscription, i.e. by a provider for that
 * subscription: a topic whose id (built from its provider's subscription) names another one means the
 * wrong `provider` was passed. Whether ARM accepts a cross-subscription source is not documented for
 * AML workspaces (docs/guides/limits-and-caveats.md); the plan reports it rather than guess.
 */
export function topicSubscriptionFindings(resources: readonly MockedResource[]): string[] {
  return resources
    .filter((r) => r.type === "azure-native:eventgrid:SystemTopic" && typeof r.inputs.source === "string" && r.id !== undefined)
    .flatMap((r) => {
      const topicSub = subscriptionOfId(r.id as string);
      const sourceSub = subscriptionOfId(r.inputs.source as string);
      if (!topicSub || !sourceSub || topicSub === sourceSub) return [];
      return [
        `system topic ${r.name} would be created in subscription ${topicSub} (its provider's), but its workspace ${String(r.inputs.source)} is in subscription ${sourceSub}: ` +
          `pass the WorkspaceEvents an azure-native Provider whose subscriptionId is ${sourceSub} (opts.provider or providers).`,
      ];
    });
}

/** The plan's default clock, fixed so that two plans of the same program are identical. */
export const DEFAULT_PLAN_NOW = "2026-11-22T09:00:00Z";

/** Workspace ids that the program's system topics listen to, in declaration order, each once. */
export function declaredWorkspaces(resources: readonly MockedResource[]): string[] {
  const seen = new Map<string, string>();
  for (const r of resources) {
    if (r.type !== "azure-native:eventgrid:SystemTopic" || typeof r.inputs.source !== "string") continue;
    if (!/\/providers\/Microsoft\.MachineLearningServices\/workspaces\//i.test(r.inputs.source)) continue;
    const key = normalizeWorkspaceId(r.inputs.source);
    if (!seen.has(key)) seen.set(key, r.inputs.source);
  }
  return [...seen.values()];
}

/** One workspace's samples: the five documented event types, then the model monitoring (v2) breach, its return to Completed and an ordinary failed training run. */
export function planSampleEvents(workspaceId?: string): EventGridEvent[] {
  return [...sampleEvents(workspaceId), ...monitoringSampleEvents(workspaceId)];
}

/**
 * The sample events of every declared workspace (its own topic id, every sample event type); event ids
 * stay unique across workspaces. Without a declared workspace, the samples of the default one.
 */
export function workspaceSampleEvents(workspaces: readonly string[]): EventGridEvent[] {
  if (workspaces.length === 0) return planSampleEvents();
  return workspaces.flatMap((ws, i) => planSampleEvents(ws).map((e) => (i === 0 ? e : { ...e, id: deterministicGuid(`${ws}|${e.id}`) })));
}

/** Runs the program on the mock engine and routes the events through what it declared. */
export async function createPlan(options: PlanOptions): Promise<Plan> {
  for (const [key, value] of Object.entries(options.config ?? {})) pulumi.runtime.setConfig(key, value);
  return planOfRun(await runProgram(options.program), options);
}

/** Options of a plan of engine output: those of a program's plan but the program and its config. */
export type EnginePlanOptions = Omit<PlanOptions, "program" | "config">;

/**
 * The same plan of what the real engine produced for a program in any language (`pulumi preview
 * --json` or `pulumi stack export`, parsed): routing, simulation, loop, readiness and policy.
 */
export async function createPlanFromEngineOutput(doc: unknown, options: EnginePlanOptions = {}): Promise<Plan> {
  return planOfRun(runFromEngineOutput(doc), options);
}

/** Routes the events through the resources of a run, simulates, follows the loop and runs the pack. */
async function planOfRun(run: ProgramRun, options: EnginePlanOptions): Promise<Plan> {
  const now = options.now ?? DEFAULT_PLAN_NOW;
  const subscriptions = plannedSubscriptions(run.resources);
  const workspaces = declaredWorkspaces(run.resources);
  const planned = planEvents(options.events ?? workspaceSampleEvents(workspaces), subscriptions);
  const factoryRuns: PlannedFactoryRuns = new Map(); // one memory for the routing: a breach's later events find its run
  const routing = planned.routing.map((r) => ({
    ...r,
    outcomes: r.delivered.map((subscription) => ({ subscription, outcome: outcomeOf(subscription, r.event, now, factoryRuns) })),
  }));
  const loop = loopSteps(routing, subscriptions, now, run.resources);
  const inputs = fromMockedResources(run.resources);
  const analysis = await analyzeWithPack(inputs, options.policyConfig);
  const readiness = deployReadiness(policies, inputs, analysis);
  return {
    resources: planResources(run.resources),
    raw: run.resources,
    outputs: run.outputs,
    subscriptions,
    routing,
    violations: analysis.violations,
    readiness,
    rejected: planned.rejected,
    workspaces,
    eventsFrom: options.events ? "input" : "samples",
    now,
    findings: [...topicSubscriptionFindings(run.resources), ...emailQuotaFindings(run.resources, subscriptions), ...undeclaredMonitorFindings(run.resources)],
    loop,
    estimate: estimateOperations({ routing, subscriptions, raw: run.resources, workspaces, now }, options.estimate),
  };
}
