/**
 * `ModelMonitor`'s arguments as plain data, for Python, Go, .NET and YAML: the TypeScript `ModelMonitorArgs`
 * has unions (three signal shapes, a metric or `false`, `"all"` or a list or `{ top }`, a recurrence or a cron)
 * that Pulumi's schema cannot say. Here every union is one object with a `kind` enum or optional fields of
 * which at most one is given; {@link modelMonitorArgsFromPlain} turns it into `ModelMonitorArgs` (then checked by
 * the same `validateModelMonitorArgs` as TypeScript) and names every misplaced or unknown field. Pure.
 */
import type { ModelMonitorArgs, MonitorDataInput, MonitorSignalArgs, MonitorSparkCompute } from "../lib/monitoring/monitorTypes";
import { ArgKeys, unknownArgumentProblems, unknownArgumentProblemsInList } from "../lib/workspace/argKeys";

/** The kind of a built-in monitoring signal. */
export const MonitorSignalKind = {
  /** Distribution of the model's inputs against the reference. */
  DataDrift: "dataDrift",
  /** Distribution of the model's outputs against the reference. */
  PredictionDrift: "predictionDrift",
  /** Null values, type errors and out-of-range values in the model's inputs. */
  DataQuality: "dataQuality",
} as const;
/** The kind of a built-in monitoring signal. */
export type MonitorSignalKind = (typeof MonitorSignalKind)[keyof typeof MonitorSignalKind];

/** A signal metric. Which ones a signal accepts is checked at construction (drift: distances and tests; data quality: rates). */
export const MonitorMetric = {
  JensenShannonDistance: "JensenShannonDistance",
  PopulationStabilityIndex: "PopulationStabilityIndex",
  NormalizedWassersteinDistance: "NormalizedWassersteinDistance",
  TwoSampleKolmogorovSmirnovTest: "TwoSampleKolmogorovSmirnovTest",
  PearsonsChiSquaredTest: "PearsonsChiSquaredTest",
  NullValueRate: "NullValueRate",
  DataTypeErrorRate: "DataTypeErrorRate",
  OutOfBoundsRate: "OutOfBoundsRate",
} as const;
/** A signal metric. */
export type MonitorMetric = (typeof MonitorMetric)[keyof typeof MonitorMetric];

/** Task of the monitored model. */
export const MonitorTaskType = { Classification: "Classification", Regression: "Regression" } as const;
/** Task of the monitored model. */
export type MonitorTaskType = (typeof MonitorTaskType)[keyof typeof MonitorTaskType];

/** How the monitoring job reads a data input. */
export const MonitorDataType = { UriFolder: "uri_folder", UriFile: "uri_file", MlTable: "mltable" } as const;
/** How the monitoring job reads a data input. */
export type MonitorDataType = (typeof MonitorDataType)[keyof typeof MonitorDataType];

/** Recurrence unit of a monitor's schedule. */
export const MonitorScheduleFrequency = { Minute: "Minute", Hour: "Hour", Day: "Day", Week: "Week", Month: "Month" } as const;
/** Recurrence unit of a monitor's schedule. */
export type MonitorScheduleFrequency = (typeof MonitorScheduleFrequency)[keyof typeof MonitorScheduleFrequency];

/** A week day of a weekly schedule. */
export const MonitorScheduleWeekDay = { Monday: "Monday", Tuesday: "Tuesday", Wednesday: "Wednesday", Thursday: "Thursday", Friday: "Friday", Saturday: "Saturday", Sunday: "Sunday" } as const;
/** A week day of a weekly schedule. */
export type MonitorScheduleWeekDay = (typeof MonitorScheduleWeekDay)[keyof typeof MonitorScheduleWeekDay];

/** One metric and the value at which it breaches. */
export interface MonitorMetricThreshold {
  /** The metric to compute. */
  readonly metric: MonitorMetric;
  /** The threshold: distances and rates breach ABOVE it; the two statistical tests report a p-value and breach BELOW it. */
  readonly threshold: number;
}

/** Data a signal reads: a data asset or a cloud path, optionally a rolling window of it. */
export interface MonitorData {
  /** A data version's ARM id (`…/workspaces/{ws}/data/{name}/versions/{version}`), an `azureml://` URI, or an `https://`, `abfss://` or `wasbs://` URL. */
  readonly uri: string;
  /** How the job reads it. */
  readonly type: MonitorDataType;
  /** Size of a rolling window ending `windowOffset` before each run (ISO 8601, `P7D`). Default: the whole asset (a fixed input). */
  readonly windowSize?: string;
  /** Offset of the rolling window's end before the run time (ISO 8601); only with `windowSize`. Default: `P0D`. */
  readonly windowOffset?: string;
  /** What the data is (`model_inputs`, `model_outputs`, `training`, `validation`). Default: not sent. */
  readonly dataContext?: string;
  /** Column roles, e.g. `{ target_column: "DEFAULT_NEXT_MONTH" }`. Default: not sent. */
  readonly columns?: Record<string, string>;
}

/** One monitoring signal: the fields a kind does not take must be left out. */
export interface MonitorSignal {
  /** The signal's kind. */
  readonly kind: MonitorSignalKind;
  /** Production data (inputs for data drift and quality, outputs for prediction drift). */
  readonly productionData: MonitorData;
  /** The baseline: training or validation data, or recent past production data. */
  readonly referenceData: MonitorData;
  /** Whether a breach raises Azure ML's alert (email to `alertEmails`). Default: true. */
  readonly alertEnabled?: boolean;
  /** Features to look at (dataDrift, dataQuality). Default: all features. Give this or `topFeatures`, not both. */
  readonly features?: string[];
  /** Only the n most important features (dataDrift, dataQuality; needs the reference's target column). Default: all features. */
  readonly topFeatures?: number;
  /**
   * Metrics for numerical features. Drift: one metric, or `[]` to skip numerical features; default
   * NormalizedWassersteinDistance at 0.1. Data quality: a list; default each of the three rates at 0.
   */
  readonly numerical?: MonitorMetricThreshold[];
  /**
   * Metrics for categorical features. Drift: one metric, or `[]` to skip categorical features; default
   * JensenShannonDistance at 0.1. Data quality: a list; default each of the three rates at 0.
   */
  readonly categorical?: MonitorMetricThreshold[];
}

/** When the monitor runs: a `cron`, or `frequency` and `interval` (with optional hours, minutes, days). */
export interface MonitorSchedule {
  /** NCronTab, five fields (`15 3 * * *`). Give this or `frequency`, not both. Default: daily at 03:15 when neither is given. */
  readonly cron?: string;
  /** Recurrence unit (with `interval`). */
  readonly frequency?: MonitorScheduleFrequency;
  /** Units between runs, a positive integer (with `frequency`). */
  readonly interval?: number;
  /** Hours of the day (0-23), with `minutes`. Default: not sent. */
  readonly hours?: number[];
  /** Minutes of the hour (0-59), with `hours`. Default: not sent. */
  readonly minutes?: number[];
  /** Week days, only with frequency `Week`. Default: not sent. */
  readonly weekDays?: MonitorScheduleWeekDay[];
  /** Days of the month (1-31), only with frequency `Month`. Default: not sent. */
  readonly monthDays?: number[];
  /** Windows time zone name (`W. Europe Standard Time`). Default: UTC. */
  readonly timeZone?: string;
  /** First run at or after, ISO 8601 without offset. Default: now. */
  readonly startTime?: string;
  /** No runs after, ISO 8601 without offset. Default: runs indefinitely. */
  readonly endTime?: string;
}

/** Arguments of `ModelMonitor` in every language: an Azure ML model monitor (v2) schedule. */
export interface ModelMonitorPlainArgs {
  /** ARM id of the Azure ML workspace the monitor is created in. */
  readonly workspaceId: string;
  /** The monitor's (schedule's) name in the workspace; breach tags name `<monitorName>_<signal>`. Default: the component's name. */
  readonly monitorName?: string;
  /** Task of the monitored model. */
  readonly taskType: MonitorTaskType;
  /** ARM id of the monitored online deployment in the monitor's workspace. Default: no deployment. */
  readonly deploymentId?: string;
  /** The monitored model: `azureml:<name>:<version>` or its ARM id in the workspace. Default: no model. */
  readonly modelId?: string;
  /** Signals by name (the keys become the breach tag's `<signal>`); at least one. */
  readonly signals: Record<string, MonitorSignal>;
  /** When the monitor runs. Default: daily at 03:15 UTC. */
  readonly schedule?: MonitorSchedule;
  /** The serverless Spark compute. Default: Standard_E4s_v3, runtime 3.4, the Azure ML token as identity. */
  readonly compute?: MonitorSparkCompute;
  /** Addresses Azure ML emails on a breach (at most 499 characters in total). Default: no emails. */
  readonly alertEmails?: string[];
  /** Display name. Default: not sent. */
  readonly displayName?: string;
  /** Description. Default: not sent. */
  readonly description?: string;
  /** Whether the schedule runs. Default: true. */
  readonly enabled?: boolean;
  /** Tags on the schedule. Default: none. */
  readonly tags?: Record<string, string>;
}

const ARG_KEYS = { workspaceId: true, monitorName: true, taskType: true, deploymentId: true, modelId: true, signals: true, schedule: true, compute: true, alertEmails: true, displayName: true, description: true, enabled: true, tags: true } as const satisfies ArgKeys<ModelMonitorPlainArgs>;
const SIGNAL_KEYS = { kind: true, productionData: true, referenceData: true, alertEnabled: true, features: true, topFeatures: true, numerical: true, categorical: true } as const satisfies ArgKeys<MonitorSignal>;
const DATA_KEYS = { uri: true, type: true, windowSize: true, windowOffset: true, dataContext: true, columns: true } as const satisfies ArgKeys<MonitorData>;
const SCHEDULE_KEYS = { cron: true, frequency: true, interval: true, hours: true, minutes: true, weekDays: true, monthDays: true, timeZone: true, startTime: true, endTime: true } as const satisfies ArgKeys<MonitorSchedule>;
const THRESHOLD_KEYS = { metric: true, threshold: true } as const satisfies ArgKeys<MonitorMetricThreshold>;
const COMPUTE_KEYS = { instanceType: true, runtimeVersion: true, userAssignedIdentityId: true } as const satisfies ArgKeys<MonitorSparkCompute>;
const RECURRENCE_ONLY = ["frequency", "interval", "hours", "minutes", "weekDays", "monthDays"] as const;

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** `value` without its undefined entries (an omitted field stays omitted for the checks and builders). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A drift signal's one metric: omitted → the default, `[]` → skip (`false`), one entry → it; more is a problem. */
function driftMetric(arg: string, list: MonitorMetricThreshold[] | undefined, problems: string[]): MonitorMetricThreshold | false | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) {
    problems.push(`${arg}: got ${show(list)}; expected a list of at most one { metric, threshold } ([] skips these features).`);
    return undefined;
  }
  if (list.length > 1) problems.push(`${arg}: got ${list.length} metrics; a drift signal takes one per feature type. Keep one, or [] to skip these features.`);
  return list.length === 0 ? false : list[0];
}

function features(arg: string, s: MonitorSignal, problems: string[]): { features?: "all" | string[] | { top: number } } {
  if (s.features !== undefined && s.topFeatures !== undefined) problems.push(`${arg}: features and topFeatures are both set; give the feature list or the top n, not both.`);
  if (s.topFeatures !== undefined) return { features: { top: s.topFeatures } };
  return s.features === undefined ? {} : { features: s.features };
}

function data(arg: string, d: MonitorData, problems: string[]): MonitorDataInput {
  problems.push(...unknownArgumentProblems(d, DATA_KEYS, `${arg}.`));
  return d as MonitorDataInput;
}

/** One plain signal as the TypeScript union member of its kind. */
function signal(arg: string, s: MonitorSignal, problems: string[]): MonitorSignalArgs {
  problems.push(...unknownArgumentProblems(s, SIGNAL_KEYS, `${arg}.`));
  for (const side of ["numerical", "categorical"] as const) problems.push(...unknownArgumentProblemsInList(s[side], THRESHOLD_KEYS, `${arg}.${side}`));
  const common = { productionData: data(`${arg}.productionData`, s.productionData, problems), referenceData: data(`${arg}.referenceData`, s.referenceData, problems), ...(s.alertEnabled !== undefined ? { alertEnabled: s.alertEnabled } : {}) };
  const kind = s.kind;
  switch (kind) {
    case "dataDrift":
      return defined({ kind, ...common, ...features(arg, s, problems), numerical: driftMetric(`${arg}.numerical`, s.numerical, problems), categorical: driftMetric(`${arg}.categorical`, s.categorical, problems) }) as MonitorSignalArgs;
    case "predictionDrift":
      if (s.features !== undefined || s.topFeatures !== undefined) problems.push(`${arg}: features and topFeatures belong to kinds "dataDrift" and "dataQuality"; a prediction drift signal compares the model's outputs. Drop them.`);
      return defined({ kind, ...common, numerical: driftMetric(`${arg}.numerical`, s.numerical, problems), categorical: driftMetric(`${arg}.categorical`, s.categorical, problems) }) as MonitorSignalArgs;
    case "dataQuality":
      return defined({ kind, ...common, ...features(arg, s, problems), numerical: s.numerical, categorical: s.categorical }) as MonitorSignalArgs;
    default: {
      const unknownKind: never = kind;
      problems.push(`${arg}.kind: got ${show(unknownKind)}; expected "dataDrift", "predictionDrift" or "dataQuality".`);
      return s as unknown as MonitorSignalArgs;
    }
  }
}

function schedule(s: MonitorSchedule | undefined, problems: string[]): ModelMonitorArgs["schedule"] {
  if (s === undefined) return undefined;
  problems.push(...unknownArgumentProblems(s, SCHEDULE_KEYS, "schedule."));
  const recurrence = RECURRENCE_ONLY.filter((k) => s[k] !== undefined);
  if (s.cron !== undefined && recurrence.length > 0) problems.push(`schedule: cron is set together with ${recurrence.join(", ")}; give a cron, or frequency and interval, not both.`);
  if (s.cron === undefined && (s.frequency === undefined || s.interval === undefined)) problems.push(`schedule: got ${show(s)}; give a cron ("15 3 * * *"), or frequency and interval (e.g. "Day" and 1).`);
  return defined(s) as ModelMonitorArgs["schedule"];
}

/** The TypeScript arguments of a plain `ModelMonitorPlainArgs`, and every problem the conversion found. */
export function modelMonitorArgsFromPlain(plain: ModelMonitorPlainArgs): { args: ModelMonitorArgs; problems: string[] } {
  const problems = [...unknownArgumentProblems(plain, ARG_KEYS), ...unknownArgumentProblems(plain.compute, COMPUTE_KEYS, "compute.")];
  const signals = plain.signals !== null && typeof plain.signals === "object" ? plain.signals : {};
  const converted = Object.fromEntries(Object.entries(signals).map(([n, s]) => [n, signal(`signals[${show(n)}]`, s, problems)]));
  const args = { ...plain, signals: converted, schedule: schedule(plain.schedule, problems) } as ModelMonitorArgs;
  if (args.schedule === undefined) delete (args as { schedule?: unknown }).schedule;
  return { args, problems };
}
