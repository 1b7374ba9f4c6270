/**
 * Pure builders behind `DriftRetrainTrigger` (driftRetrainTrigger.ts): its validation, subscription
 * name, Event Grid filter, workflow definition, and the plain inputs of the Data Factory pipeline it
 * creates. No resources are created here.
 */
import * as pulumi from "@pulumi/pulumi";
import { eventSourceProblems, isEventSource } from "../workspace/eventSource";
import { componentNameProblems, subscriptionNameClash } from "../workspace/validate";
import { AmlEventType } from "../events/types";
import { allOf, driftCoefficientAtLeast, driftMonitorIn, eventTypes } from "../filters/builders";
import { EventFilter } from "../filters/types";
import { subscriptionOf } from "../rbac/roles";
import { BreachEventField } from "../monitoring/breachFields";
import { ModelMonitorSource, modelMonitorBreachFilter } from "../monitoring/breachFilter";
import { WorkflowDefinition } from "../workflows";
import { CopyActivity, factoryId, MlStepOptions } from "./adf";
import { BATCH_ACTIVITIES, BatchPipelineActivity, BatchRetrainOptions } from "./batchPipeline";
import { buildBreachRetrainDefinition } from "./breachDefinition";
import { buildDriftRetrainDefinition } from "./definition";
import { DriftEventField } from "./driftFields";
import { retrainedModelRunParameters } from "./retrainedModel";
import { BatchEndpointRetrain, CreateRetrainPipeline, DriftRetrainTriggerArgs, ExistingRetrainPipeline, unknownDriftRetrainTriggerArgs } from "./types";
import { breachRunIdParameter, coolDownParameter, effectiveMapping, validateDriftRetrainTriggerArgs } from "./validate";

/** Default name of a created pipeline (legacy DatasetDriftDetected source). */
export const DEFAULT_RETRAIN_PIPELINE_NAME = "retrain-on-drift";
/** Default name of a created pipeline retraining on model monitor breaches. */
export const DEFAULT_BREACH_PIPELINE_NAME = "retrain-on-breach";
/** Default name of a created `AzureMLService` linked service. */
export const DEFAULT_ML_LINKED_SERVICE_NAME = "AzureMLWorkspace";

/** The suffix of the default subscription name: `breach` (v2) or `drift` (legacy v1). */
function subscriptionSuffix(args: Pick<DriftRetrainTriggerArgs, "modelMonitor">): "breach" | "drift" {
  return args.modelMonitor !== undefined ? "breach" : "drift";
}

/** The subscription's Azure name: `subscriptionName`, else the component's name with the source's suffix. */
export function triggerSubscriptionName(name: string, args: Pick<DriftRetrainTriggerArgs, "modelMonitor" | "subscriptionName">): string {
  return args.subscriptionName ?? `${name}-${subscriptionSuffix(args)}`;
}

/** Every problem with a trigger's args known at construction (unprefixed; the component names itself). */
export function driftRetrainTriggerProblems(name: string, args: DriftRetrainTriggerArgs): string[] {
  const suffix = subscriptionSuffix(args);
  const derived = args.subscriptionName === undefined ? { derived: `the default, {name}-${suffix}` } : {};
  return [
    ...unknownDriftRetrainTriggerArgs(args),
    // The component's name prefixes the subscription's Azure name unless one is given.
    ...(args.subscriptionName === undefined ? componentNameProblems(undefined, name, 63 - suffix.length) : []),
    ...eventSourceProblems("", args),
    ...validateDriftRetrainTriggerArgs(args),
    ...subscriptionNameClash(isEventSource(args.events) ? args.events : undefined, triggerSubscriptionName(name, args), { argument: "subscriptionName", ...derived }),
  ];
}

/**
 * The Event Grid filter of the trigger: with `modelMonitor`, RunStatusChanged runs carrying the breach
 * tag whatever their status (scoped to the monitors and signals); otherwise the legacy
 * DatasetDriftDetected, plus the monitor-name and coefficient filters when set.
 */
export function driftRetrainFilter(args: Pick<DriftRetrainTriggerArgs, "driftMonitorNames" | "minimumDriftCoefficient" | "modelMonitor">): EventFilter {
  if (args.modelMonitor !== undefined) return modelMonitorBreachFilter(args.modelMonitor);
  const advancedFilters = [
    ...(args.driftMonitorNames !== undefined ? [driftMonitorIn(...args.driftMonitorNames)] : []),
    ...(args.minimumDriftCoefficient !== undefined ? [driftCoefficientAtLeast(args.minimumDriftCoefficient)] : []),
  ];
  return allOf(eventTypes(AmlEventType.DatasetDriftDetected), advancedFilters.length > 0 ? { advancedFilters } : {});
}

/** The plain, construction-time definition of a trigger's workflow (what `DriftRetrainTrigger` deploys). */
export function driftRetrainDefinitionFor(args: DriftRetrainTriggerArgs): WorkflowDefinition {
  if (args.modelMonitor !== undefined) return breachRetrainDefinitionFor(args, args.modelMonitor);
  // Validation accepted only drift fields for the legacy source.
  const mapping = effectiveMapping(args) as Readonly<Record<string, DriftEventField>>;
  return buildDriftRetrainDefinition({
    mapping,
    ...(args.driftMonitorNames !== undefined ? { driftMonitorNames: args.driftMonitorNames } : {}),
    ...(args.minimumDriftCoefficient !== undefined ? { minimumDriftCoefficient: args.minimumDriftCoefficient } : {}),
    ...(args.coolDownHours !== undefined ? { coolDown: { hours: args.coolDownHours, parameter: coolDownParameter(mapping) ?? "" } } : {}),
    literalParameters: retrainedModelRunParameters(args.retrainedModel),
  });
}

function breachRetrainDefinitionFor(args: DriftRetrainTriggerArgs, monitor: ModelMonitorSource): WorkflowDefinition {
  // Validation accepted only breach fields, and a parameter mapped from runId, for the v2 source.
  const mapping = effectiveMapping(args) as Readonly<Record<string, BreachEventField>>;
  const signalParameter = coolDownParameter(mapping, true) ?? "";
  return buildBreachRetrainDefinition({
    mapping,
    monitor,
    runIdParameter: breachRunIdParameter(mapping) ?? "",
    ...(args.coolDownHours !== undefined ? { coolDown: { hours: args.coolDownHours, parameter: signalParameter } } : {}),
    literalParameters: retrainedModelRunParameters(args.retrainedModel),
  });
}

/** The warning a trigger on the legacy source logs: what stopped and what to use instead. */
export function legacyDriftWarning(name: string): string {
  return (
    `DriftRetrainTrigger("${name}") listens for DatasetDriftDetected, which only v1 dataset drift monitors send; ` +
    `Microsoft retired those on 2025-09-01, so this trigger will not fire in a current workspace. ` +
    `Pass modelMonitor: { monitors: [monitor] } (or {monitorNames, signalNames}) to retrain on model monitoring (v2) breaches.`
  );
}

/** The name of the pipeline a trigger creates: `pipelineName`, else the source's default. */
export function createdPipelineName(c: CreateRetrainPipeline, source: "modelMonitor" | "datasetDrift"): string {
  return c.pipelineName ?? (source === "modelMonitor" ? DEFAULT_BREACH_PIPELINE_NAME : DEFAULT_RETRAIN_PIPELINE_NAME);
}

/** Each run parameter handed on under its own name (the default job inputs and ML pipeline parameters). */
function sameNames(parameterNames: readonly string[]): Record<string, string> {
  return Object.fromEntries(parameterNames.map((p) => [p, p]));
}

/** The v1 route's published-pipeline step: the pipeline (by id, or endpoint and version) and its parameters. */
export function legacyMlStep(c: CreateRetrainPipeline, linkedServiceName: string, parameterNames: readonly string[]): MlStepOptions {
  const target =
    c.mlPipelineId !== undefined
      ? { mlPipelineId: c.mlPipelineId }
      : { mlPipelineEndpointId: c.mlPipelineEndpointId ?? "", ...(c.mlPipelineVersion !== undefined ? { version: c.mlPipelineVersion } : {}) };
  return {
    linkedServiceName,
    target,
    experimentName: c.experimentName ?? "",
    parameters: c.mlPipelineParameters ?? sameNames(parameterNames),
  };
}

/** The v2 route's batch options (everything but the workspace id): the endpoint, its job inputs and the poll settings. */
export function batchRetrainOptions(c: CreateRetrainPipeline, b: BatchEndpointRetrain, parameterNames: readonly string[]): Omit<BatchRetrainOptions, "workspaceId"> {
  const experimentName = b.experimentName ?? c.experimentName;
  return {
    endpoint: { ...b, ...(experimentName !== undefined ? { experimentName } : {}) },
    inputs: b.inputs ?? sameNames(parameterNames),
    ...(b.pollIntervalSeconds !== undefined ? { pollIntervalSeconds: b.pollIntervalSeconds } : {}),
    ...(b.timeoutMinutes !== undefined ? { timeoutMinutes: b.timeoutMinutes } : {}),
    ...(b.pollRetry !== undefined ? { pollRetry: b.pollRetry } : {}),
  };
}

/** The copy step first, then the batch activities with the invocation depending on it. */
export function batchAfterCopy(copy: CopyActivity, activities: readonly BatchPipelineActivity[]): (CopyActivity | BatchPipelineActivity)[] {
  return [copy, ...activities.map((a) => (a.name === BATCH_ACTIVITIES.invoke ? { ...a, dependsOn: [{ activity: copy.name, dependencyConditions: ["Succeeded"] }] } : a))];
}

/** The factory id of an existing pipeline: given, or built from names (subscription defaulting to the workspace's). */
export function existingFactoryId(existing: ExistingRetrainPipeline, workspaceId: pulumi.Output<string>): pulumi.Output<string> {
  if (existing.factoryId !== undefined) return pulumi.output(existing.factoryId);
  // validateExisting made factoryName and resourceGroupName required without factoryId.
  const { factoryName = "", resourceGroupName = "", subscriptionId } = existing;
  return workspaceId.apply((ws) =>
    factoryId({ subscriptionId: subscriptionId ?? subscriptionOf(ws)?.slice("/subscriptions/".length) ?? "", resourceGroupName, factoryName }),
  );
}
