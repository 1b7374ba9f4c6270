/**
 * AVM `diagnosticSettings`: one `monitor.DiagnosticSetting` per entry per created resource that
 * supports diagnostics. Which log categories, category groups and metrics each resource type exports
 * is from Learn's "Supported categories for Azure Monitor resource logs" and "Supported metrics" pages
 * (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index), one page per type:
 * - microsoft-eventgrid-systemtopics-logs: `DeliveryFailures`; group allLogs.
 * - microsoft-logic-workflows-logs: `WorkflowRuntime`; group allLogs.
 * - microsoft-web-sites-logs: `AppServiceAppLogs`, `AppServiceAuditLogs`, `AppServiceAuthenticationLogs`,
 *   `AppServiceConsoleLogs`, `AppServiceFileAuditLogs`, `AppServiceHTTPLogs`, `AppServiceIPSecAuditLogs`,
 *   `AppServicePlatformLogs`, `FunctionAppLogs`, `WorkflowRuntime`; groups allLogs, audit.
 * - microsoft-datafactory-factories-logs: `ActivityRuns`, `PipelineRuns`, `TriggerRuns`,
 *   `SandboxActivityRuns`, `SandboxPipelineRuns`, the `SSIS*` and `Airflow*` categories; group allLogs.
 * - microsoft-eventhub-namespaces-logs: `ApplicationMetricsLogs`, `ArchiveLogs`, `AutoScaleLogs`,
 *   `CustomerManagedKeyUserLogs`, `DataDRLogs`, `DiagnosticErrorLogs`, `EventHubVNetConnectionEvent`,
 *   `KafkaCoordinatorLogs`, `KafkaUserErrorLogs`, `OperationalLogs`, `RuntimeAuditLogs`; groups allLogs, audit.
 * - microsoft-operationalinsights-workspaces-logs: `Audit`, `SummaryLogs`; groups allLogs, audit.
 * - microsoft-insights-components-logs: `AppAvailabilityResults`, `AppBrowserTimings`, `AppDependencies`,
 *   `AppEvents`, `AppExceptions`, `AppMetrics`, `AppPageViews`, `AppPerformanceCounters`, `AppRequests`,
 *   `AppSystemEvents`, `AppTraces`; group allLogs.
 * - Microsoft.Storage/storageAccounts: no resource logs at the account (they are on the blob, queue,
 *   table and file services); metrics (`Transaction`) are exported with `AllMetrics`.
 * A resource can have at most five diagnostic settings, and two settings of one resource may not send
 * the same category to the same destination (Learn, "Diagnostic settings in Azure Monitor").
 */
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import { DiagnosticLogCategory, DiagnosticMetricCategory, DiagnosticSetting } from "./types";

/** What a resource type exports through diagnostic settings. */
export interface DiagnosticSupport {
  /** Its log categories (empty: none). */
  readonly logCategories: readonly string[];
  /** Its category groups. */
  readonly categoryGroups: readonly ("allLogs" | "audit")[];
  /** Whether it exports platform metrics. */
  readonly metrics: boolean;
}

/** The resource types our components create that support diagnostic settings (see the file's sources). */
export const DIAGNOSTIC_SUPPORT = {
  "Microsoft.EventGrid/systemTopics": { logCategories: ["DeliveryFailures"], categoryGroups: ["allLogs"], metrics: true },
  "Microsoft.Logic/workflows": { logCategories: ["WorkflowRuntime"], categoryGroups: ["allLogs"], metrics: true },
  "Microsoft.Web/sites": {
    logCategories: ["AppServiceAppLogs", "AppServiceAuditLogs", "AppServiceAuthenticationLogs", "AppServiceConsoleLogs", "AppServiceFileAuditLogs", "AppServiceHTTPLogs", "AppServiceIPSecAuditLogs", "AppServicePlatformLogs", "FunctionAppLogs", "WorkflowRuntime"],
    categoryGroups: ["allLogs", "audit"],
    metrics: true,
  },
  "Microsoft.DataFactory/factories": {
    logCategories: ["ActivityRuns", "PipelineRuns", "TriggerRuns", "SandboxActivityRuns", "SandboxPipelineRuns", "SSISIntegrationRuntimeLogs", "SSISPackageEventMessageContext", "SSISPackageEventMessages", "SSISPackageExecutableStatistics", "SSISPackageExecutionComponentPhases", "SSISPackageExecutionDataStatistics", "AirflowDagProcessingLogs", "AirflowSchedulerLogs", "AirflowTaskLogs", "AirflowWebLogs", "AirflowWorkerLogs"],
    categoryGroups: ["allLogs"],
    metrics: true,
  },
  "Microsoft.EventHub/namespaces": {
    logCategories: ["ApplicationMetricsLogs", "ArchiveLogs", "AutoScaleLogs", "CustomerManagedKeyUserLogs", "DataDRLogs", "DiagnosticErrorLogs", "EventHubVNetConnectionEvent", "KafkaCoordinatorLogs", "KafkaUserErrorLogs", "OperationalLogs", "RuntimeAuditLogs"],
    categoryGroups: ["allLogs", "audit"],
    metrics: true,
  },
  "Microsoft.OperationalInsights/workspaces": { logCategories: ["Audit", "SummaryLogs"], categoryGroups: ["allLogs", "audit"], metrics: true },
  "Microsoft.Insights/components": {
    logCategories: ["AppAvailabilityResults", "AppBrowserTimings", "AppDependencies", "AppEvents", "AppExceptions", "AppMetrics", "AppPageViews", "AppPerformanceCounters", "AppRequests", "AppSystemEvents", "AppTraces"],
    categoryGroups: ["allLogs"],
    metrics: true,
  },
  "Microsoft.Storage/storageAccounts": { logCategories: [], categoryGroups: [], metrics: true },
} as const satisfies Readonly<Record<string, DiagnosticSupport>>;

/** A resource type with diagnostic support. */
export type DiagnosticResourceType = keyof typeof DIAGNOSTIC_SUPPORT;

/** One created resource diagnostic settings apply to. */
export interface DiagnosticTarget {
  /** Suffix of the child name (`${name}-diag-<i>-<label>`); empty for the component's main resource (`${name}-diag-<i>`). */
  readonly label: string;
  /** Its ARM type. */
  readonly type: DiagnosticResourceType;
  /** Its ARM id. */
  readonly resourceId: pulumi.Input<string>;
}

const DEFAULT_LOGS: readonly DiagnosticLogCategory[] = [{ categoryGroup: "allLogs" }];
const DEFAULT_METRICS: readonly DiagnosticMetricCategory[] = [{ category: "AllMetrics" }];

/**
 * The logs and metrics one entry sends to one resource type (pure): explicit categories the type lists,
 * groups it supports, metrics when it exports any. Undefined when it would send nothing.
 */
export function diagnosticContent(setting: DiagnosticSetting, type: DiagnosticResourceType): Pick<monitor.DiagnosticSettingArgs, "logs" | "metrics"> | undefined {
  const support: DiagnosticSupport = DIAGNOSTIC_SUPPORT[type];
  const logs = (setting.logCategoriesAndGroups ?? DEFAULT_LOGS)
    .filter((c) => (c.category !== undefined ? support.logCategories.includes(c.category) : support.categoryGroups.some((g) => g === c.categoryGroup)))
    .map((c) => (c.category !== undefined ? { category: c.category, enabled: true } : { categoryGroup: c.categoryGroup, enabled: true }));
  const metrics = support.metrics ? (setting.metricCategories ?? DEFAULT_METRICS).map((m) => ({ category: m.category, enabled: true })) : [];
  if (logs.length === 0 && metrics.length === 0) return undefined;
  return { ...(logs.length > 0 ? { logs } : {}), ...(metrics.length > 0 ? { metrics } : {}) };
}

/** The full inputs of one diagnostic setting (pure), or undefined when the type takes nothing from it. */
export function diagnosticSettingArgs(name: string, index: number, setting: DiagnosticSetting, target: DiagnosticTarget): monitor.DiagnosticSettingArgs | undefined {
  const content = diagnosticContent(setting, target.type);
  if (content === undefined) return undefined;
  return {
    resourceUri: target.resourceId,
    name: setting.name ?? `${name}-diag-${index}`,
    ...(setting.workspaceResourceId !== undefined ? { workspaceId: setting.workspaceResourceId } : {}),
    ...(setting.storageAccountResourceId !== undefined ? { storageAccountId: setting.storageAccountResourceId } : {}),
    ...(setting.eventHubAuthorizationRuleResourceId !== undefined ? { eventHubAuthorizationRuleId: setting.eventHubAuthorizationRuleResourceId } : {}),
    ...(setting.eventHubName !== undefined ? { eventHubName: setting.eventHubName } : {}),
    ...(setting.logAnalyticsDestinationType !== undefined ? { logAnalyticsDestinationType: setting.logAnalyticsDestinationType } : {}),
    ...content,
  };
}

/**
 * Problems with explicit categories no target of the component exports (pure): a category is sent to
 * the targets that list it, so one that none lists would be silently dropped; it is refused instead.
 */
export function diagnosticCoverageProblems(component: string, argName: string, settings: readonly DiagnosticSetting[] | undefined, types: readonly DiagnosticResourceType[]): string[] {
  if (settings === undefined || settings.length === 0) return [];
  if (types.length === 0) return [`${component}: ${argName} is set, but this component creates no resource that supports diagnostic settings here; drop ${argName} (see docs/avm-interfaces.md).`];
  const problems: string[] = [];
  for (const [i, s] of settings.entries()) {
    for (const [j, c] of (s.logCategoriesAndGroups ?? []).entries()) {
      const ok = types.some((t) => {
        const support: DiagnosticSupport = DIAGNOSTIC_SUPPORT[t];
        return c.category !== undefined ? support.logCategories.includes(c.category) : support.categoryGroups.some((g) => g === c.categoryGroup);
      });
      if (!ok) {
        const offered = [...new Set(types.flatMap((t) => [...DIAGNOSTIC_SUPPORT[t].categoryGroups, ...DIAGNOSTIC_SUPPORT[t].logCategories]))];
        problems.push(`${component}: ${argName}[${i}].logCategoriesAndGroups[${j}] ${JSON.stringify(c)} is exported by none of ${types.join(", ")}; use one of ${offered.join(", ") || "(none: send metrics only)"}.`);
      }
    }
  }
  return problems;
}

/** Creates the diagnostic settings of every entry on every target that takes something from it. */
export function createDiagnosticSettings(name: string, settings: readonly DiagnosticSetting[] | undefined, targets: readonly DiagnosticTarget[], opts: pulumi.CustomResourceOptions): monitor.DiagnosticSetting[] {
  const out: monitor.DiagnosticSetting[] = [];
  for (const [i, setting] of (settings ?? []).entries()) {
    for (const target of targets) {
      const args = diagnosticSettingArgs(name, i, setting, target);
      if (args !== undefined) out.push(new monitor.DiagnosticSetting(target.label === "" ? `${name}-diag-${i}` : `${name}-diag-${i}-${target.label}`, args, opts));
    }
  }
  return out;
}
