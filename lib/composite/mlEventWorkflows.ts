import { IsolationArgs, ISOLATION_ARG_KEYS } from "../interfaces/isolation";
import { HiddenParts } from "../arm/hiddenParts";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOY_RULE_KEYS, MODEL_DEPLOYER_ARG_KEYS, DeployerOptions, ModelDeployer } from "../deployment/modelDeployer";
import { EMAIL_ALERT_RULE_KEYS, EMAIL_ALERTS_ARG_KEYS, EMAIL_TRANSPORT_KEYS, EmailAlerts, EmailOptions } from "../notifications/emailAlerts";
import { MonitoringOptions, OBSERVABILITY_ARG_KEYS, Observability, ObservabilityArgs, unknownObservabilityArgs, WatchedWorkflow } from "../observability/observability";
import { DoublyWatched, monitoringSinkProblems } from "../observability/sinkChecks";
import { matchRule } from "../deployment/decision";
import { DriftRetrainTrigger } from "../retraining/driftRetrainTrigger";
import { CREATE_RETRAIN_PIPELINE_KEYS, DRIFT_RETRAIN_TRIGGER_ARG_KEYS, EXISTING_RETRAIN_PIPELINE_KEYS, RetrainOptions } from "../retraining/types";
import { AVM_INTERFACE_ARG_KEYS, AvmInterfaces } from "../interfaces/types";
import { validateAvmInterfaces } from "../interfaces/validate";
import { EVENT_HUB_SETTINGS_KEYS, EVENT_HUB_STREAM_ARG_KEYS, EventHubStream, StreamingOptions } from "../streaming/eventHubStream";
import { ArgKeys, omitKeys, unknownArgumentProblems, unknownArgumentProblemsInList } from "../workspace/argKeys";
import { DELIVERY_OPTION_KEYS, DeliveryOptions, resolveDeadLetter } from "../workspace/validate";
import { WorkspaceSubscription } from "../workspace/subscriptionSpec";
import { WorkspaceEvents, WorkspaceEventsArgs } from "../workspace/workspaceEvents";

/**
 * The warning when the model a retraining registers would not be deployed by any deployer rule (the
 * loop breach → retrain → register → deploy is broken); undefined when it would, or when either side is
 * not configured.
 */
export function unreachedRetrainedModel(name: string, args: Pick<MlEventWorkflowsArgs, "retrain" | "deployer">): string | undefined {
  const model = args.retrain?.retrainedModel;
  const rules = args.deployer?.rules;
  if (model === undefined || rules === undefined) return undefined;
  if (matchRule(model.name, model.tags ?? {}, rules) !== undefined) return undefined;
  return (
    `MlEventWorkflows("${name}"): retrain.retrainedModel ${model.name} with tags ${JSON.stringify(model.tags ?? {})} matches no deployer rule, ` +
    `so the retrained model will not be deployed. Name it in a deployer.rules entry's models and give it that rule's tags, or add a rule for it.`
  );
}



/**
 * Arguments of `MlEventWorkflows`. The top-level isolation arguments (`publicNetworkAccess`,
 * `privateEndpoints`, `customerManagedKey`) go to its WorkspaceEvents (the dead-letter storage); each
 * capability takes its own in its options (`deployer.privateEndpoints`, `retrain.managedVirtualNetwork`, …).
 */
export interface MlEventWorkflowsArgs extends AvmInterfaces, IsolationArgs {
  /** ARM id of the Azure Machine Learning workspace. */
  readonly workspaceId: pulumi.Input<string>;
  /** Resource group for everything the composite creates. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The workspace's region. */
  readonly location: pulumi.Input<string>;
  /** Adopt the workspace's existing system topic instead of creating one. @default - create one */
  readonly existingSystemTopic?: WorkspaceEventsArgs["existingSystemTopic"];
  /** Default dead-letter destination of every subscription. @default "create" */
  readonly deadLetter?: WorkspaceEventsArgs["deadLetter"];
  /**
   * Management locks: on the created system topic (`${name}-topic-lock`, as before) and on each
   * capability's main resource (the Logic Apps or factory, the Function App, the Event Hubs namespace,
   * the created Log Analytics workspace). `ReadOnly` is refused with `email` or `retrain` (it blocks
   * their POSTs). @default - no lock
   */
  readonly lock?: WorkspaceEventsArgs["lock"];
  /**
   * Diagnostic settings forwarded to every capability (each applies them to the resources it creates
   * that support them); only the `allLogs` category group (the default) and metric categories, since
   * the capabilities' resource types list different categories. @default []
   */
  readonly diagnosticSettings?: AvmInterfaces["diagnosticSettings"];
  /** Extra role grants on the system topic (the composite's main resource). @default [] */
  readonly roleAssignments?: AvmInterfaces["roleAssignments"];
  /**
   * Identities forwarded to every capability: the system topic, the Logic Apps, the factory, the
   * Function App, the Event Hubs namespace and the created Log Analytics workspace (see each
   * component for what it does with them). @default - system-assigned, as before
   */
  readonly managedIdentities?: AvmInterfaces["managedIdentities"];
  /** Subscriptions of your own on the same system topic, as plain data (any language; TypeScript may call `events.subscribe`). @default [] */
  readonly subscriptions?: WorkspaceSubscription[];
  /** Retry and schema defaults for every subscription. @default - 30 attempts, 1440 minutes, Event Grid schema */
  readonly defaults?: DeliveryOptions;
  /** Email alerts through a Logic App. @default - none */
  readonly email?: EmailOptions;
  /** Model monitor breaches (or legacy DatasetDriftDetected) → Data Factory retraining. @default - none */
  readonly retrain?: RetrainOptions;
  /** ModelRegistered → Azure Function → managed online deployment. @default - none */
  readonly deployer?: DeployerOptions;
  /** Stream events to Event Hubs; `{}` takes every default. @default - none */
  readonly streaming?: StreamingOptions;
  /**
   * Diagnostic settings to one Log Analytics workspace and metric alerts to one email action group, for the
   * system topic (every subscription), the workflows, the deployer's Function App and the factory.
   * @default - none; set `{ recipients: [...] }` to turn it on with every other default
   */
  readonly monitoring?: MonitoringOptions;
  /** Tags for every resource the composite creates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Outputs other stacks can reference (`StackReference`) — ids only, no secrets. */
export interface MlEventWorkflowsOutputs {
  /** ARM id of the workspace whose events are wired. */
  readonly workspaceId: pulumi.Output<string>;
  /** ARM id of the workspace's Event Grid system topic. */
  readonly systemTopicId: pulumi.Output<string>;
  /** Name of the workspace's Event Grid system topic. */
  readonly systemTopicName: pulumi.Output<string>;
  /** ARM id of the email alerts Logic App. Unset when `email` is not given. */
  readonly emailWorkflowId?: pulumi.Output<string>;
  /** ARM id of the retraining Logic App. Unset when `retrain` is not given. */
  readonly retrainWorkflowId?: pulumi.Output<string>;
  /** ARM id of the Data Factory the retraining starts runs in. Unset when `retrain` is not given. */
  readonly dataFactoryId?: pulumi.Output<string>;
  /** ARM id of the model deployer's Function App. Unset when `deployer` is not given. */
  readonly deployerFunctionAppId?: pulumi.Output<string>;
  /** ARM id of the event hub the events stream to. Unset when `streaming` is not given. */
  readonly eventHubId?: pulumi.Output<string>;
  /** ARM id of the Log Analytics workspace diagnostics go to. Unset when `monitoring` is not given. */
  readonly logAnalyticsWorkspaceId?: pulumi.Output<string>;
  /** ARM id of the monitoring action group. Unset when `monitoring` is not given. */
  readonly actionGroupId?: pulumi.Output<string>;
}

/** The AVM interface names: set once on the composite, not per capability. */
const INTERFACE_KEYS = Object.keys(AVM_INTERFACE_ARG_KEYS) as (keyof typeof AVM_INTERFACE_ARG_KEYS)[];

/** Interface problems the composite sees before forwarding (each capability checks the rest). */
function compositeInterfaceProblems(where: string, args: MlEventWorkflowsArgs): string[] {
  const problems = validateAvmInterfaces(where, args, "", false);
  for (const [i, d] of (Array.isArray(args.diagnosticSettings) ? args.diagnosticSettings : []).entries()) {
    for (const [j, c] of (d.logCategoriesAndGroups ?? []).entries()) {
      if (c.categoryGroup !== "allLogs") {
        problems.push(`${where}: diagnosticSettings[${i}].logCategoriesAndGroups[${j}] ${JSON.stringify(c)} is forwarded to every capability, whose resource types list different categories; use { categoryGroup: "allLogs" }, or set categories on a capability you declare yourself.`);
      }
    }
  }
  if (args.monitoring !== undefined) {
    const brought: unknown = typeof args.monitoring.logAnalytics === "object" ? args.monitoring.logAnalytics?.workspaceId : undefined;
    problems.push(...monitoringSinkProblems(where, "diagnosticSettings", Array.isArray(args.diagnosticSettings) ? args.diagnosticSettings : undefined, brought, doublyWatched(args)));
  }
  if (args.lock?.kind === "ReadOnly" && (args.email !== undefined || args.retrain !== undefined)) {
    problems.push(`${where}: lock.kind "ReadOnly" is forwarded to email/retrain, where it blocks the POSTs they need (listCallbackUrl, createRun); use "CanNotDelete".`);
  }
  return problems;
}

/** The created resources that get both the forwarded `diagnosticSettings` and monitoring's own setting. */
function doublyWatched(args: MlEventWorkflowsArgs): DoublyWatched[] {
  return [
    ...(args.existingSystemTopic === undefined ? [{ what: "the system topic", kind: "systemTopic" as const }] : []),
    ...(args.email ? [{ what: "the email Logic App", kind: "workflow" as const }] : []),
    ...(args.retrain ? [{ what: "the retraining Logic App", kind: "workflow" as const }] : []),
    ...(args.retrain?.createPipeline !== undefined ? [{ what: "the created Data Factory", kind: "factory" as const }] : []),
    ...(args.deployer ? [{ what: "the deployer's Function App", kind: "functionApp" as const }] : []),
  ];
}

/** The interfaces every capability gets (each applies them to what it creates). */
function forwardedInterfaces(args: MlEventWorkflowsArgs): Pick<AvmInterfaces, "lock" | "diagnosticSettings" | "managedIdentities"> {
  return {
    ...(args.lock ? { lock: args.lock } : {}),
    ...(args.diagnosticSettings ? { diagnosticSettings: args.diagnosticSettings } : {}),
    ...(args.managedIdentities ? { managedIdentities: args.managedIdentities } : {}),
  };
}

/**
 * What the system topic gets: the grants, and the forwarded interfaces unless the topic is adopted
 * (then lock and identities are the adopted topic's own; diagnostics still reach a created dead-letter account).
 */
function topicInterfaces(args: MlEventWorkflowsArgs): Pick<WorkspaceEventsArgs, "lock" | "diagnosticSettings" | "managedIdentities" | "roleAssignments"> {
  const adopted = args.existingSystemTopic !== undefined;
  const createsAccount = resolveDeadLetter(args.deadLetter, "create") === "create";
  const f = forwardedInterfaces(args);
  return {
    lock: adopted ? undefined : f.lock,
    diagnosticSettings: adopted && !createsAccount ? undefined : f.diagnosticSettings,
    managedIdentities: adopted ? undefined : f.managedIdentities,
    roleAssignments: args.roleAssignments,
  };
}

/** The names of `MlEventWorkflowsArgs` (run-time check of JavaScript callers' args). */
export const ML_EVENT_WORKFLOWS_ARG_KEYS = {
  workspaceId: true,
  resourceGroupName: true,
  location: true,
  existingSystemTopic: true,
  deadLetter: true,
  subscriptions: true,
  defaults: true,
  email: true,
  retrain: true,
  deployer: true,
  streaming: true,
  monitoring: true,
  ...AVM_INTERFACE_ARG_KEYS,
  ...ISOLATION_ARG_KEYS,
} as const satisfies ArgKeys<MlEventWorkflowsArgs>;

/** The names of each capability's options: the component's own, less what the composite passes itself. */
export const CAPABILITY_OPTION_KEYS = {
  email: omitKeys(EMAIL_ALERTS_ARG_KEYS, ["events", "workspace", "resourceGroupName", "location", ...INTERFACE_KEYS]) satisfies ArgKeys<EmailOptions>,
  retrain: omitKeys(DRIFT_RETRAIN_TRIGGER_ARG_KEYS, ["events", "workspace", "resourceGroupName", "location", ...INTERFACE_KEYS]) satisfies ArgKeys<RetrainOptions>,
  deployer: omitKeys(MODEL_DEPLOYER_ARG_KEYS, ["events", "workspace", "resourceGroupName", "location", ...INTERFACE_KEYS]) satisfies ArgKeys<DeployerOptions>,
  streaming: omitKeys(EVENT_HUB_STREAM_ARG_KEYS, ["events", ...INTERFACE_KEYS]) satisfies ArgKeys<StreamingOptions>,
  monitoring: omitKeys(OBSERVABILITY_ARG_KEYS, ["resourceGroupName", "location", "systemTopic", "workflows", "functionAppId", "factoryId", ...INTERFACE_KEYS]) satisfies ArgKeys<MonitoringOptions>,
} as const;

/** Unknown names in `MlEventWorkflowsArgs` and in each capability's options, named as the caller wrote them (`email.alerts[0].…`). */
export function unknownMlEventWorkflowsArgs(args: MlEventWorkflowsArgs): string[] {
  const k = CAPABILITY_OPTION_KEYS;
  return [
    ...unknownArgumentProblems(args, ML_EVENT_WORKFLOWS_ARG_KEYS),
    ...unknownArgumentProblems(args.defaults, DELIVERY_OPTION_KEYS, "defaults."),
    ...unknownArgumentProblems(args.email, k.email, "email."),
    ...unknownArgumentProblemsInList(args.email?.alerts, EMAIL_ALERT_RULE_KEYS, "email.alerts", (a) => typeof a === "object"),
    ...unknownArgumentProblems(args.email?.email, EMAIL_TRANSPORT_KEYS, "email.email."),
    ...unknownArgumentProblems(args.retrain, k.retrain, "retrain."),
    ...unknownArgumentProblems(args.retrain?.createPipeline, CREATE_RETRAIN_PIPELINE_KEYS, "retrain.createPipeline."),
    ...unknownArgumentProblems(args.retrain?.existingPipeline, EXISTING_RETRAIN_PIPELINE_KEYS, "retrain.existingPipeline."),
    ...unknownArgumentProblems(args.deployer, k.deployer, "deployer."),
    ...unknownArgumentProblemsInList(args.deployer?.rules, DEPLOY_RULE_KEYS, "deployer.rules"),
    ...(typeof args.streaming === "object" ? unknownArgumentProblems(args.streaming, k.streaming, "streaming.") : []),
    ...(typeof args.streaming === "object" ? unknownArgumentProblems(args.streaming?.eventHub, EVENT_HUB_SETTINGS_KEYS, "streaming.eventHub.") : []),
    ...(args.monitoring ? unknownObservabilityArgs(args.monitoring, k.monitoring, "monitoring.") : []),
  ];
}

/** Pure validation of `MlEventWorkflowsArgs` at the composite level (each capability validates its own options). */
export function validateMlEventWorkflowsArgs(name: string, args: MlEventWorkflowsArgs): string[] {
  const where = `MlEventWorkflows("${name}")`;
  const problems: string[] = [...unknownMlEventWorkflowsArgs(args).map((p) => `${where}: ${p}`), ...compositeInterfaceProblems(where, args)];
  if (!/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/.test(name)) {
    problems.push(`${where}: name ${JSON.stringify(name)} is invalid; use 3-32 lowercase letters, digits and hyphens (child resources and Azure names derive from it).`);
  }
  const streaming: unknown = args.streaming;
  if (streaming !== undefined && (typeof streaming !== "object" || streaming === null)) {
    problems.push(`${where}: streaming ${JSON.stringify(streaming)} is not supported${streaming === true ? " (the previous form)" : ""}; write streaming: {} to stream with every default, or give its options.`);
  }
  if (!args.email && !args.retrain && !args.deployer && !args.streaming) {
    problems.push(`${where}: no capability is enabled; set at least one of email, retrain, deployer or streaming (or use WorkspaceEvents directly).`);
  }
  return problems;
}

/** The previous token, kept as an alias so stacks created before the multi-language tokens are not replaced. */
export const ML_EVENT_WORKFLOWS_LEGACY_TYPE = "aml-events:composite:MlEventWorkflows";

/** MlEventWorkflows's TypeScript-only parts (see `HiddenParts`). */
interface MlEventWorkflowsParts {
  events: WorkspaceEvents;
  emailAlerts: EmailAlerts;
  retrain: DriftRetrainTrigger;
  deployer: ModelDeployer;
  stream: EventHubStream;
  monitoring: Observability;
}
const COMPOSITE_PARTS = new HiddenParts<MlEventWorkflows, MlEventWorkflowsParts>();

/**
 * Everything event-driven around one Azure Machine Learning workspace, in one component: the shared
 * system topic (`WorkspaceEvents`) and any of email alerts, drift-triggered retraining, the
 * tag-driven model deployer and an Event Hubs stream on it. Declare one per workspace; several in one
 * stack are independent. Add your own subscriptions to the same topic (Azure allows only one per
 * workspace) with `subscriptions` (any language) or, in TypeScript, through the exposed `events`.
 */
export class MlEventWorkflows extends pulumi.ComponentResource {
  /** Pulumi type token. */
  static readonly __type = "aml-events:index:MlEventWorkflows";

  /** Ids for other stacks (`pulumi.StackReference`); no secrets. */
  readonly outputs: MlEventWorkflowsOutputs;

  /** The workspace's system topic and subscriptions; subscribe more through it. */
  get events(): WorkspaceEvents {
    return COMPOSITE_PARTS.required(this, "events");
  }
  /** Email alerts, when enabled. */
  get emailAlerts(): EmailAlerts | undefined {
    return COMPOSITE_PARTS.of(this).emailAlerts;
  }
  /** Retraining on monitor breaches (or legacy drift), when enabled. */
  get retrain(): DriftRetrainTrigger | undefined {
    return COMPOSITE_PARTS.of(this).retrain;
  }
  /** Model deployer, when enabled. */
  get deployer(): ModelDeployer | undefined {
    return COMPOSITE_PARTS.of(this).deployer;
  }
  /** Event Hubs stream, when enabled. */
  get stream(): EventHubStream | undefined {
    return COMPOSITE_PARTS.of(this).stream;
  }
  /** Diagnostics and alerts, when enabled. */
  get monitoring(): Observability | undefined {
    return COMPOSITE_PARTS.of(this).monitoring;
  }

  constructor(name: string, args: MlEventWorkflowsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MlEventWorkflows.__type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: ML_EVENT_WORKFLOWS_LEGACY_TYPE }] });
    const problems = validateMlEventWorkflowsArgs(name, args);
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("\n"), this);
    const tags = args.tags ?? {};
    // Forwarded to every capability that creates what they apply to (docs/avm-interfaces.md).
    const forwarded = forwardedInterfaces(args);
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags, ...forwarded };

    COMPOSITE_PARTS.of(this).events = new WorkspaceEvents(
      name,
      {
        workspaceId: args.workspaceId,
        ...common,
        ...topicInterfaces(args),
        ...(args.existingSystemTopic ? { existingSystemTopic: args.existingSystemTopic } : {}),
        ...(args.deadLetter ? { deadLetter: args.deadLetter } : {}),
        ...(args.defaults ? { defaults: args.defaults } : {}),
        ...(args.roleAssignments ? { roleAssignments: args.roleAssignments } : {}),
        ...(args.subscriptions ? { subscriptions: args.subscriptions } : {}),
        ...(args.publicNetworkAccess !== undefined ? { publicNetworkAccess: args.publicNetworkAccess } : {}),
        ...(args.privateEndpoints !== undefined ? { privateEndpoints: args.privateEndpoints } : {}),
        ...(args.customerManagedKey !== undefined ? { customerManagedKey: args.customerManagedKey } : {}),
      },
      { parent: this },
    );
    const events = this.events;
    if (args.email) COMPOSITE_PARTS.of(this).emailAlerts = new EmailAlerts(`${name}-email`, { ...args.email, ...common, events }, { parent: this });
    if (args.retrain) COMPOSITE_PARTS.of(this).retrain = new DriftRetrainTrigger(`${name}-retrain`, { ...args.retrain, ...common, events }, { parent: this });
    if (args.deployer) COMPOSITE_PARTS.of(this).deployer = new ModelDeployer(`${name}-deployer`, { ...args.deployer, ...common, events }, { parent: this });
    if (args.streaming) {
      const own = args.streaming.existingEventHubId === undefined ? forwarded : {};
      COMPOSITE_PARTS.of(this).stream = new EventHubStream(`${name}-stream`, { ...args.streaming, tags, ...own, events }, { parent: this });
    }

    if (args.monitoring) {
      const own = args.monitoring.logAnalytics === undefined ? common : { resourceGroupName: args.resourceGroupName, location: args.location, tags };
      COMPOSITE_PARTS.of(this).monitoring = this.observe(name, args.monitoring, own);
    }
    const unreached = unreachedRetrainedModel(name, args);
    if (unreached !== undefined) pulumi.log.warn(unreached, this);

    this.outputs = {
      workspaceId: events.workspaceId,
      systemTopicId: events.systemTopicId,
      systemTopicName: events.systemTopicName,
      ...(this.emailAlerts ? { emailWorkflowId: this.emailAlerts.workflowId } : {}),
      ...(this.retrain ? { retrainWorkflowId: this.retrain.workflowId, dataFactoryId: this.retrain.factoryId } : {}),
      ...(this.deployer ? { deployerFunctionAppId: this.deployer.functionAppId } : {}),
      ...(this.stream ? { eventHubId: this.stream.eventHubId } : {}),
      ...(this.monitoring ? { logAnalyticsWorkspaceId: this.monitoring.logAnalyticsWorkspaceId, actionGroupId: this.monitoring.actionGroupId } : {}),
    };
    this.registerOutputs({ ...this.outputs });
  }

  /** Watches the topic (every subscription, `EventSubscriptionName` = `*`, so later ones too), the workflows, the Function App and the factory. */
  private observe(name: string, monitoring: MonitoringOptions, common: Pick<ObservabilityArgs, "resourceGroupName" | "location" | "tags" | "lock" | "diagnosticSettings" | "managedIdentities">): Observability {
    const workflows: WatchedWorkflow[] = [];
    if (this.emailAlerts) workflows.push({ label: "email", id: this.emailAlerts.workflowId });
    if (this.retrain) workflows.push({ label: "retrain", id: this.retrain.workflowId });
    return new Observability(
      `${name}-monitoring`,
      {
        ...monitoring,
        ...common,
        systemTopic: { id: this.events.systemTopicId, subscriptionNames: [] },
        workflows,
        ...(this.deployer ? { functionAppId: this.deployer.functionAppId } : {}),
        ...(this.retrain ? { factoryId: this.retrain.factoryId } : {}),
      },
      { parent: this },
    );
  }
}
