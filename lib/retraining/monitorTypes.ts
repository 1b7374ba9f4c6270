/**
 * Arguments of {@link ModelMonitor}: an Azure ML model monitor (v2), i.e. a workspace `Schedule` whose
 * action is `CreateMonitor`. Names and shapes follow the REST API (azure-native 3.x
 * `machinelearningservices.Schedule`); the facts behind the defaults are cited where they are used
 * (`monitorDefinition.ts`) and in the README ("### ModelMonitor").
 */
import { AvmInterfaces } from "../interfaces/types";

/** Numerical drift metrics (data drift and prediction drift). */
export type NumericalDriftMetric = "JensenShannonDistance" | "PopulationStabilityIndex" | "NormalizedWassersteinDistance" | "TwoSampleKolmogorovSmirnovTest";
/** Categorical drift metrics (data drift and prediction drift). */
export type CategoricalDriftMetric = "JensenShannonDistance" | "PopulationStabilityIndex" | "PearsonsChiSquaredTest";
/** Data quality metrics (numerical and categorical features alike). */
export type DataQualityMetric = "NullValueRate" | "DataTypeErrorRate" | "OutOfBoundsRate";

/** One metric and the value at which it breaches. */
export interface MetricThreshold<M extends string> {
  /** The metric to compute. */
  readonly metric: M;
  /**
   * The threshold. Distances and rates breach when the value is ABOVE it; the two statistical tests
   * (`TwoSampleKolmogorovSmirnovTest`, `PearsonsChiSquaredTest`) report a p-value and breach when it is BELOW.
   */
  readonly threshold: number;
}

/** Data a signal reads: a data asset or a cloud path, optionally a rolling window of it. */
export interface MonitorDataInput {
  /**
   * The data: a registered data asset `azureml:<name>:<version>` (or `azureml:<name>@latest`), an
   * `azureml://` datastore or asset URI, or an `https://`, `abfss://`, `wasbs://` URL.
   */
  readonly uri: string;
  /** How the job reads it. */
  readonly type: "uri_folder" | "uri_file" | "mltable";
  /**
   * Size of a rolling window ending `windowOffset` before each run, an ISO 8601 duration (`P7D`, `PT12H`).
   * @default - the whole asset (a fixed input)
   */
  readonly windowSize?: string;
  /** Offset of the rolling window's end before the run time (ISO 8601). Only with `windowSize`. @default "P0D" */
  readonly windowOffset?: string;
  /** What the data is (`model_inputs`, `model_outputs`, `training`, `validation`). @default - not sent */
  readonly dataContext?: string;
  /** Column roles, e.g. `{ target_column: "DEFAULT_NEXT_MONTH" }`. @default - not sent */
  readonly columns?: Readonly<Record<string, string>>;
}

/** Which features a data drift or data quality signal looks at. */
export type MonitorFeatures = "all" | readonly string[] | { readonly top: number };

/** What every built-in signal has. */
interface SignalCommon {
  /** Production data (inputs for data drift/quality, outputs for prediction drift). */
  readonly productionData: MonitorDataInput;
  /** The baseline: training or validation data, or recent past production data. */
  readonly referenceData: MonitorDataInput;
  /** Whether a breach raises Azure ML's alert (email to `alertEmails`). @default true */
  readonly alertEnabled?: boolean;
}

/** Data drift: distribution of the model's inputs against the reference. */
export interface DataDriftSignalArgs extends SignalCommon {
  /** Signal kind. */
  readonly kind: "dataDrift";
  /** Features to compare. @default "all" */
  readonly features?: MonitorFeatures;
  /** Metric for numerical features; `false` to skip them. @default { metric: "NormalizedWassersteinDistance", threshold: 0.1 } */
  readonly numerical?: MetricThreshold<NumericalDriftMetric> | false;
  /** Metric for categorical features; `false` to skip them. @default { metric: "JensenShannonDistance", threshold: 0.1 } */
  readonly categorical?: MetricThreshold<CategoricalDriftMetric> | false;
}

/** Prediction drift: distribution of the model's outputs against the reference. */
export interface PredictionDriftSignalArgs extends SignalCommon {
  /** Signal kind. */
  readonly kind: "predictionDrift";
  /** Metric for numerical outputs; `false` to skip them. @default { metric: "NormalizedWassersteinDistance", threshold: 0.1 } */
  readonly numerical?: MetricThreshold<NumericalDriftMetric> | false;
  /** Metric for categorical outputs; `false` to skip them. @default { metric: "JensenShannonDistance", threshold: 0.1 } */
  readonly categorical?: MetricThreshold<CategoricalDriftMetric> | false;
}

/** Data quality: null values, type errors and out-of-range values in the model's inputs. */
export interface DataQualitySignalArgs extends SignalCommon {
  /** Signal kind. */
  readonly kind: "dataQuality";
  /** Features to check. @default "all" */
  readonly features?: MonitorFeatures;
  /** Metrics for numerical features (rates, 0..1). @default - each of the three metrics at 0 */
  readonly numerical?: readonly MetricThreshold<DataQualityMetric>[];
  /** Metrics for categorical features (rates, 0..1). @default - each of the three metrics at 0 */
  readonly categorical?: readonly MetricThreshold<DataQualityMetric>[];
}

/** One of the three common built-in signals. */
export type MonitorSignalArgs = DataDriftSignalArgs | PredictionDriftSignalArgs | DataQualitySignalArgs;

/** Recurrence frequency units. */
export type MonitorFrequency = "Minute" | "Hour" | "Day" | "Week" | "Month";
/** Week days. */
export type MonitorWeekDay = "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";

/** Schedule window common to both forms. */
interface ScheduleWindow {
  /** Windows time zone name (e.g. `W. Europe Standard Time`). @default "UTC" */
  readonly timeZone?: string;
  /** First run at or after, ISO 8601 without offset (`2026-12-01T00:00:00`). @default - now */
  readonly startTime?: string;
  /** No runs after, ISO 8601 without offset. @default - runs indefinitely */
  readonly endTime?: string;
}

/** Every `interval` `frequency`s, optionally at given hours/minutes/days. */
export interface MonitorRecurrence extends ScheduleWindow {
  /** Unit. */
  readonly frequency: MonitorFrequency;
  /** How many units between runs (positive integer). */
  readonly interval: number;
  /** Hours of the day (0-23); give with `minutes`. @default - not sent */
  readonly hours?: readonly number[];
  /** Minutes of the hour (0-59); give with `hours`. @default - not sent */
  readonly minutes?: readonly number[];
  /** Week days, only with frequency `Week`. @default - not sent */
  readonly weekDays?: readonly MonitorWeekDay[];
  /** Days of the month (1-31), only with frequency `Month`. @default - not sent */
  readonly monthDays?: readonly number[];
}

/** A cron (NCronTab, five fields) schedule. */
export interface MonitorCron extends ScheduleWindow {
  /** `minute hour day-of-month month day-of-week`, e.g. `15 3 * * *`. */
  readonly cron: string;
}

/** The serverless Spark pool the monitoring job runs on. */
export interface MonitorSparkCompute {
  /** VM size. @default "Standard_E4s_v3" */
  readonly instanceType?: string;
  /** Spark runtime version (`major.minor`). @default "3.4" */
  readonly runtimeVersion?: string;
  /**
   * ARM id of a user-assigned managed identity the job runs as (it must be attached to the workspace and
   * may read the data; see the README). @default - the job runs with the Azure ML token (`AmlToken`)
   */
  readonly userAssignedIdentityId?: string;
}

/** The model monitor's definition (everything but where it lives). */
export interface ModelMonitorDefinitionArgs {
  /**
   * The monitor's name in the workspace (the schedule's name). Breach tags name `'<monitorName>_<signal>'`.
   * @default - the component's name
   */
  readonly monitorName?: string;
  /** Task of the monitored model. */
  readonly taskType: "Classification" | "Regression";
  /**
   * ARM id of the monitored online deployment, in the monitor's workspace
   * (`…/workspaces/{ws}/onlineEndpoints/{endpoint}/deployments/{deployment}`). @default - no deployment
   */
  readonly deploymentId?: string;
  /** The monitored model: `azureml:<name>:<version>` or its ARM id in the workspace. @default - no model */
  readonly modelId?: string;
  /** Signals by name (the keys become the breach tag's `<signal>`). At least one. */
  readonly signals: Readonly<Record<string, MonitorSignalArgs>>;
  /** When the monitor runs. @default { frequency: "Day", interval: 1, hours: [3], minutes: [15] } */
  readonly schedule?: MonitorRecurrence | MonitorCron;
  /** The Spark compute. @default { instanceType: "Standard_E4s_v3", runtimeVersion: "3.4" } (AmlToken identity) */
  readonly compute?: MonitorSparkCompute;
  /** Addresses Azure ML emails on a breach (at most 499 characters in total). @default - no emails */
  readonly alertEmails?: readonly string[];
  /** Display name. @default - not sent */
  readonly displayName?: string;
  /** Description. @default - not sent */
  readonly description?: string;
  /** Whether the schedule runs. @default true */
  readonly enabled?: boolean;
  /** Tags on the schedule. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Arguments of {@link ModelMonitor}. */
export interface ModelMonitorArgs extends ModelMonitorDefinitionArgs, AvmInterfaces {
  /** ARM id of the Azure ML workspace the monitor is created in (a plain string, checked at construction). */
  readonly workspaceId: string;
  /** Tags on the schedule. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** A management lock on the schedule. @default - no lock */
  readonly lock?: AvmInterfaces["lock"];
  /**
   * Not supported: a schedule takes no diagnostic settings (set them on the workspace, whose job
   * logs carry the monitor's runs). Setting it is refused. @default []
   */
  readonly diagnosticSettings?: AvmInterfaces["diagnosticSettings"];
  /** Extra role grants on the schedule. @default [] */
  readonly roleAssignments?: AvmInterfaces["roleAssignments"];
  /**
   * The identity the monitoring job runs as: ONE user-assigned identity (the same as
   * `compute.userAssignedIdentityId`); a monitor's Spark job runs as the Azure ML token or a
   * user-assigned identity, so `systemAssigned: true` is refused. @default - the Azure ML token
   */
  readonly managedIdentities?: AvmInterfaces["managedIdentities"];
}
