import { analyzeWithPack, deployReadiness, fromMockedResources, policies, ReadinessItem } from "../../policy/api";
import { PolicyPackConfigInput, Violation } from "../../policy/harness";
import { sampleEvents } from "../events/samples";
import { planResources, PlanResource } from "./describe";
import { MockedResource } from "./mocks";
import { Outcome, outcomeOf } from "./outcomes";
import { EventRouting, PlannedSubscription, plannedSubscriptions, routeEvents } from "./routing";
import { runProgram } from "./run";

/** Options of {@link createPlan}. */
export interface PlanOptions {
  /** Compiled program (file or folder) or a function declaring resources. */
  readonly program: string | (() => unknown);
  /** Events to route (Event Grid schema or CloudEvents). @default the five sample events, as real workspaces send them */
  readonly events?: readonly unknown[];
  /** The clock workflows see (`utcNow()`). @default "2026-11-22T09:00:00Z" */
  readonly now?: string;
  /** Policy pack config, as given to `--policy-pack-config`. @default the pack's defaults */
  readonly policyConfig?: PolicyPackConfigInput;
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
}

/** Runs the program on the mock engine and routes the events through what it declared. */
export async function createPlan(options: PlanOptions): Promise<Plan> {
  const run = await runProgram(options.program);
  const subscriptions = plannedSubscriptions(run.resources);
  const routing = routeEvents(options.events ?? sampleEvents(), subscriptions).map((r) => ({
    ...r,
    outcomes: r.delivered.map((subscription) => ({ subscription, outcome: outcomeOf(subscription, r.event, options.now) })),
  }));
  const inputs = fromMockedResources(run.resources);
  const analysis = await analyzeWithPack(inputs, options.policyConfig);
  const readiness = deployReadiness(policies, inputs, analysis);
  return { resources: planResources(run.resources), raw: run.resources, outputs: run.outputs, subscriptions, routing, violations: analysis.violations, readiness };
}
