import { FILTER_LIMITS } from "../filters/types";
import {
  ADF_OBJECT_NAME,
  ADF_PARAMETER_NAME,
  ADF_RUN_HISTORY_HOURS,
  COPY_FORMATS,
  isFactoryName,
  parseFactoryId,
} from "./adf";
import { DEFAULT_PARAMETER_MAPPING, DRIFT_DATA_FIELDS, DRIFT_ENVELOPE_FIELDS, isDriftEventField } from "./driftFields";
import { BREACH_EVENT_FIELDS, DEFAULT_BREACH_MAPPING, isBreachEventField, RetrainEventField } from "../monitoring/breachFields";
import { modelMonitorBreachFilter } from "../monitoring/breachFilter";
import { retrainedModelParameterSpecs, retrainedModelProblems } from "./retrainedModel";
import { MAX_BATCH_TIMEOUT_MINUTES } from "./batchPipeline";
import { BatchEndpointRetrain, CreateRetrainPipeline, DriftRetrainTriggerArgs, ExistingRetrainPipeline } from "./types";

/** Run-history experiment names: 1–255 letters, digits, `_` and `-`, starting with a letter or digit. */
const EXPERIMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;

const show = (v: unknown): string => (v === undefined ? "undefined" : typeof v === "number" && !Number.isFinite(v) ? String(v) : JSON.stringify(v));

/**
 * The effective mapping: the given one, or the default of the source (with `modelMonitor`: signal,
 * event id and monitor run id; otherwise one parameter per drift `data` field).
 */
export function effectiveMapping(args: Pick<DriftRetrainTriggerArgs, "parameterMapping" | "modelMonitor">): Readonly<Record<string, RetrainEventField>> {
  // The given mapping holds event field names (checked by validateMapping before anything reads it).
  return (args.parameterMapping as Readonly<Record<string, RetrainEventField>> | undefined) ?? (args.modelMonitor !== undefined ? DEFAULT_BREACH_MAPPING : DEFAULT_PARAMETER_MAPPING);
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
  if (p.factoryId !== undefined) {
    if (typeof p.factoryId === "string" && parseFactoryId(p.factoryId) === undefined) {
      problems.push(
        `existingPipeline.factoryId ${show(p.factoryId)} is not a Data Factory id; expected ` +
          `/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.DataFactory/factories/{name}.`,
      );
    }
    if (p.factoryName !== undefined || p.resourceGroupName !== undefined || p.subscriptionId !== undefined) {
      problems.push(`existingPipeline has both factoryId and factoryName; pass the factory's id, or its name and resourceGroupName (and subscriptionId), not both.`);
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

/** Batch endpoint names as a DNS label (the REST pattern `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$` minus `_`, at most 63). */
const BATCH_ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
/** Batch deployment names (Azure ML REST API pattern). */
const BATCH_DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
/** Pipeline component input names. */
const JOB_INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const intIn = (v: unknown, lo: number, hi: number): boolean => typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi;

function batchTargetProblems(b: BatchEndpointRetrain): string[] {
  const problems: string[] = [];
  const byName = b.endpointName !== undefined || b.region !== undefined;
  if ((b.invocationUrl !== undefined) === byName) {
    problems.push(
      `createPipeline.batchEndpoint: pass invocationUrl (the endpoint's scoring URI) or endpointName with region, not ${byName ? "both" : "neither"}; ` +
        `got invocationUrl ${show(b.invocationUrl)}, endpointName ${show(b.endpointName)}, region ${show(b.region)}.`,
    );
  }
  if (b.invocationUrl !== undefined && !isScoringUri(b.invocationUrl)) {
    problems.push(
      `createPipeline.batchEndpoint.invocationUrl ${show(b.invocationUrl)} is not a batch scoring URI; expected https://<endpoint>.<region>.inference.ml.azure.com/jobs ` +
        `(copy it from the endpoint's details page in Azure Machine Learning studio), without query string or quotes.`,
    );
  }
  if (byName && (typeof b.endpointName !== "string" || !BATCH_ENDPOINT_NAME.test(b.endpointName))) {
    problems.push(`createPipeline.batchEndpoint.endpointName ${show(b.endpointName)} is invalid; a batch endpoint name is 1-63 letters, digits and hyphens (it becomes a host name).`);
  }
  if (byName && (typeof b.region !== "string" || !/^[A-Za-z0-9]{2,40}$/.test(b.region))) {
    problems.push(`createPipeline.batchEndpoint.region ${show(b.region)} is invalid; pass the endpoint's region name, e.g. "westeurope".`);
  }
  if (b.deploymentName !== undefined && (typeof b.deploymentName !== "string" || !BATCH_DEPLOYMENT_NAME.test(b.deploymentName))) {
    problems.push(`createPipeline.batchEndpoint.deploymentName ${show(b.deploymentName)} is invalid; use 1-255 letters, digits, '_' and '-', or omit it for the default deployment.`);
  }
  return problems;
}

function isScoringUri(url: unknown): boolean {
  if (typeof url !== "string" || /['"\s]/.test(url)) return false;
  try {
    const u = new URL(url);
    return u.protocol === "https:" && u.search === "" && u.hash === "" && /\/jobs\/?$/.test(u.pathname);
  } catch {
    return false;
  }
}

function batchTimingProblems(b: BatchEndpointRetrain): string[] {
  const problems: string[] = [];
  if (b.pollIntervalSeconds !== undefined && !intIn(b.pollIntervalSeconds, 10, 3600)) {
    problems.push(`createPipeline.batchEndpoint.pollIntervalSeconds ${show(b.pollIntervalSeconds)} is out of range; use a whole number of seconds from 10 to 3600 (Microsoft's template polls every 120).`);
  }
  if (b.timeoutMinutes !== undefined && !intIn(b.timeoutMinutes, 1, MAX_BATCH_TIMEOUT_MINUTES)) {
    problems.push(`createPipeline.batchEndpoint.timeoutMinutes ${show(b.timeoutMinutes)} is out of range; use a whole number of minutes from 1 to ${MAX_BATCH_TIMEOUT_MINUTES} (7 days).`);
  } else if (b.timeoutMinutes !== undefined && b.timeoutMinutes * 60 < (b.pollIntervalSeconds ?? 120)) {
    problems.push(`createPipeline.batchEndpoint.timeoutMinutes ${b.timeoutMinutes} is shorter than one poll interval (${b.pollIntervalSeconds ?? 120} s); raise the timeout or poll more often.`);
  }
  if (b.pollRetry !== undefined && !intIn(b.pollRetry, 0, 10)) {
    problems.push(`createPipeline.batchEndpoint.pollRetry ${show(b.pollRetry)} is out of range; use a whole number from 0 to 10.`);
  }
  if (b.invokerRole !== undefined && b.invokerRole !== "BatchEndpointInvoker" && b.invokerRole !== "AzureMLDataScientist") {
    problems.push(`createPipeline.batchEndpoint.invokerRole ${show(b.invokerRole)} is not supported; use "BatchEndpointInvoker" (least privilege) or "AzureMLDataScientist".`);
  }
  return problems;
}

function batchInputProblems(b: BatchEndpointRetrain, mapping: Readonly<Record<string, unknown>>): string[] {
  if (b.inputs === undefined) return [];
  if (Object.keys(b.inputs).length === 0) return [`createPipeline.batchEndpoint.inputs is empty; omit it to pass every mapped parameter, or list the job inputs the pipeline component takes.`];
  const declared = Object.keys(mapping).map((k) => `"${k}"`).join(", ");
  return Object.entries(b.inputs).flatMap(([input, param]) => [
    ...(JOB_INPUT_NAME.test(input) ? [] : [`createPipeline.batchEndpoint.inputs: job input name ${show(input)} is invalid; use a letter or '_' followed by letters, digits or '_'.`]),
    ...(typeof param === "string" && param in mapping
      ? []
      : [`createPipeline.batchEndpoint.inputs.${input} reads pipeline parameter ${show(param)}, which parameterMapping does not declare; use one of ${declared}.`]),
  ]);
}

/** The batch route's problems: the v1-only options it cannot use, the target, timings and inputs. */
function validateBatchRoute(c: CreateRetrainPipeline, mapping: Readonly<Record<string, unknown>>): string[] {
  const b = c.batchEndpoint as BatchEndpointRetrain;
  const v1 = (["mlPipelineId", "mlPipelineEndpointId", "mlPipelineVersion", "linkedServiceName", "mlPipelineParameters"] as const).filter((k) => c[k] !== undefined);
  const problems = v1.map(
    (k) =>
      `createPipeline: pass exactly one of mlPipelineId, mlPipelineEndpointId and batchEndpoint; got batchEndpoint and ${k} ${show(c[k])}. ` +
      `Remove ${k} (v1 only${k === "mlPipelineParameters" ? "; map job inputs with batchEndpoint.inputs" : ""}) or drop batchEndpoint for the legacy AzureMLExecutePipeline route.`,
  );
  if (c.experimentName !== undefined && b.experimentName !== undefined && c.experimentName !== b.experimentName) {
    problems.push(`createPipeline.experimentName ${show(c.experimentName)} and batchEndpoint.experimentName ${show(b.experimentName)} differ; set one of them.`);
  }
  const experiment = b.experimentName ?? c.experimentName;
  if (experiment !== undefined && (typeof experiment !== "string" || !EXPERIMENT_NAME.test(experiment))) {
    problems.push(`createPipeline.batchEndpoint.experimentName ${show(experiment)} is invalid; use 1-255 letters, digits, '_' and '-', starting with a letter or digit.`);
  }
  return [...problems, ...batchTargetProblems(b), ...batchTimingProblems(b), ...batchInputProblems(b, mapping)];
}

function validateLegacyTarget(c: CreateRetrainPipeline): string[] {
  const problems: string[] = [];
  const hasId = c.mlPipelineId !== undefined;
  const hasEndpoint = c.mlPipelineEndpointId !== undefined;
  if (hasId === hasEndpoint) {
    problems.push(
      `createPipeline: pass exactly one of mlPipelineId (a published pipeline), mlPipelineEndpointId (a pipeline endpoint) and batchEndpoint (v2); got ` +
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
  if (typeof c.experimentName !== "string" || !EXPERIMENT_NAME.test(c.experimentName)) {
    problems.push(
      `createPipeline.experimentName ${show(c.experimentName)} is invalid; use 1-255 letters, digits, '_' and '-', starting with a letter or digit.`,
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
  problems.push(...(c.batchEndpoint !== undefined ? validateBatchRoute(c, mapping) : validateLegacyTarget(c)));
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
        `or createPipeline {batchEndpoint} (v2) or {mlPipelineId | mlPipelineEndpointId, experimentName} (legacy v1) to let the component create one.`,
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
