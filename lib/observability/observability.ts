import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import {
  AlertThresholds,
  AlertTiming,
  DEFAULT_THRESHOLDS,
  WATCHED_METRICS,
  WatchedKind,
  WatchedMetricKey,
  diagnosticSettingInputs,
  emailReceivers,
  isoMinutes,
  metricAlertCriteria,
  MONITORING_SETTING_NAME,
  validateAlertSettings,
  validateRecipients,
} from "./builders";
import { HiddenParts } from "../arm/hiddenParts";
import { ArgKeys, unknownArgumentProblems, unknownArgumentProblemsInList } from "../workspace/argKeys";
import { IsolationArgs, ISOLATION_ARG_KEYS, validateIsolationArgs } from "../interfaces/isolation";
import { monitorNetworkProps } from "../interfaces/network";
import { CMK_UNSUPPORTED } from "../interfaces/customerManagedKey";
import { AVM_INTERFACE_ARG_KEYS, AvmInterfaces } from "../interfaces/types";
import { applyInterfaces, interfaceProblems, InterfaceShape } from "../interfaces/apply";
import { identityBlock } from "../interfaces/identities";

/** The Event Grid system topic to alert on, and which of its subscriptions. */
export interface WatchedSystemTopic {
  /** ARM id of the `Microsoft.EventGrid/systemTopics` resource. */
  readonly id: pulumi.Input<string>;
  /** Event subscription names the per-subscription alerts are split by. Default: none (the alerts count every subscription of the topic). */
  readonly subscriptionNames?: string[];
}

/** A workflow to watch. */
export interface WatchedWorkflow {
  /** Short label used in child resource names (`email`, `retrain`): 1-20 lowercase letters, digits, hyphens. */
  readonly label: string;
  /** ARM id of the `Microsoft.Logic/workflows` resource. */
  readonly id: pulumi.Input<string>;
}

/** An existing Log Analytics workspace the diagnostic settings send to. */
export interface ExistingLogAnalytics {
  /** ARM id `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}`. */
  readonly workspaceId: pulumi.Input<string>;
}

/**
 * Monitoring options: everything but where the component lives and which events it subscribes to.
 * `publicNetworkAccess` applies to the created Log Analytics workspace (ingestion and query);
 * private endpoints and customer-managed keys are refused (Azure Monitor takes them on a private link
 * scope and a dedicated cluster, which the caller manages).
 */
export interface MonitoringOptions extends IsolationArgs {
  /** Bring a Log Analytics workspace by ARM id (`{ workspaceId }`); without it one is created. @default - create one */
  readonly logAnalytics?: ExistingLogAnalytics;
  /** Retention of a created Log Analytics workspace, 30-730 days. @default 30 */
  readonly retentionInDays?: number;
  /** Email addresses the action group notifies (at least one). */
  readonly recipients: string[];
  /** Alert thresholds; an alert fires when the total over the window is above its threshold. @default - see `DEFAULT_THRESHOLDS` */
  readonly thresholds?: AlertThresholds;
  /** Alert window, frequency and severity. @default - 15-minute window, evaluated every 5 minutes, severity 2 */
  readonly alertTiming?: AlertTiming;
}

/** Arguments of Observability: its options and the resources it watches. */
export interface ObservabilityArgs extends MonitoringOptions, AvmInterfaces {
  /** Resource group of the workspace, the action group and the alert rules. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Region of the created Log Analytics workspace. */
  readonly location: pulumi.Input<string>;
  /** Tags for every resource created. Default: none. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** The Event Grid system topic and the subscription names to alert on per subscription. Default: not watched. @default - not watched */
  readonly systemTopic?: WatchedSystemTopic;
  /** Logic App workflows (runtime logs, failed-run alerts). Default: none. @default [] */
  readonly workflows?: WatchedWorkflow[];
  /** ARM id of a Function App (its `FunctionAppLogs`). Default: not watched. @default - not watched */
  readonly functionAppId?: pulumi.Input<string>;
  /** ARM id of a Data Factory (pipeline and activity runs, failed-pipeline alert). Default: not watched. @default - not watched */
  readonly factoryId?: pulumi.Input<string>;
  /** A management lock on the created Log Analytics workspace (not with `logAnalytics`). @default - no lock */
  readonly lock?: AvmInterfaces["lock"];
  /**
   * Diagnostic settings of the created Log Analytics workspace itself (its `Audit` and `SummaryLogs`),
   * e.g. to a central workspace; the watched resources' own settings are made regardless. @default []
   */
  readonly diagnosticSettings?: AvmInterfaces["diagnosticSettings"];
  /** Extra role grants on the created Log Analytics workspace (e.g. Log Analytics Reader by GUID). @default [] */
  readonly roleAssignments?: AvmInterfaces["roleAssignments"];
  /** Identity of the created Log Analytics workspace: one system- or user-assigned identity. @default - none */
  readonly managedIdentities?: AvmInterfaces["managedIdentities"];
}

/** What Observability creates, for the interface checks. */
function observabilityShape(args: ObservabilityArgs): InterfaceShape {
  const created = args.logAnalytics === undefined;
  return {
    ...(created ? {} : { noMainResource: "the Log Analytics workspace is brought (logAnalytics is set)", noIdentity: "the Log Analytics workspace is brought (logAnalytics is set)" }),
    diagnosticTypes: created ? ["Microsoft.OperationalInsights/workspaces"] : [],
    identities: created ? [["Microsoft.OperationalInsights/workspaces", undefined]] : [],
  };
}


const LOG_ANALYTICS_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i;

/** The names of `ObservabilityArgs` (run-time check of JavaScript callers' args). */
export const OBSERVABILITY_ARG_KEYS = {
  resourceGroupName: true,
  location: true,
  logAnalytics: true,
  retentionInDays: true,
  recipients: true,
  systemTopic: true,
  workflows: true,
  functionAppId: true,
  factoryId: true,
  thresholds: true,
  alertTiming: true,
  ...ISOLATION_ARG_KEYS,
  ...AVM_INTERFACE_ARG_KEYS,
} as const satisfies ArgKeys<ObservabilityArgs>;

/** The names of `AlertThresholds`. */
export const ALERT_THRESHOLD_KEYS = { deadlettered: true, dropped: true, deliveryfailed: true, runsfailed: true, pipelinefailed: true } as const satisfies ArgKeys<AlertThresholds>;

/** The names of `AlertTiming`. */
export const ALERT_TIMING_KEYS = { windowMinutes: true, evaluationFrequencyMinutes: true, severity: true } as const satisfies ArgKeys<AlertTiming>;

/** Unknown names in `ObservabilityArgs` and its option objects; `path` prefixes them (`monitoring.`). */
export function unknownObservabilityArgs(args: Partial<ObservabilityArgs>, keys: Readonly<Record<string, true>> = OBSERVABILITY_ARG_KEYS, path = ""): string[] {
  return [
    ...unknownArgumentProblems(args, keys, path),
    ...unknownArgumentProblems(args.thresholds, ALERT_THRESHOLD_KEYS, `${path}thresholds.`),
    ...unknownArgumentProblems(args.alertTiming, ALERT_TIMING_KEYS, `${path}alertTiming.`),
    ...unknownArgumentProblems(args.logAnalytics, { workspaceId: true }, `${path}logAnalytics.`),
    ...unknownArgumentProblems(args.systemTopic, { id: true, subscriptionNames: true } satisfies ArgKeys<WatchedSystemTopic>, `${path}systemTopic.`),
    ...unknownArgumentProblemsInList(args.workflows, { label: true, id: true } satisfies ArgKeys<WatchedWorkflow>, `${path}workflows`),
  ];
}

/**
 * Observability creates at most a Log Analytics workspace: public access applies to it; a workspace takes
 * private endpoints only through an Azure Monitor private link scope (group `azuremonitor`; Learn, "Azure
 * Private Endpoint private DNS zone values") and a key only through a dedicated cluster.
 */
function observabilityIsolation(args: ObservabilityArgs): { privateEndpoints: string; customerManagedKey: string; publicNetworkAccess?: string } {
  return {
    privateEndpoints:
      "a Log Analytics workspace takes no private endpoint of its own; Azure Monitor is reached privately through an Azure Monitor Private Link Scope (Microsoft.Insights/privateLinkScopes, sub-resource azuremonitor) that you create and add the workspace to.",
    customerManagedKey: CMK_UNSUPPORTED.logAnalytics,
    ...(args.logAnalytics !== undefined ? { publicNetworkAccess: "logAnalytics is brought, so Observability creates no workspace; set publicNetworkAccessForIngestion/ForQuery on your workspace." } : {}),
  };
}

/** Pure validation of `ObservabilityArgs`; returns one message per problem. */
export function validateObservabilityArgs(name: string, args: ObservabilityArgs): string[] {
  const where = `Observability("${name}")`;
  const problems = [
    ...unknownObservabilityArgs(args).map((p) => `${where}: ${p}`),...validateRecipients(where, args.recipients ?? []), ...validateAlertSettings(where, args.thresholds, args.alertTiming)];
  const workflows = args.workflows ?? [];
  if (!args.systemTopic && workflows.length === 0 && args.functionAppId === undefined && args.factoryId === undefined) {
    problems.push(`${where}: nothing to watch; pass systemTopic, workflows, functionAppId or factoryId.`);
  }
  const labels = new Set<string>();
  for (const w of workflows) {
    if (!/^[a-z0-9][a-z0-9-]{0,19}$/.test(w.label)) problems.push(`${where}: workflow label ${JSON.stringify(w.label)} is invalid; use 1-20 lowercase letters, digits and hyphens.`);
    if (labels.has(w.label)) problems.push(`${where}: workflow label ${JSON.stringify(w.label)} is used twice; labels name child resources and must be unique.`);
    labels.add(w.label);
  }
  const la: unknown = args.logAnalytics;
  if (typeof la === "string") {
    problems.push(`${where}: logAnalytics ${JSON.stringify(la)} is the previous form; omit logAnalytics to create a workspace, or give logAnalytics: { workspaceId }.`);
  } else if (args.logAnalytics !== undefined && typeof args.logAnalytics.workspaceId === "string" && !LOG_ANALYTICS_ID.test(args.logAnalytics.workspaceId)) {
    problems.push(`${where}: logAnalytics.workspaceId ${JSON.stringify(args.logAnalytics.workspaceId)} is not a Log Analytics workspace id; expected /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}.`);
  }
  problems.push(...validateIsolationArgs(where, args, observabilityIsolation(args)));
  const retention = args.retentionInDays ?? 30;
  if (!Number.isInteger(retention) || retention < 30 || retention > 730) {
    problems.push(`${where}: retentionInDays is ${JSON.stringify(retention)}; expected a whole number from 30 to 730.`);
  }
  if (args.logAnalytics !== undefined && args.retentionInDays !== undefined) {
    problems.push(`${where}: retentionInDays is set but the Log Analytics workspace is brought; set retention on that workspace instead, or drop retentionInDays.`);
  }
  problems.push(...interfaceProblems(where, args, observabilityShape(args)));
  if (args.diagnosticSettings !== undefined) {
    // `${name}-diag-<label>` (a watched workflow) and `${name}-diag-<i>` (an interface entry) must not meet.
    for (const w of workflows) if (/^\d+(-|$)/.test(w.label)) problems.push(`${where}: workflow label ${JSON.stringify(w.label)} starts with a number, which clashes with diagnosticSettings' child names; start it with a letter.`);
  }
  for (const s of args.systemTopic?.subscriptionNames ?? []) {
    if (!/^[A-Za-z0-9-]{3,64}$/.test(s)) problems.push(`${where}: subscription name ${JSON.stringify(s)} is not an Event Grid subscription name (3-64 letters, digits, hyphens).`);
  }
  return problems;
}

/** The previous token, kept as an alias so stacks created before the multi-language tokens are not replaced. */
export const OBSERVABILITY_LEGACY_TYPE = "aml-events:observability:Observability";

/** Observability's TypeScript-only parts (see `HiddenParts`). */
interface ObservabilityParts {
  alerts: Readonly<Record<string, monitor.MetricAlert>>;
  diagnosticSettings: Readonly<Record<string, monitor.DiagnosticSetting>>;
}

const OBSERVABILITY_PARTS = new HiddenParts<Observability, ObservabilityParts>();

/** The created Log Analytics workspace's id per component (off the instance: the analyzer publishes instance properties). */
const OBSERVABILITY_WORKSPACE = new WeakMap<Observability, pulumi.Output<string>>();

/**
 * Someone notices: diagnostic settings from the system topic, workflows, Function App and Data Factory to
 * one Log Analytics workspace, and metric alerts (dead-lettered, dropped and failed deliveries per
 * subscription, failed workflow runs, failed pipeline runs) to one email action group. Grants no roles:
 * diagnostic settings and alert rules need none on the watched resources beyond the deployer's own.
 */
export class Observability extends pulumi.ComponentResource {
  /** Pulumi type token (the multi-language package's `aml-events:index:Observability`). */
  static readonly __type = "aml-events:index:Observability";

  /** ARM id of the Log Analytics workspace (created or brought). */
  readonly logAnalyticsWorkspaceId: pulumi.Output<string>;
  /** ARM id of the action group. */
  readonly actionGroupId: pulumi.Output<string>;

  /** The metric alert rules, by child name (TypeScript only: other languages get ids, not resources). */
  get alerts(): Readonly<Record<string, monitor.MetricAlert>> {
    return OBSERVABILITY_PARTS.required(this, "alerts");
  }

  /** The diagnostic settings, by child name (TypeScript only). */
  get diagnosticSettings(): Readonly<Record<string, monitor.DiagnosticSetting>> {
    return OBSERVABILITY_PARTS.required(this, "diagnosticSettings");
  }

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Observability.__type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: OBSERVABILITY_LEGACY_TYPE }] });
    const problems = validateObservabilityArgs(name, args);
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("\n"), this);
    const tags = args.tags ?? {};

    this.logAnalyticsWorkspaceId = this.workspace(name, args, tags);
    const group = new monitor.ActionGroup(
      `${name}-actions`,
      {
        resourceGroupName: args.resourceGroupName,
        location: "global",
        groupShortName: name.replace(/[^A-Za-z0-9]/g, "").slice(0, 12) || "amlevents",
        enabled: true,
        emailReceivers: emailReceivers(args.recipients),
        tags,
      },
      { parent: this },
    );
    this.actionGroupId = group.id;
    const parts = OBSERVABILITY_PARTS.of(this);
    parts.diagnosticSettings = this.diagnostics(name, args);
    parts.alerts = this.metricAlerts(name, args, tags);
    const created = OBSERVABILITY_WORKSPACE.get(this);
    applyInterfaces(
      name,
      args,
      {
        ...(created ? { main: { id: created, what: "the Log Analytics workspace" } } : {}),
        diagnostics: created ? [{ label: "", type: "Microsoft.OperationalInsights/workspaces", resourceId: created }] : [],
      },
      this,
    );
    this.registerOutputs({ logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId, actionGroupId: this.actionGroupId });
  }

  private workspace(name: string, args: ObservabilityArgs, tags: Readonly<Record<string, string>>): pulumi.Output<string> {
    if (args.logAnalytics !== undefined) return pulumi.output(args.logAnalytics.workspaceId);
    const ws = new operationalinsights.Workspace(
      `${name}-logs`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: "PerGB2018" },
        retentionInDays: args.retentionInDays ?? 30,
        ...monitorNetworkProps(args.publicNetworkAccess),
        tags,
        ...(args.managedIdentities !== undefined ? { identity: identityBlock(args.managedIdentities, "Microsoft.OperationalInsights/workspaces", false) as operationalinsights.WorkspaceArgs["identity"] } : {}),
      },
      { parent: this },
    );
    OBSERVABILITY_WORKSPACE.set(this, ws.id);
    return ws.id;
  }

  private diagnostics(name: string, args: ObservabilityArgs): Record<string, monitor.DiagnosticSetting> {
    const targets: [string, WatchedKind, pulumi.Input<string>][] = [];
    if (args.systemTopic) targets.push([`${name}-diag-topic`, "systemTopic", args.systemTopic.id]);
    for (const w of args.workflows ?? []) targets.push([`${name}-diag-${w.label}`, "workflow", w.id]);
    if (args.functionAppId !== undefined) targets.push([`${name}-diag-function`, "functionApp", args.functionAppId]);
    if (args.factoryId !== undefined) targets.push([`${name}-diag-factory`, "factory", args.factoryId]);
    const out: Record<string, monitor.DiagnosticSetting> = {};
    for (const [child, kind, resourceUri] of targets) {
      out[child] = new monitor.DiagnosticSetting(
        child,
        { name: MONITORING_SETTING_NAME, resourceUri, workspaceId: this.logAnalyticsWorkspaceId, ...diagnosticSettingInputs(kind) },
        { parent: this },
      );
    }
    return out;
  }

  private metricAlerts(name: string, args: ObservabilityArgs, tags: Readonly<Record<string, string>>): Record<string, monitor.MetricAlert> {
    const thresholds = { ...DEFAULT_THRESHOLDS, ...args.thresholds };
    const timing = args.alertTiming ?? {};
    const rules: [string, WatchedMetricKey, pulumi.Input<string>, readonly string[] | undefined][] = [];
    if (args.systemTopic) {
      const names = args.systemTopic.subscriptionNames ?? [];
      for (const key of ["deadlettered", "dropped", "deliveryfailed"] as const) rules.push([`${name}-alert-${key}`, key, args.systemTopic.id, names]);
    }
    for (const w of args.workflows ?? []) rules.push([`${name}-alert-runsfailed-${w.label}`, "runsfailed", w.id, undefined]);
    if (args.factoryId !== undefined) rules.push([`${name}-alert-pipelinefailed`, "pipelinefailed", args.factoryId, undefined]);
    const out: Record<string, monitor.MetricAlert> = {};
    for (const [child, key, scope, subscriptionNames] of rules) {
      const windowMinutes = timing.windowMinutes ?? 15;
      out[child] = new monitor.MetricAlert(
        child,
        {
          resourceGroupName: args.resourceGroupName,
          location: "global",
          description: `${WATCHED_METRICS[key].metricName} > ${thresholds[key]} in ${windowMinutes} min: ${WATCHED_METRICS[key].meaning}. Runbook: docs/guides/dead-letters-runbook.md in aml-event-workflows.`,
          enabled: true,
          scopes: [scope],
          severity: timing.severity ?? 2,
          windowSize: isoMinutes(windowMinutes),
          evaluationFrequency: isoMinutes(timing.evaluationFrequencyMinutes ?? 5),
          autoMitigate: true,
          criteria: metricAlertCriteria(key, thresholds[key], subscriptionNames) as monitor.MetricAlertArgs["criteria"],
          actions: [{ actionGroupId: this.actionGroupId }],
          tags,
        },
        { parent: this },
      );
    }
    return out;
  }
}
