import type * as inputs from "@pulumi/azure-native/types/input";
import {
  DataDriftSignalArgs,
  DataQualityMetric,
  DataQualitySignalArgs,
  MetricThreshold,
  ModelMonitorDefinitionArgs,
  MonitorCron,
  MonitorDataInput,
  MonitorFeatures,
  MonitorRecurrence,
  MonitorSignalArgs,
  MonitorSparkCompute,
  PredictionDriftSignalArgs,
} from "./monitorTypes";

type In = inputs.machinelearningservices.SchedulePropertiesArgs;
type Signal = inputs.machinelearningservices.DataDriftMonitoringSignalArgs | inputs.machinelearningservices.PredictionDriftMonitoringSignalArgs | inputs.machinelearningservices.DataQualityMonitoringSignalArgs;
type InputData = inputs.machinelearningservices.FixedInputDataArgs | inputs.machinelearningservices.RollingInputDataArgs;
type Filter = inputs.machinelearningservices.AllFeaturesArgs | inputs.machinelearningservices.FeatureSubsetArgs | inputs.machinelearningservices.TopNFeaturesByAttributionArgs;
type Trigger = inputs.machinelearningservices.RecurrenceTriggerArgs | inputs.machinelearningservices.CronTriggerArgs;
type Compute = inputs.machinelearningservices.MonitorServerlessSparkComputeArgs;

/**
 * The serverless Spark VM sizes model monitoring supports (Microsoft Learn, "Monitor performance of
 * models deployed to production", section "Configure a serverless Spark compute pool").
 */
export const MONITOR_INSTANCE_TYPES = ["Standard_E4s_v3", "Standard_E8s_v3", "Standard_E16s_v3", "Standard_E32s_v3", "Standard_E64s_v3"] as const;

/**
 * Defaults. Compute: Microsoft's examples use `standard_e4s_v3`; runtime 3.4 is what Azure/azureml-examples'
 * current monitoring configs use. Schedule: daily at 03:15, as in Microsoft's out-of-box example.
 * Thresholds: the azure-ai-ml SDK's defaults (`_get_default_thresholds` in `entities/_monitoring/thresholds.py`):
 * drift = Normalized Wasserstein 0.1 (numerical), Jensen-Shannon 0.1 (categorical); data quality = 0 for
 * null value, data type error and out-of-bounds rates.
 */
export const MONITOR_DEFAULTS = {
  instanceType: "Standard_E4s_v3",
  runtimeVersion: "3.4",
  schedule: { frequency: "Day", interval: 1, hours: [3], minutes: [15] },
  numericalDrift: { metric: "NormalizedWassersteinDistance", threshold: 0.1 },
  categoricalDrift: { metric: "JensenShannonDistance", threshold: 0.1 },
  dataQuality: [
    { metric: "NullValueRate", threshold: 0 },
    { metric: "DataTypeErrorRate", threshold: 0 },
    { metric: "OutOfBoundsRate", threshold: 0 },
  ],
} as const satisfies {
  instanceType: string;
  runtimeVersion: string;
  schedule: MonitorRecurrence;
  numericalDrift: MetricThreshold<string>;
  categoricalDrift: MetricThreshold<string>;
  dataQuality: readonly MetricThreshold<DataQualityMetric>[];
};

/** The data input block: rolling when a window size is given, otherwise the whole (fixed) asset. */
export function monitorInputData(d: MonitorDataInput): InputData {
  const common = {
    jobInputType: d.type,
    uri: d.uri,
    ...(d.dataContext !== undefined ? { dataContext: d.dataContext } : {}),
    ...(d.columns !== undefined ? { columns: { ...d.columns } } : {}),
  };
  if (d.windowSize === undefined) return { inputDataType: "Fixed", ...common } satisfies inputs.machinelearningservices.FixedInputDataArgs;
  return { inputDataType: "Rolling", ...common, windowOffset: d.windowOffset ?? "P0D", windowSize: d.windowSize } satisfies inputs.machinelearningservices.RollingInputDataArgs;
}

function featureFilter(f: MonitorFeatures | undefined): Filter {
  if (f === undefined || f === "all") return { filterType: "AllFeatures" };
  if ("top" in f) return { filterType: "TopNByAttribution", top: f.top };
  return { filterType: "FeatureSubset", features: [...(f as readonly string[])] };
}

/** One `metricThresholds` entry (the numerical and categorical forms differ only in `dataType`). */
type Threshold = { dataType: "Numerical"; metric: string; threshold: { value: number } } | { dataType: "Categorical"; metric: string; threshold: { value: number } };

function thresholdsOf<D extends Threshold["dataType"]>(dataType: D, list: readonly MetricThreshold<string>[]): Extract<Threshold, { dataType: D }>[] {
  return list.map((t) => ({ dataType, metric: t.metric, threshold: { value: t.threshold } }) as Extract<Threshold, { dataType: D }>);
}

function driftThresholds(s: DataDriftSignalArgs | PredictionDriftSignalArgs): Threshold[] {
  const numerical = s.numerical === undefined ? MONITOR_DEFAULTS.numericalDrift : s.numerical;
  const categorical = s.categorical === undefined ? MONITOR_DEFAULTS.categoricalDrift : s.categorical;
  return [...thresholdsOf("Numerical", numerical === false ? [] : [numerical]), ...thresholdsOf("Categorical", categorical === false ? [] : [categorical])];
}

function qualityThresholds(s: DataQualitySignalArgs): Threshold[] {
  return [...thresholdsOf("Numerical", s.numerical ?? MONITOR_DEFAULTS.dataQuality), ...thresholdsOf("Categorical", s.categorical ?? MONITOR_DEFAULTS.dataQuality)];
}

/** One signal block. `notificationTypes: ["AmlNotification"]` turns the signal's alert on. */
export function monitorSignal(s: MonitorSignalArgs): Signal {
  const data = {
    productionData: monitorInputData(s.productionData),
    referenceData: monitorInputData(s.referenceData),
    notificationTypes: s.alertEnabled === false ? [] : ["AmlNotification"],
  };
  switch (s.kind) {
    case "dataDrift":
      return { signalType: "DataDrift", features: featureFilter(s.features), metricThresholds: driftThresholds(s), ...data } satisfies inputs.machinelearningservices.DataDriftMonitoringSignalArgs;
    case "predictionDrift":
      return { signalType: "PredictionDrift", metricThresholds: driftThresholds(s), ...data } satisfies inputs.machinelearningservices.PredictionDriftMonitoringSignalArgs;
    case "dataQuality":
      return { signalType: "DataQuality", features: featureFilter(s.features), metricThresholds: qualityThresholds(s), ...data } satisfies inputs.machinelearningservices.DataQualityMonitoringSignalArgs;
    default: {
      const never: never = s;
      throw new Error(`unknown signal kind ${JSON.stringify((never as { kind?: unknown }).kind)}`);
    }
  }
}

function isCron(s: MonitorRecurrence | MonitorCron): s is MonitorCron {
  return "cron" in s;
}

/** The trigger block (recurrence or cron), in UTC unless a time zone is given. */
export function monitorTrigger(s: MonitorRecurrence | MonitorCron = MONITOR_DEFAULTS.schedule): Trigger {
  const window = { timeZone: s.timeZone ?? "UTC", ...(s.startTime !== undefined ? { startTime: s.startTime } : {}), ...(s.endTime !== undefined ? { endTime: s.endTime } : {}) };
  if (isCron(s)) return { triggerType: "Cron", expression: s.cron.trim(), ...window } satisfies inputs.machinelearningservices.CronTriggerArgs;
  const at = s.hours !== undefined && s.minutes !== undefined;
  const schedule = at
    ? { hours: [...(s.hours ?? [])], minutes: [...(s.minutes ?? [])], ...(s.weekDays ? { weekDays: [...s.weekDays] } : {}), ...(s.monthDays ? { monthDays: [...s.monthDays] } : {}) }
    : undefined;
  return { triggerType: "Recurrence", frequency: s.frequency, interval: s.interval, ...(schedule ? { schedule } : {}), ...window } satisfies inputs.machinelearningservices.RecurrenceTriggerArgs;
}

/** The compute block: serverless Spark with the AML token, or a user-assigned identity when given. */
export function monitorCompute(c: MonitorSparkCompute = {}): Compute {
  const computeIdentity = c.userAssignedIdentityId
    ? { computeIdentityType: "ManagedIdentity" as const, identity: { type: "UserAssigned", userAssignedIdentities: [c.userAssignedIdentityId] } }
    : { computeIdentityType: "AmlToken" as const };
  return { computeType: "ServerlessSpark", instanceType: c.instanceType ?? MONITOR_DEFAULTS.instanceType, runtimeVersion: c.runtimeVersion ?? MONITOR_DEFAULTS.runtimeVersion, computeIdentity };
}

/** The signal names in declaration order (the breach tag's `<signal>` part). */
export function monitorSignalNames(args: Pick<ModelMonitorDefinitionArgs, "signals">): string[] {
  return Object.keys(args.signals);
}

/**
 * The signals' names as Azure ML knows them: `<monitorName>_<signal>`. Azure ML adds nothing to a
 * signal's name; the breach tag quotes the name as given ("The signal '<name>' has failed …"), and
 * Microsoft asks that signals used in Event Grid filters be named `<monitor-name>_<signal-description>`
 * (Learn, "Integrate Azure Machine Learning model monitoring with Event Grid"). These are the exact
 * scope values a breach trigger compares the parsed signal with.
 */
export function monitorSignalIds(monitorName: string, args: Pick<ModelMonitorDefinitionArgs, "signals">): string[] {
  return monitorSignalNames(args).map((s) => `${monitorName}_${s}`);
}

/**
 * The `Schedule` resource's `properties`: a `CreateMonitor` action with the signals, target, compute and
 * notifications, plus the trigger. Pure; deterministic key order.
 */
export function buildMonitorScheduleProperties(args: ModelMonitorDefinitionArgs): In {
  // Signals are sent as `<monitorName>_<signal>` when the monitor name is known (ModelMonitor always passes it).
  const signals: Record<string, Signal> = {};
  for (const name of monitorSignalNames(args)) signals[args.monitorName === undefined ? name : `${args.monitorName}_${name}`] = monitorSignal(args.signals[name]);
  const monitorDefinition = {
    computeConfiguration: monitorCompute(args.compute),
    monitoringTarget: { taskType: args.taskType, ...(args.deploymentId ? { deploymentId: args.deploymentId } : {}), ...(args.modelId ? { modelId: args.modelId } : {}) },
    signals,
    ...(args.alertEmails && args.alertEmails.length > 0 ? { alertNotificationSettings: { emailNotificationSettings: { emails: [...args.alertEmails] } } } : {}),
  } satisfies inputs.machinelearningservices.MonitorDefinitionArgs;
  return {
    action: { actionType: "CreateMonitor", monitorDefinition },
    trigger: monitorTrigger(args.schedule),
    isEnabled: args.enabled ?? true,
    ...(args.displayName !== undefined ? { displayName: args.displayName } : {}),
    ...(args.description !== undefined ? { description: args.description } : {}),
    ...(args.tags !== undefined ? { tags: { ...args.tags } } : {}),
  } satisfies In;
}
