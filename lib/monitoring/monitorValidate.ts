import { parseWorkspaceId, sameArmId, WorkspaceRef } from "../arm/ids";
import { MONITOR_INSTANCE_TYPES } from "./monitorDefinition";
import { MetricThreshold, ModelMonitorArgs, MonitorCron, MonitorDataInput, MonitorFeatures, MonitorRecurrence, MonitorSignalArgs, MonitorSparkCompute } from "./monitorTypes";

/**
 * Monitor and signal names: letters, digits, `-`, `_`, starting with a letter or digit, at most 255.
 * Microsoft documents no pattern for schedule names; this is the Azure ML asset-name convention, and it
 * keeps out `'` and spaces, which would break the `'<monitor>_<signal>'` breach tag and its Event Grid filter.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
const ISO_DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
/**
 * Data input URIs in the forms the REST API takes. The `uri` of a monitoring input is an asset URI
 * (Azure REST API specs, machinelearningservices `MonitoringInputDataBase.uri`: "Input Asset URI"): a data
 * version's ARM id, an `azureml://` URI (datastore paths, or a data version by subscription/resource
 * group/workspace), or a storage URL. The short form `azureml:<name>:<version>` (and `@latest`) is the
 * Python SDK's and CLI's: the SDK (azure-ai-ml) resolves it to the ARM id before it calls the API, and
 * the REST reference documents no such form — so it is refused with the ARM id to use instead.
 */
const DATA_URI = [
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+\/data\/[^/]+\/versions\/[^/]+$/i,
  /^azureml:\/\/\S+$/,
  /^(https|abfss|wasbs):\/\/[^\s/]+\/\S*$/,
];
const SDK_SHORT_DATA = /^azureml:([A-Za-z0-9][A-Za-z0-9_.-]*)(?::([A-Za-z0-9_.-]+)|@latest)$/;
const DEPLOYMENT_ID = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+)\/onlineEndpoints\/[^/]+\/deployments\/[^/]+$/i;
const MODEL_ARM_ID = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+)\/models\/[^/]+\/versions\/[^/]+$/i;
/**
 * A registry model, `azureml://registries/<registry>/models/<name>/versions/<version>`. The azure-ai-ml SDK
 * sends registry ids to the API unchanged (Azure/azure-sdk-for-python, sdk/ml/azure-ai-ml/azure/ai/ml/operations/
 * _operation_orchestrator.py, `get_asset_arm_id`: ARM and registry ids are returned as given).
 */
const MODEL_REGISTRY_URI = /^azureml:\/\/registries\/[^/]+\/models\/[^/]+\/versions\/[^/]+$/;
const IDENTITY_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
/**
 * The data contexts Microsoft defines (azure-ai-ml `MonitorDatasetContext`, Azure/azure-sdk-for-python
 * sdk/ml/azure-ai-ml/azure/ai/ml/constants/_monitoring.py; compared ignoring case as that enum does; older SDK
 * versions spell the last one `ground_truth_data`). The REST field is free text, but the SDK and CLI refuse
 * any other value, so a different one is a misspelling.
 */
const DATA_CONTEXTS = ["model_inputs", "model_outputs", "training", "test", "validation", "ground_truth", "ground_truth_data"] as const;
/** The keys a data input takes (anything else would be silently dropped). */
const DATA_INPUT_KEYS = ["uri", "type", "windowSize", "windowOffset", "dataContext", "columns"] as const;
/** The keys each signal kind takes. */
const SIGNAL_KEYS = {
  dataDrift: ["kind", "productionData", "referenceData", "alertEnabled", "features", "numerical", "categorical"],
  predictionDrift: ["kind", "productionData", "referenceData", "alertEnabled", "numerical", "categorical"],
  dataQuality: ["kind", "productionData", "referenceData", "alertEnabled", "features", "numerical", "categorical"],
} as const;
/** The REST API limits the email recipient list to 499 characters in total (azure-native `MonitorEmailNotificationSettings.emails`). */
const MAX_EMAIL_CHARS = 499;

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Monitor or signal name problems. */
function monitorNameProblems(arg: string, name: unknown): string[] {
  if (typeof name === "string" && NAME.test(name)) return [];
  return [`${arg}: got ${show(name)}; expected 1-255 letters, digits, '-' or '_', starting with a letter or digit (no quotes or spaces: the breach tag quotes '<monitor>_<signal>'). Rename it, e.g. ${show(String(name).replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^[-_]+/, "").slice(0, 255) || "model-monitor")}.`];
}

/** Where a threshold is valid, by metric. Tests report p-values (breach BELOW); distances and rates breach ABOVE. */
function thresholdRange(metric: string): { min: number; max: number; minExclusive: boolean; what: string } | undefined {
  switch (metric) {
    case "JensenShannonDistance":
      return { min: 0, max: 1, minExclusive: false, what: "a distance in [0, 1]" };
    case "PopulationStabilityIndex":
    case "NormalizedWassersteinDistance":
      return { min: 0, max: Number.POSITIVE_INFINITY, minExclusive: false, what: "a non-negative number" };
    case "TwoSampleKolmogorovSmirnovTest":
    case "PearsonsChiSquaredTest":
      return { min: 0, max: 1, minExclusive: true, what: "a p-value in (0, 1] (the signal breaches when the p-value is below it; 0 never breaches)" };
    case "NullValueRate":
    case "DataTypeErrorRate":
    case "OutOfBoundsRate":
      return { min: 0, max: 1, minExclusive: false, what: "a rate in [0, 1]" };
    default:
      return undefined;
  }
}

const ALLOWED = {
  numericalDrift: ["JensenShannonDistance", "PopulationStabilityIndex", "NormalizedWassersteinDistance", "TwoSampleKolmogorovSmirnovTest"],
  categoricalDrift: ["JensenShannonDistance", "PopulationStabilityIndex", "PearsonsChiSquaredTest"],
  quality: ["NullValueRate", "DataTypeErrorRate", "OutOfBoundsRate"],
} as const;

function thresholdProblems(arg: string, t: MetricThreshold<string> | undefined, allowed: readonly string[]): string[] {
  if (t === undefined || t === null || typeof t !== "object") return [`${arg}: got ${show(t)}; expected { metric, threshold } (or false to skip).`];
  if (!allowed.includes(t.metric)) return [`${arg}.metric: got ${show(t.metric)}; expected one of ${allowed.join(", ")} for this signal and data type.`];
  const r = thresholdRange(t.metric) as NonNullable<ReturnType<typeof thresholdRange>>;
  const v = t.threshold;
  const ok = typeof v === "number" && Number.isFinite(v) && v <= r.max && (r.minExclusive ? v > r.min : v >= r.min);
  return ok ? [] : [`${arg}.threshold: got ${show(v)} for ${t.metric}; expected ${r.what}. Set a threshold in that range.`];
}

/** The fix for a data URI: the ARM id of the data version (built from the SDK short form when given one). */
function dataUriFix(uri: unknown, wsId: string): string {
  const m = typeof uri === "string" ? SDK_SHORT_DATA.exec(uri) : null;
  if (m === null) return `Register the data as an asset and pass its version's ARM id, ${wsId}/data/<name>/versions/<version>.`;
  const version = m[2] ?? "<version>";
  return `'azureml:<name>:<version>' is the Python SDK's short form, which the REST API does not take; pass ${show(`${wsId}/data/${m[1]}/versions/${version}`)}${m[2] === undefined ? " with the version number ('@latest' is resolved by the SDK only)" : ""}.`;
}

function dataProblems(arg: string, d: MonitorDataInput | undefined, wsId: string): string[] {
  if (d === undefined || d === null || typeof d !== "object") return [`${arg}: got ${show(d)}; expected { uri, type, windowSize?, windowOffset? }.`];
  const p: string[] = [];
  if (typeof d.uri !== "string" || !DATA_URI.some((re) => re.test(d.uri))) {
    p.push(`${arg}.uri: got ${show(d.uri)}; expected a data version's ARM id (${wsId}/data/<name>/versions/<version>), an 'azureml://' URI, or an https/abfss/wasbs URL. ${dataUriFix(d.uri, wsId)}`);
  }
  if (!["uri_folder", "uri_file", "mltable"].includes(d.type)) p.push(`${arg}.type: got ${show(d.type)}; expected "uri_folder", "uri_file" or "mltable".`);
  for (const k of ["windowSize", "windowOffset"] as const) {
    const v = d[k];
    if (v !== undefined && (typeof v !== "string" || !ISO_DURATION.test(v))) p.push(`${arg}.${k}: got ${show(v)}; expected an ISO 8601 duration such as "P7D" or "PT12H".`);
  }
  if (d.windowOffset !== undefined && d.windowSize === undefined) p.push(`${arg}.windowOffset: set without windowSize; an offset only applies to a rolling window. Add windowSize (e.g. "P7D") or drop windowOffset.`);
  return [...p, ...unknownKeyProblems(arg, d, DATA_INPUT_KEYS, "a data input"), ...dataContextProblems(arg, d.dataContext), ...columnProblems(arg, d.columns)];
}

/** Keys the type does not have: a misspelt key would otherwise be dropped without a word. */
function unknownKeyProblems(arg: string, value: object, allowed: readonly string[], what: string): string[] {
  return Object.keys(value)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${arg}: unknown key ${show(k)} for ${what}; expected only ${allowed.join(", ")}. Fix the spelling or remove it.`);
}

/** A data context must be one Microsoft defines. */
function dataContextProblems(arg: string, context: unknown): string[] {
  if (context === undefined || (typeof context === "string" && isDataContext(context))) return [];
  return [`${arg}.dataContext: got ${show(context)}; expected one of ${DATA_CONTEXTS.slice(0, 6).join(", ")} (Azure ML's data contexts). Fix the spelling, or leave it out.`];
}

function isDataContext(context: string): boolean {
  return (DATA_CONTEXTS as readonly string[]).includes(context.toLowerCase());
}

/** Column roles map to column names (REST `columns`: a dictionary of strings). */
function columnProblems(arg: string, columns: unknown): string[] {
  if (columns === undefined) return [];
  const ok = columns !== null && typeof columns === "object" && !Array.isArray(columns) && Object.values(columns).every((v) => typeof v === "string" && v.trim() !== "");
  return ok ? [] : [`${arg}.columns: got ${show(columns)}; expected column roles mapped to column names, e.g. { target_column: "DEFAULT_NEXT_MONTH" }.`];
}

function featureProblems(arg: string, f: MonitorFeatures | undefined): string[] {
  if (f === undefined || f === "all") return [];
  if (Array.isArray(f)) {
    const list = f as readonly unknown[];
    if (list.length === 0 || list.some((x) => typeof x !== "string" || x.trim() === "")) return [`${arg}: got ${show(f)}; expected a non-empty list of feature names, "all" or { top: n }.`];
    return new Set(list).size === list.length ? [] : [`${arg}: got ${show(f)}; feature names repeat. List each feature once.`];
  }
  const top = (f as { top?: unknown }).top;
  return typeof top === "number" && Number.isInteger(top) && top >= 1 ? [] : [`${arg}: got ${show(f)}; expected "all", a list of feature names, or { top: n } with n a positive integer.`];
}

function driftMetricProblems(arg: string, s: { numerical?: MetricThreshold<string> | false; categorical?: MetricThreshold<string> | false }): string[] {
  if (s.numerical === false && s.categorical === false) return [`${arg}: numerical and categorical are both false; the signal would compute nothing. Keep at least one (omit it for the default).`];
  return [
    ...(s.numerical === undefined || s.numerical === false ? [] : thresholdProblems(`${arg}.numerical`, s.numerical, ALLOWED.numericalDrift)),
    ...(s.categorical === undefined || s.categorical === false ? [] : thresholdProblems(`${arg}.categorical`, s.categorical, ALLOWED.categoricalDrift)),
  ];
}

function qualityListProblems(arg: string, list: readonly MetricThreshold<string>[] | undefined): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length === 0) return [`${arg}: got ${show(list)}; expected a non-empty list of { metric, threshold } (omit it for the defaults).`];
  const metrics = list.map((t: MetricThreshold<string>) => t?.metric);
  const dup = metrics.find((m, i) => metrics.indexOf(m) !== i);
  const p = list.flatMap((t: MetricThreshold<string>, i: number) => thresholdProblems(`${arg}[${i}]`, t, ALLOWED.quality));
  return dup === undefined ? p : [...p, `${arg}: metric ${show(dup)} appears twice; give each metric one threshold.`];
}

/**
 * Feature importance (`features: { top: N }`) needs the reference data's target column: Microsoft Learn,
 * "Monitor performance of models deployed to production" (feature importance): to turn on feature
 * importance with any signal you must provide the training data as reference and its `target_column`;
 * without it the monitor run fails. The column is sent as the reference input's `columns.target_column`.
 */
function featureImportanceProblems(arg: string, features: MonitorFeatures | undefined, reference: MonitorDataInput | undefined): string[] {
  if (features === undefined || features === "all" || Array.isArray(features)) return [];
  const context = reference?.dataContext;
  if (typeof context === "string" && isDataContext(context) && context.toLowerCase() !== "training") {
    return [`${arg}.referenceData.dataContext: got ${show(context)} with features ${show(features)}; feature importance is computed on the training data, so the reference must be the training data (dataContext "training"). Use the training data as reference, or list the features (or "all") instead of { top: n }.`];
  }
  const target = reference?.columns?.target_column;
  if (typeof target === "string" && target.trim() !== "") return [];
  return [
    `${arg}.features: got ${show(features)} (top features by importance) with referenceData.columns.target_column ${show(target)}; feature importance needs the reference (training) data's target column, or every monitor run fails. ` +
      `Add referenceData.columns: { target_column: "<label column>" }, or list the features (or "all") instead of { top: n }.`,
  ];
}

/**
 * What a signal reads as production data: data drift and data quality the model's inputs, prediction drift its
 * outputs. The azure-ai-ml SDK fills a missing production input exactly so (Azure/azure-sdk-for-python,
 * sdk/ml/azure-ai-ml/azure/ai/ml/operations/_schedule_operations.py: data drift and data quality get the
 * deployment's collected model inputs with `data_context` model_inputs, prediction drift its model outputs with
 * model_outputs) and refuses a signal with neither data nor a collecting deployment. A production input
 * declared as the other kind is a signal measuring the wrong thing.
 */
function productionContextProblems(arg: string, s: MonitorSignalArgs): string[] {
  const context = s.productionData?.dataContext;
  if (typeof context !== "string" || !isDataContext(context)) return [];
  const expected = s.kind === "predictionDrift" ? "model_outputs" : "model_inputs";
  if (context.toLowerCase() === expected) return [];
  const reads = s.kind === "predictionDrift" ? "prediction drift compares the model's outputs" : `${s.kind === "dataDrift" ? "data drift" : "data quality"} checks the model's inputs`;
  return [`${arg}.productionData.dataContext: got ${show(context)} on a ${s.kind} signal; ${reads}, so its production data is ${expected}. Point productionData at the ${expected} data and set dataContext ${show(expected)} (or leave it out).`];
}

/** Keys the signal's kind does not take, and production data of the wrong kind. */
function signalShapeProblems(arg: string, s: MonitorSignalArgs): string[] {
  const keys = (SIGNAL_KEYS as Readonly<Record<string, readonly string[]>>)[s.kind];
  if (keys === undefined) return []; // the kind itself is reported
  return [...unknownKeyProblems(arg, s, keys, `a ${s.kind} signal`), ...productionContextProblems(arg, s)];
}

/** Problems of one signal. */
function signalProblems(arg: string, s: MonitorSignalArgs, wsId: string): string[] {
  if (s === null || typeof s !== "object") return [`${arg}: got ${show(s)}; expected a signal object with kind "dataDrift", "predictionDrift" or "dataQuality".`];
  const data = [...signalShapeProblems(arg, s), ...dataProblems(`${arg}.productionData`, s.productionData, wsId), ...dataProblems(`${arg}.referenceData`, s.referenceData, wsId)];
  switch (s.kind) {
    case "dataDrift":
      return [...data, ...featureProblems(`${arg}.features`, s.features), ...featureImportanceProblems(arg, s.features, s.referenceData), ...driftMetricProblems(arg, s)];
    case "predictionDrift":
      return [...data, ...driftMetricProblems(arg, s)];
    case "dataQuality":
      return [
        ...data,
        ...featureProblems(`${arg}.features`, s.features),
        ...featureImportanceProblems(arg, s.features, s.referenceData),
        ...qualityListProblems(`${arg}.numerical`, s.numerical),
        ...qualityListProblems(`${arg}.categorical`, s.categorical),
      ];
    default:
      return [`${arg}.kind: got ${show((s as { kind?: unknown }).kind)}; expected "dataDrift", "predictionDrift" or "dataQuality".`];
  }
}

/**
 * Tag scoping: Event Grid compares case-insensitively, so names that differ only in case collide; and
 * `parseBreachTag(text, signalNames)` takes the longest known signal that ends `'<monitor>_<signal>'`, so
 * no signal's tag may also end with `_<another, longer signal>`.
 */
function signalNameProblems(monitorName: string, names: readonly string[]): string[] {
  if (names.length === 0) return [`signals: got no signals; expected at least one (e.g. { "data-drift": { kind: "dataDrift", … } }).`];
  const p = names.flatMap((n) => monitorNameProblems(`signals[${show(n)}]`, n));
  const lower = names.map((n) => n.toLowerCase());
  const clash = names.find((_, i) => lower.indexOf(lower[i]) !== i);
  if (clash !== undefined) p.push(`signals: names ${names.filter((n) => n.toLowerCase() === clash.toLowerCase()).map(show).join(" and ")} differ only in case; Event Grid matches the breach tag ignoring case. Rename one.`);
  for (const s of names) {
    const other = names.find((t) => t !== s && t.length > s.length && `${monitorName}_${s}`.endsWith(`_${t}`));
    if (other !== undefined) p.push(`signals: the breach tag '${monitorName}_${s}' also ends with '_${other}', so it cannot be told apart from signal ${show(other)}. Rename ${show(s)} or ${show(other)}.`);
  }
  return p;
}

/** The workspace's ARM id, or a placeholder when it is not readable. */
function workspaceIdOf(ws: WorkspaceRef | undefined): string {
  return ws ? `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspaceName}` : "<workspaceId>";
}

function inWorkspace(prefix: string, ws: WorkspaceRef): boolean {
  return sameArmId(prefix, `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspaceName}`);
}

/** The monitored deployment and model. */
function targetProblems(args: Pick<ModelMonitorArgs, "taskType" | "deploymentId" | "modelId">, ws: WorkspaceRef | undefined): string[] {
  const p: string[] = [];
  if (!["Classification", "Regression"].includes(args.taskType)) p.push(`taskType: got ${show(args.taskType)}; expected "Classification" or "Regression".`);
  const wsId = workspaceIdOf(ws);
  if (args.deploymentId !== undefined) {
    const m = DEPLOYMENT_ID.exec(String(args.deploymentId));
    if (m === null) p.push(`deploymentId: got ${show(args.deploymentId)}; expected the ARM id of an online deployment, ${wsId}/onlineEndpoints/<endpoint>/deployments/<deployment>. Use the deployment resource's id.`);
    else if (ws && !inWorkspace(m[1], ws)) p.push(`deploymentId: got ${show(args.deploymentId)}; the deployment is not in the monitor's workspace ${wsId}. Monitor it from its own workspace.`);
  }
  return [...p, ...modelIdProblems(args.modelId, ws)];
}

/**
 * The monitored model (`monitoringTarget.modelId`). The REST API (Azure REST API specs, machinelearningservices
 * `MonitoringTarget.modelId`, in azure-native 3.x: "Reference to the model asset targeted by this monitor")
 * documents no short form. The azure-ai-ml SDK resolves `azureml:<name>:<version>` to the model version's ARM
 * id before it calls the API (Azure/azure-sdk-for-python, sdk/ml/azure-ai-ml/azure/ai/ml/operations/
 * _schedule_operations.py: `target.model_id = self._orchestrators.get_asset_arm_id(target.model_id,
 * AzureMLResourceType.MODEL, …)`; `get_asset_arm_id` builds `…/workspaces/{ws}/models/{name}/versions/{version}`).
 * So the API receives an ARM id (or a registry id, passed unchanged): the short form is refused with the ARM id to use.
 */
function modelIdProblems(modelId: string | undefined, ws: WorkspaceRef | undefined): string[] {
  if (modelId === undefined) return [];
  const id = String(modelId);
  const wsId = workspaceIdOf(ws);
  const m = MODEL_ARM_ID.exec(id);
  if (m !== null) return ws && !inWorkspace(m[1], ws) ? [`modelId: got ${show(modelId)}; the model is not in the monitor's workspace ${wsId}.`] : [];
  if (MODEL_REGISTRY_URI.test(id)) return [];
  const expected = `expected the model version's ARM id (${wsId}/models/<name>/versions/<version>) or a registry model URI (azureml://registries/<registry>/models/<name>/versions/<version>).`;
  const short = SDK_SHORT_DATA.exec(id);
  if (short === null) return [`modelId: got ${show(modelId)}; ${expected} Use the registered model version's id.`];
  const fix = `${wsId}/models/${short[1]}/versions/${short[2] ?? "<version>"}`;
  return [`modelId: got ${show(modelId)}; ${expected} 'azureml:<name>:<version>' is the Python SDK's short form, which the SDK turns into the ARM id before it calls the API; pass ${show(fix)}${short[2] === undefined ? " with the version number ('@latest' is resolved by the SDK only)" : ""}.`];
}

function listProblems(arg: string, v: readonly number[] | undefined, min: number, max: number): string[] {
  if (v === undefined) return [];
  const ok = Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x) && x >= min && x <= max);
  return ok ? [] : [`schedule.${arg}: got ${show(v)}; expected a non-empty list of integers ${min}-${max}.`];
}

function recurrenceProblems(s: MonitorRecurrence): string[] {
  const p: string[] = [];
  if (!["Minute", "Hour", "Day", "Week", "Month"].includes(s.frequency)) p.push(`schedule.frequency: got ${show(s.frequency)}; expected "Minute", "Hour", "Day", "Week" or "Month".`);
  if (!Number.isInteger(s.interval) || s.interval < 1) p.push(`schedule.interval: got ${show(s.interval)}; expected a positive integer (runs every <interval> <frequency>).`);
  p.push(...listProblems("hours", s.hours, 0, 23), ...listProblems("minutes", s.minutes, 0, 59), ...listProblems("monthDays", s.monthDays, 1, 31));
  if ((s.hours === undefined) !== (s.minutes === undefined)) p.push(`schedule: hours and minutes go together (the REST schedule requires both); got ${s.hours === undefined ? "minutes only" : "hours only"}. Add the other, e.g. hours: [3], minutes: [15].`);
  if (s.weekDays !== undefined && s.frequency !== "Week") p.push(`schedule.weekDays: set with frequency ${show(s.frequency)}; week days only apply to frequency "Week".`);
  if (s.monthDays !== undefined && s.frequency !== "Month") p.push(`schedule.monthDays: set with frequency ${show(s.frequency)}; month days only apply to frequency "Month".`);
  if ((s.weekDays !== undefined || s.monthDays !== undefined) && s.hours === undefined) p.push(`schedule: weekDays/monthDays need hours and minutes too.`);
  return p;
}

function cronProblems(s: MonitorCron): string[] {
  const fields = typeof s.cron === "string" ? s.cron.trim().split(/\s+/) : [];
  const ok = fields.length === 5 && fields.every((f) => /^[0-9A-Za-z*?,/-]+$/.test(f));
  return ok ? [] : [`schedule.cron: got ${show(s.cron)}; expected five NCronTab fields "minute hour day-of-month month day-of-week", e.g. "15 3 * * *".`];
}

function windowProblems(s: MonitorRecurrence | MonitorCron): string[] {
  const re = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
  return (["startTime", "endTime"] as const).flatMap((k) =>
    s[k] !== undefined && !re.test(String(s[k])) ? [`schedule.${k}: got ${show(s[k])}; expected ISO 8601 without a UTC offset, e.g. "2026-12-01T03:15:00" (use timeZone for the zone).`] : [],
  );
}

/** The schedule (recurrence or cron). */
function scheduleProblems(s: MonitorRecurrence | MonitorCron | undefined): string[] {
  if (s === undefined) return [];
  if (s === null || typeof s !== "object") return [`schedule: got ${show(s)}; expected { frequency, interval, hours?, minutes? } or { cron }.`];
  return [...("cron" in s ? cronProblems(s) : recurrenceProblems(s)), ...windowProblems(s)];
}

/** The Spark compute. */
function computeProblems(c: MonitorSparkCompute | undefined): string[] {
  if (c === undefined) return [];
  const p: string[] = [];
  if (c.instanceType !== undefined && !MONITOR_INSTANCE_TYPES.some((t) => t.toLowerCase() === String(c.instanceType).toLowerCase())) {
    p.push(`compute.instanceType: got ${show(c.instanceType)}; model monitoring runs on ${MONITOR_INSTANCE_TYPES.join(", ")}. Pick one of those.`);
  }
  if (c.runtimeVersion !== undefined && !/^\d+\.\d+$/.test(String(c.runtimeVersion))) p.push(`compute.runtimeVersion: got ${show(c.runtimeVersion)}; expected a Spark runtime "major.minor" such as "3.4".`);
  if (c.userAssignedIdentityId !== undefined && !IDENTITY_ID.test(String(c.userAssignedIdentityId))) {
    p.push(`compute.userAssignedIdentityId: got ${show(c.userAssignedIdentityId)}; expected /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.`);
  }
  return p;
}

/** Alert email addresses. */
function emailProblems(emails: readonly string[] | undefined): string[] {
  if (emails === undefined) return [];
  const bad = emails.filter((e) => typeof e !== "string" || !EMAIL.test(e));
  const p = bad.map((e) => `alertEmails: got ${show(e)}; expected one email address per entry (name@example.com).`);
  const total = emails.join(",").length;
  if (total > MAX_EMAIL_CHARS) p.push(`alertEmails: ${total} characters in total; Azure ML accepts at most ${MAX_EMAIL_CHARS}. Use a distribution list.`);
  if (new Set(emails.map((e) => String(e).toLowerCase())).size !== emails.length) p.push(`alertEmails: an address appears twice; list each once.`);
  return p;
}

/** Every problem of a monitor's args (empty when valid). Names the argument, the value, the expectation and the fix. */
export function validateModelMonitorArgs(args: ModelMonitorArgs, defaultName: string): string[] {
  const ws = typeof args.workspaceId === "string" ? parseWorkspaceId(args.workspaceId) : undefined;
  const monitorName = args.monitorName ?? defaultName;
  const names = args.signals && typeof args.signals === "object" ? Object.keys(args.signals) : [];
  return [
    ...(ws ? [] : [`workspaceId: got ${show(args.workspaceId)}; expected /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/workspaces/<name>.`]),
    ...monitorNameProblems(args.monitorName === undefined ? "monitorName (the component name)" : "monitorName", monitorName),
    ...signalNameProblems(monitorName, names),
    ...names.flatMap((n) => signalProblems(`signals[${show(n)}]`, args.signals[n], workspaceIdOf(ws))),
    ...targetProblems(args, ws),
    ...scheduleProblems(args.schedule),
    ...computeProblems(args.compute),
    ...emailProblems(args.alertEmails),
  ];
}
