/**
 * Pure builders for diagnostic settings and metric alerts. They create no resources.
 *
 * Sources (Microsoft Learn, checked December 2026):
 * - "Supported metrics - Microsoft.EventGrid/systemTopics" / "Azure Event Grid - Monitor data reference (push delivery)":
 *   `DeadLetteredCount`, `DroppedEventCount`, `DeliveryAttemptFailCount` (Total), dimension `EventSubscriptionName`.
 * - "Supported logs for Microsoft.EventGrid/systemTopics": log category `DeliveryFailures` (table `AegDeliveryFailureLogs`).
 * - "Supported logs for Microsoft.Logic/Workflows": category `WorkflowRuntime`;
 *   "Supported metrics - Microsoft.Logic/Workflows": `RunsFailed` (Total).
 * - "Supported log categories - Microsoft.DataFactory/factories": `PipelineRuns`, `ActivityRuns`;
 *   "Supported metrics - Microsoft.DataFactory/factories": `PipelineFailedRuns` (Total).
 * - "Supported logs for Microsoft.Web/sites": `FunctionAppLogs`.
 */

/** A metric an alert watches. */
export interface WatchedMetric {
  /** Resource-provider namespace of the metric, e.g. `Microsoft.EventGrid/systemTopics`. */
  readonly namespace: string;
  /** Metric name as the REST API spells it. */
  readonly metricName: string;
  /** What a firing alert means, for the alert's description. */
  readonly meaning: string;
}

/** The metrics this capability alerts on, keyed by a stable short name used in child resource names. */
export const WATCHED_METRICS = {
  deadlettered: { namespace: "Microsoft.EventGrid/systemTopics", metricName: "DeadLetteredCount", meaning: "events were dead-lettered" },
  dropped: { namespace: "Microsoft.EventGrid/systemTopics", metricName: "DroppedEventCount", meaning: "events were dropped (no dead-letter destination, or it failed)" },
  deliveryfailed: { namespace: "Microsoft.EventGrid/systemTopics", metricName: "DeliveryAttemptFailCount", meaning: "delivery attempts failed" },
  runsfailed: { namespace: "Microsoft.Logic/workflows", metricName: "RunsFailed", meaning: "workflow runs failed" },
  pipelinefailed: { namespace: "Microsoft.DataFactory/factories", metricName: "PipelineFailedRuns", meaning: "pipeline runs failed" },
} as const satisfies Record<string, WatchedMetric>;

/** Short names of {@link WATCHED_METRICS}. */
export type WatchedMetricKey = keyof typeof WATCHED_METRICS;

/** Alert thresholds: an alert fires when the metric's total over the window is greater than the threshold. */
export interface AlertThresholds {
  /** Dead-lettered events per subscription. @default 0 */
  readonly deadlettered?: number;
  /** Dropped events per subscription. @default 0 */
  readonly dropped?: number;
  /** Failed delivery attempts per subscription (retries are normal; keep some headroom). @default 5 */
  readonly deliveryfailed?: number;
  /** Failed runs per workflow. @default 0 */
  readonly runsfailed?: number;
  /** Failed pipeline runs of the factory. @default 0 */
  readonly pipelinefailed?: number;
}

/** Defaults of {@link AlertThresholds}. */
export const DEFAULT_THRESHOLDS: Required<AlertThresholds> = { deadlettered: 0, dropped: 0, deliveryfailed: 5, runsfailed: 0, pipelinefailed: 0 };

/** Window sizes Azure Monitor metric alerts accept, in minutes ("Create a metric alert rule", Microsoft Learn). */
export const ALLOWED_WINDOWS = [1, 5, 15, 30, 60, 360, 720, 1440] as const;
/** Evaluation frequencies Azure Monitor metric alerts accept, in minutes. */
export const ALLOWED_FREQUENCIES = [1, 5, 15, 30, 60] as const;

/** Alert timing and severity. */
export interface AlertTiming {
  /** Look-back window in minutes: one of 1, 5, 15, 30, 60, 360, 720, 1440. @default 15 */
  readonly windowMinutes?: number;
  /** How often the rule is evaluated, in minutes: one of 1, 5, 15, 30, 60, not above the window. @default 5 */
  readonly evaluationFrequencyMinutes?: number;
  /** Alert severity, 0 (critical) to 4 (verbose). @default 2 */
  readonly severity?: number;
}

/** ISO 8601 duration of a number of minutes (`PT5M`, `PT1H`, `PT6H`, `P1D`). */
export function isoMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}

/** Validates thresholds and timing; returns one message per problem. */
export function validateAlertSettings(where: string, thresholds: AlertThresholds | undefined, timing: AlertTiming | undefined): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(thresholds ?? {})) {
    if (!(key in DEFAULT_THRESHOLDS)) {
      problems.push(`${where}: thresholds.${key} is not a known alert; use one of ${Object.keys(DEFAULT_THRESHOLDS).join(", ")}.`);
    } else if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100000) {
      problems.push(`${where}: thresholds.${key} is ${JSON.stringify(value)}; expected a whole number from 0 to 100000 (the alert fires when the total is above it).`);
    }
  }
  const window = timing?.windowMinutes ?? 15;
  const frequency = timing?.evaluationFrequencyMinutes ?? 5;
  if (!(ALLOWED_WINDOWS as readonly number[]).includes(window)) {
    problems.push(`${where}: windowMinutes is ${JSON.stringify(window)}; Azure Monitor accepts ${ALLOWED_WINDOWS.join(", ")}.`);
  }
  if (!(ALLOWED_FREQUENCIES as readonly number[]).includes(frequency)) {
    problems.push(`${where}: evaluationFrequencyMinutes is ${JSON.stringify(frequency)}; Azure Monitor accepts ${ALLOWED_FREQUENCIES.join(", ")}.`);
  } else if (frequency > window) {
    problems.push(`${where}: evaluationFrequencyMinutes ${frequency} is longer than windowMinutes ${window}; evaluate at most as often as the window is long.`);
  }
  const severity = timing?.severity ?? 2;
  if (!Number.isInteger(severity) || severity < 0 || severity > 4) {
    problems.push(`${where}: severity is ${JSON.stringify(severity)}; expected a whole number from 0 (critical) to 4 (verbose).`);
  }
  return problems;
}

/** The static-threshold criteria of one metric alert, in the azure-native `MetricAlert.criteria` shape. */
export interface MetricAlertCriteria {
  readonly odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria";
  readonly allOf: readonly {
    readonly criterionType: "StaticThresholdCriterion";
    readonly name: string;
    readonly metricNamespace: string;
    readonly metricName: string;
    readonly dimensions?: readonly { readonly name: string; readonly operator: "Include"; readonly values: readonly string[] }[];
    readonly operator: "GreaterThan";
    readonly threshold: number;
    readonly timeAggregation: "Total";
  }[];
}

/**
 * Criteria for one metric. With `subscriptionNames`, the alert splits by `EventSubscriptionName` so each
 * subscription is its own time series (one firing alert per failing subscription); an empty list watches
 * every subscription (`*`), including ones added later.
 */
export function metricAlertCriteria(key: WatchedMetricKey, threshold: number, subscriptionNames?: readonly string[]): MetricAlertCriteria {
  const metric = WATCHED_METRICS[key];
  const dimensions =
    subscriptionNames === undefined
      ? undefined
      : [{ name: "EventSubscriptionName", operator: "Include" as const, values: subscriptionNames.length > 0 ? [...subscriptionNames].sort() : ["*"] }];
  return {
    odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
    allOf: [
      {
        criterionType: "StaticThresholdCriterion",
        name: metric.metricName,
        metricNamespace: metric.namespace,
        metricName: metric.metricName,
        ...(dimensions ? { dimensions } : {}),
        operator: "GreaterThan",
        threshold,
        timeAggregation: "Total",
      },
    ],
  };
}

/** What a diagnostic setting sends for one kind of watched resource. */
export interface DiagnosticProfile {
  /** Log categories. */
  readonly logCategories: readonly string[];
  /** Whether the `AllMetrics` metric category is exported too. */
  readonly allMetrics: boolean;
  /** `Dedicated` writes resource-specific tables (e.g. `ADFPipelineRun`); absent writes `AzureDiagnostics`. */
  readonly destinationType?: "Dedicated";
}

/** Kinds of resources this capability sends diagnostics for. */
export type WatchedKind = "systemTopic" | "workflow" | "functionApp" | "factory";

/** The diagnostic profile of each watched kind. */
export const DIAGNOSTIC_PROFILES: Readonly<Record<WatchedKind, DiagnosticProfile>> = {
  // Resource-specific table AegDeliveryFailureLogs ("Supported logs for Microsoft.EventGrid/systemTopics").
  systemTopic: { logCategories: ["DeliveryFailures"], allMetrics: true, destinationType: "Dedicated" },
  workflow: { logCategories: ["WorkflowRuntime"], allMetrics: true },
  functionApp: { logCategories: ["FunctionAppLogs"], allMetrics: false },
  factory: { logCategories: ["PipelineRuns", "ActivityRuns"], allMetrics: true, destinationType: "Dedicated" },
};

/** The `logs`/`metrics` inputs of a `monitor.DiagnosticSetting` for one kind. */
export function diagnosticSettingInputs(kind: WatchedKind): {
  logs: { category: string; enabled: true }[];
  metrics?: { category: "AllMetrics"; enabled: true }[];
  logAnalyticsDestinationType?: "Dedicated";
} {
  const profile = DIAGNOSTIC_PROFILES[kind];
  return {
    logs: profile.logCategories.map((category) => ({ category, enabled: true as const })),
    ...(profile.allMetrics ? { metrics: [{ category: "AllMetrics" as const, enabled: true as const }] } : {}),
    ...(profile.destinationType ? { logAnalyticsDestinationType: profile.destinationType } : {}),
  };
}

/** Validates action-group email recipients; returns one message per problem. */
export function validateRecipients(where: string, recipients: readonly string[]): string[] {
  const problems: string[] = [];
  if (recipients.length === 0) {
    problems.push(`${where}: recipients is empty; alerts nobody receives are silent. Give at least one email address.`);
  }
  if (recipients.length > 1000) problems.push(`${where}: ${recipients.length} recipients; an action group holds at most 1000 email receivers.`);
  const seen = new Set<string>();
  for (const r of recipients) {
    if (typeof r !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(r)) {
      problems.push(`${where}: recipient ${JSON.stringify(r)} is not an email address; use e.g. "ml-oncall@contoso.com".`);
    } else if (seen.has(r.toLowerCase())) {
      problems.push(`${where}: recipient ${JSON.stringify(r)} is listed twice; list each address once.`);
    }
    if (typeof r === "string") seen.add(r.toLowerCase());
  }
  return problems;
}

/** Email receivers of the action group, with stable unique names derived from the addresses. */
export function emailReceivers(recipients: readonly string[]): { name: string; emailAddress: string; useCommonAlertSchema: true }[] {
  return recipients.map((emailAddress, i) => ({ name: `email-${i + 1}-${emailAddress.split("@")[0].replace(/[^A-Za-z0-9-]/g, "-")}`.slice(0, 64), emailAddress, useCommonAlertSchema: true as const }));
}

/** The setting name Observability gives every diagnostic setting it creates (one per watched resource). */
export const MONITORING_SETTING_NAME = "aml-events-to-log-analytics";

/** The ARM type of each watched kind. */
export const WATCHED_KIND_TYPES = {
  systemTopic: "Microsoft.EventGrid/systemTopics",
  workflow: "Microsoft.Logic/workflows",
  functionApp: "Microsoft.Web/sites",
  factory: "Microsoft.DataFactory/factories",
} as const satisfies Readonly<Record<WatchedKind, string>>;
