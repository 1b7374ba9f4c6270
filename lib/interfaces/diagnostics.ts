/**
 * AVM `diagnosticSettings`: one `monitor.DiagnosticSetting` per entry per created resource that
 * supports diagnostics. Which log categories each resource type exports is from Learn's "Supported logs"
 * page of that type, and whether it exports metrics from its "Supported metrics" page (index:
 * https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index). Each entry below
 * was checked against the page named with it (the pages' generated tables, in MicrosoftDocs/azure-reference-other
 * and MicrosoftDocs/azure-monitor-docs, December 2026):
 * - Microsoft.EventGrid/systemTopics — `DeliveryFailures`.
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-eventgrid-systemtopics-logs
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-eventgrid-systemtopics-metrics
 * - Microsoft.Logic/workflows — `WorkflowRuntime`.
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-logic-workflows-logs
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-logic-workflows-metrics
 * - Microsoft.Web/sites — the page lists `AppServiceAntivirusScanAuditLogs`, `AppServiceAppLogs`,
 *   `AppServiceAuditLogs`, `AppServiceAuthenticationLogs`, `AppServiceConsoleLogs`, `AppServiceFileAuditLogs`,
 *   `AppServiceHTTPLogs`, `AppServiceIPSecAuditLogs`, `AppServicePlatformLogs`, `FunctionAppLogs`, `WorkflowRuntime`
 *   for every kind of site. The only site created here is a Flex Consumption Node.js function app, and
 *   Functions' monitoring reference lists `FunctionAppLogs` as a function app's resource log
 *   (https://learn.microsoft.com/azure/azure-functions/monitor-functions-reference#resource-logs); App Service's
 *   reference marks the file-change and antivirus logs Premium-only and application logs ASP.NET/Java-only
 *   (https://learn.microsoft.com/azure/app-service/monitor-app-service-reference#resource-logs), and
 *   `WorkflowRuntime` is Logic Apps Standard's. The Flex Consumption page says nothing either way, so the
 *   table accepts `FunctionAppLogs` only and refuses the others with the reason (`notEmitted`).
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-web-sites-logs
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-web-sites-metrics
 * - Microsoft.DataFactory/factories — `ActivityRuns`, `PipelineRuns`, `TriggerRuns`, `SandboxActivityRuns`,
 *   `SandboxPipelineRuns`, six `SSIS*` and five `Airflow*` categories.
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-datafactory-factories-logs
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-datafactory-factories-metrics
 * - Microsoft.EventHub/namespaces — eleven categories, `ApplicationMetricsLogs` to `RuntimeAuditLogs`.
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-eventhub-namespaces-logs
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-eventhub-namespaces-metrics
 * - Microsoft.OperationalInsights/workspaces — `Audit`, `Jobs`, `SummaryLogs` (`Jobs` was missing here before).
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-operationalinsights-workspaces-logs
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-operationalinsights-workspaces-metrics
 * - Microsoft.Insights/components — eleven `App*` categories.
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-insights-components-logs
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-insights-components-metrics
 * - Microsoft.Storage/storageAccounts — no resource logs at the account (they are on the blob, queue, table
 *   and file services, which have their own pages; no component creates settings there); metrics
 *   (`Transaction`, `Capacity`) are exported with `AllMetrics`.
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-storage-storageaccounts-metrics
 * Category groups: `allLogs` is every category of a resource (Learn, "Diagnostic settings in Azure Monitor",
 * Category groups). Which types also offer `audit` is not on the supported-logs pages (Azure lists it per
 * resource through `diagnosticSettingsCategories`); the `audit` entries below are unverified and kept as they were.
 * A resource can have at most five diagnostic settings, and two settings of one resource may not send the
 * same category to the same destination: see diagnosticSinks.ts.
 */
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import { findSinkConflicts, normalizeSinkId, SentSetting, sinkConflictMessage } from "./diagnosticSinks";
import { DiagnosticLogCategory, DiagnosticMetricCategory, DiagnosticSetting } from "./types";

/** What a resource type exports through diagnostic settings. */
export interface DiagnosticSupport {
  /** Its log categories, as created here (empty: none). */
  readonly logCategories: readonly string[];
  /** Its category groups. */
  readonly categoryGroups: readonly ("allLogs" | "audit")[];
  /** Whether it exports platform metrics. */
  readonly metrics: boolean;
  /** Categories Learn lists for the type that the resource created here does not emit, with the reason. */
  readonly notEmitted?: Readonly<Record<string, string>>;
}

const APP_SERVICE_ONLY = "is an App Service log; Functions' monitoring reference lists FunctionAppLogs for function apps, and the Flex Consumption app created here is not documented to write it";

/** The resource types our components create that support diagnostic settings (see the file's sources). */
export const DIAGNOSTIC_SUPPORT = {
  "Microsoft.EventGrid/systemTopics": { logCategories: ["DeliveryFailures"], categoryGroups: ["allLogs"], metrics: true },
  "Microsoft.Logic/workflows": { logCategories: ["WorkflowRuntime"], categoryGroups: ["allLogs"], metrics: true },
  "Microsoft.Web/sites": {
    logCategories: ["FunctionAppLogs"],
    categoryGroups: ["allLogs", "audit"],
    metrics: true,
    notEmitted: {
      AppServiceAntivirusScanAuditLogs: "is written on Premium App Service plans only",
      AppServiceAppLogs: "is written for ASP.NET and Java apps only, not a Node.js function app",
      AppServiceAuditLogs: APP_SERVICE_ONLY,
      AppServiceAuthenticationLogs: "is written by App Service authentication, which the deployer does not turn on",
      AppServiceConsoleLogs: APP_SERVICE_ONLY,
      AppServiceFileAuditLogs: "is written on Premium App Service plans and above only",
      AppServiceHTTPLogs: APP_SERVICE_ONLY,
      AppServiceIPSecAuditLogs: APP_SERVICE_ONLY,
      AppServicePlatformLogs: APP_SERVICE_ONLY,
      WorkflowRuntime: "is written by Logic Apps Standard sites, not a function app",
    },
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
  "Microsoft.OperationalInsights/workspaces": { logCategories: ["Audit", "Jobs", "SummaryLogs"], categoryGroups: ["allLogs", "audit"], metrics: true },
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
  /**
   * The Log Analytics workspace the resource's own data is already stored in, which its diagnostic
   * settings must not send to: workspace-based Application Insights (Learn, "Diagnostic settings in Azure
   * Monitor", Application Insights: the destination "can't be the same Log Analytics workspace that your
   * Application Insights resource is based on" — it duplicates the telemetry;
   * https://learn.microsoft.com/azure/azure-monitor/platform/diagnostic-settings).
   */
  readonly basedOnWorkspaceId?: pulumi.Input<string>;
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

/** True when one of `types` exports the log entry `c` (exact spelling, as Learn lists it). */
function exported(c: DiagnosticLogCategory, types: readonly DiagnosticResourceType[]): boolean {
  return types.some((t) => {
    const support: DiagnosticSupport = DIAGNOSTIC_SUPPORT[t];
    return c.category !== undefined ? support.logCategories.includes(c.category) : support.categoryGroups.some((g) => g === c.categoryGroup);
  });
}

/** Why a log entry no target exports is refused: a documented-but-not-emitted reason, the exact spelling, or nothing. */
function refusalHint(c: DiagnosticLogCategory, types: readonly DiagnosticResourceType[], offered: readonly string[]): string {
  const name = c.category ?? c.categoryGroup ?? "";
  for (const t of types) {
    const reason = (DIAGNOSTIC_SUPPORT[t] as DiagnosticSupport).notEmitted?.[name];
    if (reason !== undefined) return ` (${t} lists ${name}, but it ${reason})`;
  }
  const close = offered.find((o) => o.toLowerCase() === name.trim().toLowerCase());
  return close !== undefined ? ` (did you mean ${JSON.stringify(close)}? names are exact, without spaces)` : "";
}

/**
 * Problems with explicit categories no target of the component exports (pure): a category is sent to
 * the targets that list it, so one that none lists would be silently dropped; it is refused instead,
 * naming the component, the argument, the value and the valid list.
 */
export function diagnosticCoverageProblems(component: string, argName: string, settings: readonly DiagnosticSetting[] | undefined, types: readonly DiagnosticResourceType[]): string[] {
  if (settings === undefined || settings.length === 0) return [];
  if (types.length === 0) return [`${component}: ${argName} is set, but this component creates no resource that supports diagnostic settings here; drop ${argName} (see docs/avm-interfaces.md).`];
  const problems: string[] = [];
  const offered = [...new Set(types.flatMap((t) => [...DIAGNOSTIC_SUPPORT[t].categoryGroups, ...DIAGNOSTIC_SUPPORT[t].logCategories]))];
  for (const [i, s] of settings.entries()) {
    for (const [j, c] of (s.logCategoriesAndGroups ?? []).entries()) {
      if (exported(c, types)) continue;
      problems.push(
        `${component}: ${argName}[${i}].logCategoriesAndGroups[${j}] ${JSON.stringify(c)} is exported by none of ${types.join(", ")}${refusalHint(c, types, offered)}; ` +
          `use one of ${offered.join(", ") || "(none: send metrics only)"}.`,
      );
    }
  }
  return problems;
}

/** How a message names entry `i` of `argName`. */
export const entryLabel = (argName: string, i: number, s: DiagnosticSetting): string => `${argName}[${i}]${typeof s.name === "string" ? ` (${JSON.stringify(s.name)})` : ""}`;

/** What entry `i` sends to a resource of `type`, in the shape diagnosticSinks.ts compares; undefined when nothing. */
export function sentToType(label: string, setting: DiagnosticSetting, type: DiagnosticResourceType): SentSetting | undefined {
  const content = diagnosticContent(setting, type);
  if (content === undefined) return undefined;
  const logs = (content.logs ?? []) as { category?: string; categoryGroup?: string }[];
  const metrics = ((content.metrics ?? []) as { category?: string }[]).map((m) => m.category ?? "");
  return {
    label,
    logs: logs.map((l) => (l.category !== undefined ? { category: l.category } : { categoryGroup: l.categoryGroup })),
    metrics,
    workspaceId: setting.workspaceResourceId,
    storageAccountId: setting.storageAccountResourceId,
    eventHubAuthorizationRuleId: setting.eventHubAuthorizationRuleResourceId,
  };
}

/**
 * Problems Azure would refuse among one component's own entries (pure): on each created resource type,
 * two entries sending the same category (or metric) to the same destination, ids compared ignoring case
 * and trailing slashes (diagnosticSinks.ts).
 */
export function diagnosticSinkProblems(component: string, argName: string, settings: readonly DiagnosticSetting[] | undefined, types: readonly DiagnosticResourceType[]): string[] {
  if (!Array.isArray(settings) || settings.length < 2) return [];
  const reported = new Set<string>();
  const problems: string[] = [];
  for (const type of types) {
    const sent = settings.flatMap((s, i) => sentToType(entryLabel(argName, i, s), s, type) ?? []);
    // One message per pair of entries, on the first type where they clash (the count is checked in validate.ts).
    for (const c of findSinkConflicts(sent)) {
      const pair = `${c.a.label}|${c.b.label}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      problems.push(`${component}: ${sinkConflictMessage(`the ${type}`, c)}`);
    }
  }
  return problems;
}

/**
 * True when `setting` sends to the workspace `target` is based on (pure): its data is already there, and
 * Azure refuses the setting. Ids compare as sinks do; ids not known yet (outputs) compare only when they
 * are the same value.
 */
export function sendsToOwnWorkspace(setting: DiagnosticSetting, target: DiagnosticTarget): boolean {
  const to = setting.workspaceResourceId;
  const own = target.basedOnWorkspaceId;
  if (to === undefined || own === undefined) return false;
  if (typeof to === "string" && typeof own === "string") return normalizeSinkId(to) === normalizeSinkId(own);
  return to === own;
}

/**
 * The entry as it applies to `target` (pure): without the workspace destination when that is the
 * workspace the target's data already lives in (`DiagnosticTarget.basedOnWorkspaceId`); undefined when
 * no destination is left.
 */
export function settingForTarget(setting: DiagnosticSetting, target: DiagnosticTarget): DiagnosticSetting | undefined {
  if (!sendsToOwnWorkspace(setting, target)) return setting;
  const rest: DiagnosticSetting = Object.fromEntries(Object.entries(setting).filter(([k]) => k !== "workspaceResourceId" && k !== "logAnalyticsDestinationType"));
  const others = rest.storageAccountResourceId !== undefined || rest.eventHubAuthorizationRuleResourceId !== undefined;
  return others ? rest : undefined;
}

/** Creates the diagnostic settings of every entry on every target that takes something from it (see {@link settingForTarget}). */
export function createDiagnosticSettings(name: string, settings: readonly DiagnosticSetting[] | undefined, targets: readonly DiagnosticTarget[], opts: pulumi.CustomResourceOptions): monitor.DiagnosticSetting[] {
  const out: monitor.DiagnosticSetting[] = [];
  for (const [i, setting] of (settings ?? []).entries()) {
    for (const target of targets) {
      const applied = settingForTarget(setting, target);
      const args = applied === undefined ? undefined : diagnosticSettingArgs(name, i, applied, target);
      if (args !== undefined) out.push(new monitor.DiagnosticSetting(target.label === "" ? `${name}-diag-${i}` : `${name}-diag-${i}-${target.label}`, args, opts));
    }
  }
  return out;
}
