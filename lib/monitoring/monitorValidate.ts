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
const MODEL_REF = [/^azureml:[A-Za-z0-9][A-Za-z0-9_.-]*:[A-Za-z0-9_.-]+$/, /^azureml:\/\/registries\/[^/]+\/models\/[^/]+\/versions\/[^/]+$/];
const IDENTITY_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
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
  return p;
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
  const target = reference?.columns?.target_column;
  if (typeof target === "string" && target.trim() !== "") return [];
  return [
    `${arg}.features: got ${show(features)} (top features by importance) with referenceData.columns.target_column ${show(target)}; feature importance needs the reference (training) data's target column, or every monitor run fails. ` +
      `Add referenceData.columns: { target_column: "<label column>" }, or list the features (or "all") instead of { top: n }.`,
  ];
}

/** Problems of one signal. */
function signalProblems(arg: string, s: MonitorSignalArgs, wsId: string): string[] {
  if (s === null || typeof s !== "object") return [`${arg}: got ${show(s)}; expected a signal object with kind "dataDrift", "predictionDrift" or "dataQuality".`];
  const data = [...dataProblems(`${arg}.productionData`, s.productionData, wsId), ...dataProblems(`${arg}.referenceData`, s.referenceData, wsId)];
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
  const wsId = ws ? `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspaceName}` : "<workspaceId>";
  if (args.deploymentId !== undefined) {
    const m = DEPLOYMENT_ID.exec(String(args.deploymentId));
    if (m === null) p.push(`deploymentId: got ${show(args.deploymentId)}; expected the ARM id of an online deployment, ${wsId}/onlineEndpoints/<endpoint>/deployments/<deployment>. Use the deployment resource's id.`);
    else if (ws && !inWorkspace(m[1], ws)) p.push(`deploymentId: got ${show(args.deploymentId)}; the deployment is not in the monitor's workspace ${wsId}. Monitor it from its own workspace.`);
  }
  if (args.modelId !== undefined) {
    const id = String(args.modelId);
    const m = MODEL_ARM_ID.exec(id);
    if (m === null && !MODEL_REF.some((re) => re.test(id))) p.push(`modelId: got ${show(args.modelId)}; expected 'azureml:<name>:<version>', a registry model URI or ${wsId}/models/<name>/versions/<version>.`);
    else if (m !== null && ws && !inWorkspace(m[1], ws)) p.push(`modelId: got ${show(args.modelId)}; the model is not in the monitor's workspace ${wsId}.`);
  }
  return p;
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
