import { FILTER_LIMITS } from "../filters/types";
import {
  ADF_OBJECT_NAME,
  ADF_PARAMETER_NAME,
  ADF_RUN_HISTORY_HOURS,
  COPY_FORMATS,
  DEFAULT_PARAMETER_MAPPING,
  DRIFT_DATA_FIELDS,
  DRIFT_ENVELOPE_FIELDS,
  isDriftEventField,
  isFactoryName,
  parseFactoryId,
} from "./adf";
import { BREACH_EVENT_FIELDS, DEFAULT_BREACH_MAPPING, isBreachEventField, RetrainEventField } from "./breachFields";
import { modelMonitorBreachFilter } from "./breachFilter";
import { retrainedModelParameterSpecs, retrainedModelProblems } from "./retrainedModel";
import { CreateRetrainPipeline, DriftRetrainTriggerArgs, ExistingRetrainPipeline } from "./types";

const show = (v: unknown): string => (v === undefined ? "undefined" : typeof v === "number" && !Number.isFinite(v) ? String(v) : JSON.stringify(v));

/**
 * The effective mapping: the given one, or the default of the source (with `modelMonitor`: signal,
 * event id and monitor run id; otherwise one parameter per drift `data` field).
 */
export function effectiveMapping(args: Pick<DriftRetrainTriggerArgs, "parameterMapping" | "modelMonitor">): Readonly<Record<string, RetrainEventField>> {
  return args.parameterMapping ?? (args.modelMonitor !== undefined ? DEFAULT_BREACH_MAPPING : DEFAULT_PARAMETER_MAPPING);
}

/**
 * The pipeline parameter the cool-down compares runs by. Legacy drift: the one mapped from
 * `dataDriftId`, else from `dataDriftName`; a breach: the one mapped from `monitorSignal`. Undefined
 * when none is mapped.
 */
export function coolDownParameter(mapping: Readonly<Record<string, RetrainEventField>>, breach = false): string | undefined {
  const entries = Object.entries(mapping);
  if (breach) return entries.find(([, f]) => f === "monitorSignal")?.[0];
  return (entries.find(([, f]) => f === "dataDriftId") ?? entries.find(([, f]) => f === "dataDriftName"))?.[0];
}

/** The pipeline parameter mapped from the monitor run's `runId` (how a repeated breach is recognised), if any. */
export function breachRunIdParameter(mapping: Readonly<Record<string, RetrainEventField>>): string | undefined {
  return Object.entries(mapping).find(([, f]) => f === "runId")?.[0];
}

function validateMapping(mapping: Readonly<Record<string, unknown>>, breach: boolean): string[] {
  const problems: string[] = [];
  const known = (breach ? BREACH_EVENT_FIELDS : [...DRIFT_DATA_FIELDS, ...DRIFT_ENVELOPE_FIELDS]).join(", ");
  const isField = breach ? isBreachEventField : isDriftEventField;
  if (Object.keys(mapping).length === 0) {
    problems.push(`parameterMapping is empty; map at least one pipeline parameter to an event field (e.g. {dataDriftName: "dataDriftName"}) or omit it for the default mapping.`);
  }
  for (const [param, field] of Object.entries(mapping)) {
    if (!ADF_PARAMETER_NAME.test(param)) {
      problems.push(
        `parameterMapping: pipeline parameter name ${show(param)} is invalid; use a letter or '_' followed by letters, digits or '_' ` +
          `so the pipeline can read it as @pipeline().parameters.<name>.`,
      );
    }
    if (!isField(field)) {
      const fields: readonly string[] = breach ? BREACH_EVENT_FIELDS : DRIFT_DATA_FIELDS;
      const hint = typeof field === "string" ? fields.find((f) => f.toLowerCase() === field.toLowerCase()) : undefined;
      problems.push(
        `parameterMapping.${param}: event field ${show(field)} is unknown; use one of ${known}` +
          (hint ? ` (did you mean "${hint}"? both casings of the payload are read automatically).` : "."),
      );
    }
  }
  return problems;
}

function validateExisting(p: ExistingRetrainPipeline): string[] {
  const problems: string[] = [];
  if ("factoryId" in p && p.factoryId !== undefined) {
    if (typeof p.factoryId === "string" && parseFactoryId(p.factoryId) === undefined) {
      problems.push(
        `existingPipeline.factoryId ${show(p.factoryId)} is not a Data Factory id; expected ` +
          `/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.DataFactory/factories/{name}.`,
      );
    }
    if ("factoryName" in p) {
      problems.push(`existingPipeline has both factoryId and factoryName; pass the factory's id, or its name and resourceGroupName, not both.`);
    }
  } else {
    const byName = p as { factoryName?: unknown; resourceGroupName?: unknown; subscriptionId?: unknown };
    if (typeof byName.factoryName !== "string" || !isFactoryName(byName.factoryName)) {
      problems.push(
        `existingPipeline.factoryName ${show(byName.factoryName)} is not a factory name; pass factoryId, or a factoryName of 3-63 letters, digits and single hyphens.`,
      );
    }
    if (typeof byName.resourceGroupName !== "string" || byName.resourceGroupName.trim() === "") {
      problems.push(`existingPipeline.resourceGroupName ${show(byName.resourceGroupName)} is missing; pass the factory's resource group with factoryName.`);
    }
    if (byName.subscriptionId !== undefined && (typeof byName.subscriptionId !== "string" || !/^[0-9a-f-]{36}$/i.test(byName.subscriptionId))) {
      problems.push(`existingPipeline.subscriptionId ${show(byName.subscriptionId)} is not a subscription id; pass a GUID or omit it to use the workspace's subscription.`);
    }
  }
  if (typeof p.pipelineName !== "string" || !ADF_OBJECT_NAME.test(p.pipelineName)) {
    problems.push(
      `existingPipeline.pipelineName ${show(p.pipelineName)} is not a pipeline name; use 1-140 characters starting with a letter, digit or '_' and none of . + ? / < > * % & : \\.`,
    );
  }
  return problems;
}

function validateCreate(c: CreateRetrainPipeline, mapping: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  if (c.factoryName !== undefined && !isFactoryName(c.factoryName)) {
    problems.push(`createPipeline.factoryName ${show(c.factoryName)} is invalid; use 3-63 letters, digits and single hyphens (it must be globally unique).`);
  }
  for (const key of ["pipelineName", "linkedServiceName"] as const) {
    const v = c[key];
    if (v !== undefined && !ADF_OBJECT_NAME.test(v)) {
      problems.push(`createPipeline.${key} ${show(v)} is invalid; use 1-140 characters starting with a letter, digit or '_' and none of . + ? / < > * % & : \\.`);
    }
  }
  if (c.publicNetworkAccess !== undefined && c.publicNetworkAccess !== "Enabled" && c.publicNetworkAccess !== "Disabled") {
    problems.push(`createPipeline.publicNetworkAccess ${show(c.publicNetworkAccess)} is not supported; use "Enabled" or "Disabled".`);
  }
  const hasId = c.mlPipelineId !== undefined;
  const hasEndpoint = c.mlPipelineEndpointId !== undefined;
  if (hasId === hasEndpoint) {
    problems.push(
      `createPipeline: pass exactly one of mlPipelineId (a published pipeline) and mlPipelineEndpointId (a pipeline endpoint); got ` +
        `mlPipelineId ${show(c.mlPipelineId)} and mlPipelineEndpointId ${show(c.mlPipelineEndpointId)}.`,
    );
  }
  for (const key of ["mlPipelineId", "mlPipelineEndpointId"] as const) {
    const v = c[key];
    if (v !== undefined && (typeof v !== "string" || v.trim() === "")) problems.push(`createPipeline.${key} ${show(v)} is empty; pass the published id shown in the AML studio.`);
  }
  if (c.mlPipelineVersion !== undefined && !hasEndpoint) {
    problems.push(`createPipeline.mlPipelineVersion ${show(c.mlPipelineVersion)} needs mlPipelineEndpointId; a version selects one pipeline of an endpoint.`);
  }
  if (typeof c.experimentName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/.test(c.experimentName)) {
    problems.push(
      `createPipeline.experimentName ${show(c.experimentName)} is invalid; use 1-255 letters, digits, '_' and '-', starting with a letter or digit.`,
    );
  }
  for (const [amlParam, adfParam] of Object.entries(c.mlPipelineParameters ?? {})) {
    if (amlParam.trim() === "") problems.push(`createPipeline.mlPipelineParameters has an empty AML parameter name; remove it.`);
    if (!(adfParam in mapping)) {
      problems.push(
        `createPipeline.mlPipelineParameters.${amlParam} reads pipeline parameter ${show(adfParam)}, which parameterMapping does not declare; ` +
          `use one of ${Object.keys(mapping).map((k) => `"${k}"`).join(", ")}.`,
      );
    }
  }
  if (c.mlPipelineParameters !== undefined && Object.keys(c.mlPipelineParameters).length === 0) {
    problems.push(`createPipeline.mlPipelineParameters is empty; omit it to pass every mapped parameter, or list the ones the AML pipeline takes.`);
  }
  if (c.copy) {
    for (const key of ["sourceDatasetName", "sinkDatasetName"] as const) {
      const v = c.copy[key];
      if (typeof v !== "string" || !ADF_OBJECT_NAME.test(v)) {
        problems.push(`createPipeline.copy.${key} ${show(v)} is not a dataset name; pass the name of a dataset that exists in the factory.`);
      }
    }
    if (c.copy.format !== undefined && !(COPY_FORMATS as readonly string[]).includes(c.copy.format)) {
      problems.push(`createPipeline.copy.format ${show(c.copy.format)} is not supported; use one of ${COPY_FORMATS.join(", ")}.`);
    }
    if (c.copy.name !== undefined && !ADF_OBJECT_NAME.test(c.copy.name)) {
      problems.push(`createPipeline.copy.name ${show(c.copy.name)} is not a valid activity name.`);
    }
  }
  return problems;
}

/** Checks of the legacy DatasetDriftDetected source: monitor names, coefficient, mapping, cool-down key. */
function validateDriftSource(args: DriftRetrainTriggerArgs, mapping: Readonly<Record<string, RetrainEventField>>): string[] {
  const problems: string[] = [];
  const min = args.minimumDriftCoefficient;
  if (min !== undefined && !(typeof min === "number" && Number.isFinite(min) && min >= 0 && min <= 1)) {
    problems.push(`minimumDriftCoefficient ${show(min)} is out of range; a drift coefficient is a number from 0 to 1 (e.g. 0.3), or omit it to retrain on any drift.`);
  }
  const names = args.driftMonitorNames;
  if (names !== undefined) {
    if (names.length === 0) {
      problems.push(`driftMonitorNames is empty, so no drift would ever retrain; list the monitor names, or omit driftMonitorNames to accept every monitor.`);
    }
    names.forEach((n, i) => {
      if (typeof n !== "string" || n.trim() === "") {
        problems.push(`driftMonitorNames[${i}] ${show(n)} is empty; pass the drift monitor's name as shown in the workspace.`);
      } else if (n.length > FILTER_LIMITS.maxStringValueLength) {
        problems.push(`driftMonitorNames[${i}] is ${n.length} characters; Event Grid filter values hold at most ${FILTER_LIMITS.maxStringValueLength}.`);
      }
    });
    const seen = new Set<string>();
    for (const n of names) {
      if (typeof n !== "string") continue;
      const key = n.toLowerCase();
      if (seen.has(key)) problems.push(`driftMonitorNames lists ${show(n)} twice (names compare case-insensitively); remove the duplicate.`);
      seen.add(key);
    }
    const values = names.length + (min !== undefined ? 1 : 0);
    if (values > FILTER_LIMITS.maxAdvancedFilterValues) {
      problems.push(
        `driftMonitorNames has ${names.length} names; with the coefficient filter that is ${values} filter values, above Event Grid's ${FILTER_LIMITS.maxAdvancedFilterValues} per subscription. Split the monitors across two triggers.`,
      );
    }
  }
  problems.push(...validateMapping(mapping, false));
  const hours = args.coolDownHours;
  if (hours !== undefined && coolDownParameter(mapping) === undefined) {
    problems.push(
      `coolDownHours ${hours} needs a pipeline parameter mapped from "dataDriftId" or "dataDriftName" to tell monitors apart; ` +
        `add one to parameterMapping (e.g. {dataDriftId: "dataDriftId"}) or drop coolDownHours.`,
    );
  }
  return problems;
}

/** Checks of the model monitoring (v2) source: no legacy-only arguments, valid names, the monitor-run key. */
function validateBreachSource(args: DriftRetrainTriggerArgs, mapping: Readonly<Record<string, RetrainEventField>>): string[] {
  const problems: string[] = [];
  for (const key of ["driftMonitorNames", "minimumDriftCoefficient"] as const) {
    if (args[key] !== undefined) {
      problems.push(
        `${key} ${show(args[key])} applies to the legacy DatasetDriftDetected source only; with modelMonitor, scope with modelMonitor.monitorNames and modelMonitor.signalNames, and set thresholds on the monitor's signals.`,
      );
    }
  }
  if (args.modelMonitor === null || typeof args.modelMonitor !== "object" || Array.isArray(args.modelMonitor)) {
    return [...problems, `modelMonitor ${show(args.modelMonitor)} is not an object; pass {} for every breach, or {monitorNames, signalNames} to scope.`];
  }
  try {
    modelMonitorBreachFilter(args.modelMonitor);
  } catch (e) {
    problems.push((e as Error).message);
  }
  problems.push(...validateMapping(mapping, true));
  if (breachRunIdParameter(mapping) === undefined) {
    problems.push(
      `parameterMapping maps no pipeline parameter from "runId"; with modelMonitor the monitor run id is how a redelivered or repeated breach is recognised (at most one retrain per breach). Add e.g. {monitorRunId: "runId"}.`,
    );
  }
  if (args.coolDownHours !== undefined && coolDownParameter(mapping, true) === undefined) {
    problems.push(
      `coolDownHours ${args.coolDownHours} needs a pipeline parameter mapped from "monitorSignal" to tell signals apart; add one to parameterMapping (e.g. {monitorSignal: "monitorSignal"}) or drop coolDownHours.`,
    );
  }
  return problems;
}

/**
 * Pure validation of {@link DriftRetrainTriggerArgs}; returns one message per problem, each naming the
 * argument, the value received and the fix. Empty when the arguments are usable.
 */
export function validateDriftRetrainTriggerArgs(args: DriftRetrainTriggerArgs): string[] {
  const problems: string[] = [];
  if (args.events === undefined || args.events === null) {
    problems.push(`events is missing; pass the WorkspaceEvents component of the workspace whose drift monitors should trigger retraining.`);
  }
  const hours = args.coolDownHours;
  if (hours !== undefined && !(typeof hours === "number" && Number.isFinite(hours) && hours > 0)) {
    problems.push(`coolDownHours ${show(hours)} must be a positive number of hours (e.g. 24), or omit it for no cool-down.`);
  } else if (hours !== undefined && hours > ADF_RUN_HISTORY_HOURS) {
    problems.push(`coolDownHours ${hours} is longer than the ${ADF_RUN_HISTORY_HOURS} hours (45 days) of run history Data Factory keeps; use at most ${ADF_RUN_HISTORY_HOURS}.`);
  }
  const mapping = effectiveMapping(args);
  problems.push(...(args.modelMonitor !== undefined ? validateBreachSource(args, mapping) : validateDriftSource(args, mapping)));
  problems.push(...retrainedModelProblems(args.retrainedModel, Object.keys(mapping)));
  if (args.existingPipeline === undefined && args.createPipeline === undefined) {
    problems.push(
      `neither existingPipeline nor createPipeline is set; pass existingPipeline {factoryId, pipelineName} to run your pipeline, ` +
        `or createPipeline {mlPipelineId | mlPipelineEndpointId, experimentName} to let the component create one.`,
    );
  } else if (args.existingPipeline !== undefined && args.createPipeline !== undefined) {
    problems.push(`both existingPipeline and createPipeline are set; pass one: existingPipeline to run yours, createPipeline to create one.`);
  } else if (args.existingPipeline !== undefined) {
    problems.push(...validateExisting(args.existingPipeline));
  } else if (args.createPipeline !== undefined) {
    problems.push(...validateCreate(args.createPipeline, { ...mapping, ...retrainedModelParameterSpecs(args.retrainedModel) }));
  }
  if (args.subscriptionName !== undefined && !/^[A-Za-z0-9-]{3,64}$/.test(args.subscriptionName)) {
    problems.push(`subscriptionName ${show(args.subscriptionName)} is invalid; Event Grid subscription names are 3-64 letters, digits and hyphens.`);
  }
  if (args.workflowName !== undefined && !/^[A-Za-z0-9_.()-]{1,80}$/.test(args.workflowName)) {
    problems.push(`workflowName ${show(args.workflowName)} is invalid; use 1-80 letters, digits, '_', '.', '-', '(' and ')'.`);
  }
  const attempts = args.maxDeliveryAttempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1 && attempts <= 30)) {
    problems.push(`maxDeliveryAttempts ${show(attempts)} is out of range; Event Grid accepts an integer from 1 to 30.`);
  }
  const ttl = args.eventTimeToLiveInMinutes;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 1 && ttl <= 1440)) {
    problems.push(`eventTimeToLiveInMinutes ${show(ttl)} is out of range; Event Grid accepts an integer from 1 to 1440.`);
  }
  return problems;
}
