import * as authorization from "@pulumi/azure-native/authorization";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { AML_TOPIC_TYPE } from "../events/types";
import { DestinationKind, EventDestination } from "../destinations/types";
import { EventFilter } from "../filters/types";
import { assignRole } from "../rbac/assignment";
import { deterministicGuid } from "../rbac/guid";
import { toAzureFilter } from "./azureFilter";
import { destinationFromSpec, subscriptionFilter, WorkspaceSubscription, workspaceSubscriptionProblems } from "./subscriptionSpec";
import { claimWorkspace } from "./registry";
import { checkFilter, componentNameProblems, DEAD_LETTER_KEYS, DeadLetterSettings, DELIVERY_OPTION_KEYS, resolveDeadLetter, placementProblems, DeliveryOptions, pickDelivery, validateDeadLetter, validateDeliveryOptions, validateSubscription } from "./validate";
import { ArgKeys, unknownArgumentProblems } from "./argKeys";
import { WORKSPACE_ID } from "../arm/ids";
import { IsolationArgs, IsolationSupport, ISOLATION_ARG_KEYS, validateIsolationArgs } from "../interfaces/isolation";
import { effectiveAccess, storageNetworkProps } from "../interfaces/network";
import { createPrivateEndpoints } from "../interfaces/privateEndpoints";
import { storageEncryptionProps } from "../interfaces/customerManagedKey";
import { AvmInterfaces } from "../interfaces/types";
import { validateAvmInterfaces } from "../interfaces/validate";
import { createDiagnosticSettings, diagnosticCoverageProblems, DiagnosticResourceType, diagnosticSinkProblems, DiagnosticTarget } from "../interfaces/diagnostics";
import { createRoleAssignments } from "../interfaces/roleAssignments";
import { actingIdentity, actingPrincipalId, ActingIdentity, asIdentityMap, eventSubscriptionIdentity, identityBlock, identitySupportProblems } from "../interfaces/identities";

/** An existing system topic to adopt instead of creating one. */
export interface ExistingSystemTopic {
  /** The system topic's name. */
  readonly name: pulumi.Input<string>;
  /** Its resource group. @default - `resourceGroupName` */
  readonly resourceGroupName?: pulumi.Input<string>;
}

/**
 * Arguments of `WorkspaceEvents`. The isolation arguments (`publicNetworkAccess`, `privateEndpoints`
 * with service `blob`, `customerManagedKey`) apply to the dead-letter storage it creates; the system
 * topic itself has no public network setting (its events come from the workspace, not over a public endpoint).
 */
export interface WorkspaceEventsArgs extends AvmInterfaces, IsolationArgs {
  /** ARM id of the Azure Machine Learning workspace whose events are published. */
  readonly workspaceId: pulumi.Input<string>;
  /** Resource group for the system topic and the dead-letter storage. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region of the workspace; the system topic must live in the source's region. */
  readonly location: pulumi.Input<string>;
  /** Name of the system topic to create. @default - `${name}-topic` made Azure-safe */
  readonly systemTopicName?: string;
  /** Adopt an existing system topic (Azure allows only one per workspace). It must have a system-assigned identity. @default - create one */
  readonly existingSystemTopic?: ExistingSystemTopic;
  /**
   * Default dead-letter destination of every subscription: `{ mode: "create" }` makes a locked-down storage
   * account and container written by the topic's identity; `{ storageAccountId, containerName }` uses
   * yours (the topic identity is granted Storage Blob Data Contributor on that container only);
   * `{ mode: "none" }` turns dead-lettering off for every subscription (undeliverable events are dropped).
   * @default { mode: "create" }
   */
  readonly deadLetter?: DeadLetterSettings;
  /** Retry policy and schema defaults applied to every subscription. @default - see `DeliveryOptions` */
  readonly defaults?: DeliveryOptions;
  /** Tags for the resources this component creates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * A management lock on the created system topic (AVM's `lock`): `CanNotDelete` keeps every
   * subscription's topic from being deleted by accident. Not applied to an adopted topic.
   * A lock is inherited by child resources, so it also blocks deleting (and so renaming or
   * replacing) the topic's subscriptions; `ReadOnly` blocks every change to them. The lock
   * depends on every subscription made through `WorkspaceEvents.subscribe` in the same
   * program turn, so `pulumi destroy` removes the lock first (later subscriptions are not covered).
   * Its Pulumi name and default lock name are `${name}-topic-lock` (kept from earlier releases).
   * @default - no lock
   */
  readonly lock?: TopicLock;
  /**
   * Diagnostic settings of the created system topic (`DeliveryFailures`, metrics) and of the created
   * dead-letter storage account (metrics). @default []
   */
  readonly diagnosticSettings?: AvmInterfaces["diagnosticSettings"];
  /** Extra role grants on the system topic (created or adopted). @default [] */
  readonly roleAssignments?: AvmInterfaces["roleAssignments"];
  /**
   * Identities of the created system topic. With user-assigned ids, the first one delivers and
   * dead-letters (`deliveryWithResourceIdentity` / `deadLetterWithResourceIdentity` with
   * `type: "UserAssigned"`) and receives the destination and dead-letter grants; the system-assigned
   * identity is then off unless `systemAssigned: true`. Not with `existingSystemTopic`.
   * @default - a system-assigned identity that delivers and dead-letters
   */
  readonly managedIdentities?: AvmInterfaces["managedIdentities"];
  /**
   * Subscriptions as plain data (any language): each is declared as `subscribe` would declare it, with the
   * same validation. TypeScript programs may call `subscribe` instead.
   * @default []
   */
  readonly subscriptions?: WorkspaceSubscription[];
}

/** Management lock levels (`Microsoft.Authorization/locks`): the values of the AVM `LockKind`, under the name other languages' SDKs already use. */
export const TopicLockKind = { CanNotDelete: "CanNotDelete", ReadOnly: "ReadOnly" } as const;
/** Management lock levels (`Microsoft.Authorization/locks`): the values of the AVM `LockKind`. */
export type TopicLockKind = (typeof TopicLockKind)[keyof typeof TopicLockKind];

/** A management lock on the created system topic: the AVM `Lock`, under the name other languages' SDKs already use (`TopicLockArgs`). */
export interface TopicLock {
  /** `CanNotDelete` blocks deletes (of the topic and its subscriptions); `ReadOnly` blocks every change. */
  readonly kind: TopicLockKind;
  /** The lock's name: at most 260 characters, none of `< > % & : \ ? /`. @default - `${name}-topic-lock` */
  readonly name?: string;
  /** Why the lock exists, shown in the portal; at most 512 characters. @default - a sentence about the topic's subscriptions */
  readonly notes?: string;
}

/** Arguments of `WorkspaceEvents.subscribe`. */
export interface SubscribeArgs extends DeliveryOptions {
  /** Where events go. */
  readonly destination: EventDestination;
  /** Which events go there; analyzed at construction (errors throw, warnings are logged). @default - every AML event */
  readonly filter?: EventFilter;
  /** `{ mode: "default" }` uses the component's dead-letter container, `{ mode: "none" }` opts out explicitly, or bring your own `{ storageAccountId, containerName }`. @default { mode: "default" } */
  readonly deadLetter?: DeadLetterSettings;
  /** Extra resources the subscription waits for. @default [] */
  readonly dependsOn?: readonly pulumi.Resource[];
  /** Analyzer warning codes the caller accepts knowingly (not logged), e.g. a stream that wants every status change. @default [] */
  readonly acceptWarnings?: readonly string[];
}

/** The names of `WorkspaceEventsArgs` (run-time check of JavaScript callers' args). */
export const WORKSPACE_EVENTS_ARG_KEYS = {
  workspaceId: true,
  resourceGroupName: true,
  location: true,
  systemTopicName: true,
  existingSystemTopic: true,
  deadLetter: true,
  defaults: true,
  tags: true,
  lock: true,
  diagnosticSettings: true,
  roleAssignments: true,
  managedIdentities: true,
  subscriptions: true,
  ...ISOLATION_ARG_KEYS,
} as const satisfies ArgKeys<WorkspaceEventsArgs>;

/** The names of `SubscribeArgs`. */
export const SUBSCRIBE_ARG_KEYS = {
  ...DELIVERY_OPTION_KEYS,
  destination: true,
  filter: true,
  deadLetter: true,
  dependsOn: true,
  acceptWarnings: true,
} as const satisfies ArgKeys<SubscribeArgs>;

/** Unknown names in `WorkspaceEventsArgs` and its option objects. */
export function unknownWorkspaceEventsArgs(args: WorkspaceEventsArgs): string[] {
  return [
    ...unknownArgumentProblems(args, WORKSPACE_EVENTS_ARG_KEYS),
    ...unknownArgumentProblems(args.existingSystemTopic, { name: true, resourceGroupName: true } satisfies ArgKeys<ExistingSystemTopic>, "existingSystemTopic."),
    ...(typeof args.deadLetter === "object" ? unknownArgumentProblems(args.deadLetter, DEAD_LETTER_KEYS, "deadLetter.") : []),
    ...unknownArgumentProblems(args.defaults, DELIVERY_OPTION_KEYS, "defaults."),
    ...workspaceSubscriptionProblems(args.subscriptions),
  ];
}

/** The previous token, kept as an alias so stacks created before the multi-language tokens are not replaced. */
export const WORKSPACE_EVENTS_LEGACY_TYPE = "aml-events:workspace:WorkspaceEvents";

/** What the component knows about each subscription, for routing, plans and maps. */
export interface SubscriptionInfo {
  /** The Azure event subscription name. */
  readonly name: string;
  /** The filter as declared. */
  readonly filter: EventFilter;
  /** Destination kind. */
  readonly destinationKind: DestinationKind;
  /** Destination label. */
  readonly destination: string;
  /** Whether undeliverable events are dead-lettered. */
  readonly deadLettered: boolean;
  /** The declared resource. */
  readonly resource: eventgrid.SystemTopicEventSubscription;
}

const DEFAULT_MAX_DELIVERY_ATTEMPTS = 30;
const DEFAULT_EVENT_TTL_MINUTES = 1440;

/**
 * What a WorkspaceEvents keeps for itself and TypeScript callers. Held outside the instance: Pulumi's
 * component analyzer publishes every instance property as a schema output, and resources, maps and
 * filters are not outputs other languages can read (the getters above are invisible to it).
 */
interface WorkspaceEventsState {
  readonly componentName: string;
  readonly defaults: DeliveryOptions;
  readonly subscriptions: SubscriptionInfo[];
  readonly deadLetterGrants: Map<string, pulumi.Resource>;
  topicResourceGroup?: pulumi.Output<string>;
  systemTopic?: eventgrid.SystemTopic;
  topicLock?: authorization.ManagementLockByScope;
  defaultDeadLetter?: { readonly storageAccountId: pulumi.Input<string>; readonly containerName: pulumi.Input<string> };
  defaultDeadLetterGrant?: pulumi.Resource;
  /** The created dead-letter storage account, when there is one. */
  deadLetterAccountId?: pulumi.Output<string>;
  /** Set once the lock has read its dependencies: later subscriptions are not ordered before it. */
  lockDependenciesRead: boolean;
  /** The identity the topic delivers and dead-letters with (`managedIdentities`). */
  readonly acting: ActingIdentity;
}

const STATE = new WeakMap<WorkspaceEvents, WorkspaceEventsState>();

function stateOf(events: WorkspaceEvents): WorkspaceEventsState {
  const state = STATE.get(events);
  if (state === undefined) throw new Error("WorkspaceEvents used before its constructor ran");
  return state;
}

/** Lower-case letters and digits only, for storage account names. */
function storageSafe(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Pure validation of `WorkspaceEventsArgs`; messages name the argument, the value and the fix. */
export function validateWorkspaceEventsArgs(name: string, args: WorkspaceEventsArgs): string[] {
  const problems: string[] = [];
  const where = `WorkspaceEvents("${name}")`;
  problems.push(...unknownWorkspaceEventsArgs(args).map((p) => `${where}: ${p}`));
  if (typeof args.workspaceId === "string" && !WORKSPACE_ID.test(args.workspaceId)) {
    problems.push(
      `${where}: workspaceId ${JSON.stringify(args.workspaceId)} is not an Azure Machine Learning workspace id; expected ` +
        `/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name}.`,
    );
  }
  if (args.systemTopicName !== undefined && !/^[A-Za-z0-9-]{3,128}$/.test(args.systemTopicName)) {
    problems.push(`${where}: systemTopicName ${JSON.stringify(args.systemTopicName)} is invalid; use 3-128 letters, digits and hyphens.`);
  } else if (args.systemTopicName === undefined && args.existingSystemTopic === undefined) {
    // The created topic is named after the component.
    problems.push(...componentNameProblems(where, name, 122).map((p) => `${p} Or set systemTopicName.`));
  }
  problems.push(...placementProblems(where, args.resourceGroupName, args.location));
  if (args.systemTopicName !== undefined && args.existingSystemTopic !== undefined) {
    problems.push(`${where}: systemTopicName and existingSystemTopic are both set; pass existingSystemTopic to adopt a topic, or systemTopicName to create one.`);
  }
  problems.push(...validateDeadLetter(where, args.deadLetter, ["create", "none"]));
  problems.push(...workspaceEventsInterfaceProblems(where, args));
  if (args.defaults) problems.push(...validateDeliveryOptions(`${where}: defaults`, args.defaults));
  problems.push(...validateIsolationArgs(where, args, workspaceEventsIsolation(args)));
  return problems;
}

/** The isolation arguments reach the dead-letter storage WorkspaceEvents creates, and nothing else. */
function workspaceEventsIsolation(args: WorkspaceEventsArgs): IsolationSupport {
  if (resolveDeadLetter(args.deadLetter, "create") === "create") {
    // Behind a storage firewall Event Grid is admitted with the topic's SYSTEM-assigned identity only
    // (Learn, "Storage queue as an event handler"); a user-assigned one would lose every dead letter.
    const userAssigned = (args.managedIdentities?.userAssignedResourceIds ?? []).length > 0;
    const closed = effectiveAccess(args.publicNetworkAccess, Array.isArray(args.privateEndpoints) ? args.privateEndpoints.length : 0) === "Disabled";
    if (userAssigned && closed) {
      const why =
        "the dead-letter storage would be private, and Event Grid writes to a firewalled storage account only with the topic's system-assigned identity (the trusted-services exception admits no user-assigned identity). Drop managedIdentities.userAssignedResourceIds, or keep the dead-letter storage public.";
      return { privateEndpoints: why, publicNetworkAccess: why };
    }
    return { privateEndpoints: { defaultService: "blob", services: { blob: "the dead-letter storage account" } } };
  }
  const none = 'deadLetter is not { mode: "create" }, so WorkspaceEvents creates no storage (and the system topic has no public endpoint setting); secure your own dead-letter account where you manage it, with bypass AzureServices so Event Grid can still write to it.';
  return { privateEndpoints: none, customerManagedKey: none, publicNetworkAccess: none };
}

/** Problems with the AVM interfaces of `WorkspaceEventsArgs` (see docs/avm-interfaces.md). */
function workspaceEventsInterfaceProblems(where: string, args: WorkspaceEventsArgs): string[] {
  const problems = validateAvmInterfaces(where, args, "", true);
  if (args.existingSystemTopic !== undefined) {
    if (args.lock !== undefined) problems.push(`${where}: lock is set with existingSystemTopic; lock the adopted topic where it is managed, or drop lock.`);
    if (args.managedIdentities !== undefined) problems.push(`${where}: managedIdentities is set with existingSystemTopic; set the adopted topic's identities where it is managed, or drop managedIdentities.`);
  }
  problems.push(...identitySupportProblems(where, "managedIdentities", args.managedIdentities, "Microsoft.EventGrid/systemTopics"));
  problems.push(...diagnosticCoverageProblems(where, "diagnosticSettings", args.diagnosticSettings, workspaceEventsDiagnosticTypes(args)));
  problems.push(...diagnosticSinkProblems(where, "diagnosticSettings", args.diagnosticSettings, workspaceEventsDiagnosticTypes(args)));
  return problems;
}

/** The created resource types diagnostic settings apply to: the topic and the dead-letter account, when created. */
function workspaceEventsDiagnosticTypes(args: WorkspaceEventsArgs): DiagnosticResourceType[] {
  return [
    ...(args.existingSystemTopic === undefined ? ["Microsoft.EventGrid/systemTopics" as const] : []),
    ...(resolveDeadLetter(args.deadLetter, "create") === "create" ? ["Microsoft.Storage/storageAccounts" as const] : []),
  ];
}

/**
 * The Event Grid system topic of one Azure Machine Learning workspace, shared by every subscription
 * (Azure allows one system topic per source). Creates the topic with a system-assigned identity, or
 * adopts an existing one; owns a dead-letter container written by that identity; and offers
 * `subscribe` to add subscriptions with validated filters, bounded retry, dead-lettering and
 * identity-based delivery.
 */
export class WorkspaceEvents extends pulumi.ComponentResource {
  /** Pulumi type token (the `index` module, as Pulumi's component analyzer requires). */
  static readonly __type = "aml-events:index:WorkspaceEvents";

  /** ARM id of the workspace. */
  readonly workspaceId: pulumi.Output<string>;
  /** Resource group of the system topic. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** Region of the workspace and topic. */
  readonly location: pulumi.Output<string>;
  /** Name of the system topic. */
  readonly systemTopicName: pulumi.Output<string>;
  /** ARM id of the system topic. */
  readonly systemTopicId: pulumi.Output<string>;
  /** Principal id of the identity the topic delivers and dead-letters with: its system-assigned one, or the first user-assigned one of `managedIdentities`. */
  readonly topicPrincipalId: pulumi.Output<string>;
  /** ARM id of the default dead-letter container, when there is one. */
  readonly deadLetterContainerId?: pulumi.Output<string>;

  /** The created system topic (undefined when adopting one). */
  get systemTopic(): eventgrid.SystemTopic | undefined {
    return stateOf(this).systemTopic;
  }
  /** The management lock on the created topic, when `lock` is set. */
  get topicLock(): authorization.ManagementLockByScope | undefined {
    return stateOf(this).topicLock;
  }
  /** Every subscription added so far, in order. */
  get subscriptions(): SubscriptionInfo[] {
    return stateOf(this).subscriptions;
  }
  /** Which identity delivers and dead-letters: the topic's system-assigned one, or a user-assigned one (`managedIdentities`). */
  get deliveryIdentityKind(): "SystemAssigned" | "UserAssigned" {
    return stateOf(this).acting.kind;
  }

  constructor(name: string, args: WorkspaceEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(WorkspaceEvents.__type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: WORKSPACE_EVENTS_LEGACY_TYPE }] });
    const problems = validateWorkspaceEventsArgs(name, args);
    if (typeof args.workspaceId === "string" && problems.length === 0) {
      const owner = claimWorkspace(pulumi.getProject(), pulumi.getStack(), args.workspaceId, name);
      if (owner !== undefined) {
        problems.push(
          `WorkspaceEvents("${name}"): workspace ${args.workspaceId} already has a system topic declared by WorkspaceEvents("${owner}"); ` +
            `Azure allows one system topic per workspace — subscribe on that component instead of creating a second.`,
        );
      }
    }
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("\n"), this);

    const acting = actingIdentity(args.managedIdentities, false);
    const state: WorkspaceEventsState = { componentName: name, defaults: args.defaults ?? {}, subscriptions: [], deadLetterGrants: new Map(), lockDependenciesRead: false, acting };
    STATE.set(this, state);
    this.workspaceId = pulumi.output(args.workspaceId);
    this.resourceGroupName = pulumi.output(args.resourceGroupName);
    this.location = pulumi.output(args.location);
    const tags = args.tags ?? {};

    if (args.existingSystemTopic) {
      const rg = args.existingSystemTopic.resourceGroupName ?? args.resourceGroupName;
      const existing = eventgrid.getSystemTopicOutput({ resourceGroupName: rg, systemTopicName: args.existingSystemTopic.name }, { parent: this });
      state.topicResourceGroup = pulumi.output(rg);
      this.systemTopicName = existing.name;
      this.systemTopicId = existing.id;
      this.topicPrincipalId = pulumi.output(existing.identity).apply((i) => i?.principalId ?? "");
    } else {
      state.systemTopic = new eventgrid.SystemTopic(
        `${name}-topic`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          systemTopicName: args.systemTopicName ?? `${name}-topic`,
          source: args.workspaceId,
          topicType: AML_TOPIC_TYPE,
          identity: asIdentityMap(identityBlock(args.managedIdentities, "Microsoft.EventGrid/systemTopics", false)),
          tags,
        },
        { parent: this },
      );
      state.topicResourceGroup = this.resourceGroupName;
      this.systemTopicName = state.systemTopic.name;
      this.systemTopicId = state.systemTopic.id;
      if (args.lock) state.topicLock = this.createLock(name, args.lock);
      const systemPrincipal = state.systemTopic.identity.apply((i) => i?.principalId ?? "");
      this.topicPrincipalId = actingPrincipalId(acting, systemPrincipal, { parent: this });
    }

    const dl = resolveDeadLetter(args.deadLetter, "create");
    if (dl === "create") {
      const seed = typeof args.workspaceId === "string" ? args.workspaceId : name;
      const account = new storage.StorageAccount(
        `${name}-deadletter`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          accountName: `dl${storageSafe(name).slice(0, 14)}${deterministicGuid(seed).slice(0, 8)}`,
          kind: "StorageV2",
          sku: { name: "Standard_LRS" },
          enableHttpsTrafficOnly: true,
          minimumTlsVersion: "TLS1_2",
          allowBlobPublicAccess: false,
          allowSharedKeyAccess: false,
          // Public access off keeps the trusted-services exception: the topic's identity still writes dead letters.
          ...storageNetworkProps(effectiveAccess(args.publicNetworkAccess, args.privateEndpoints?.length ?? 0)),
          ...storageEncryptionProps(args.customerManagedKey),
          tags,
        },
        { parent: this },
      );
      createPrivateEndpoints(name, args.privateEndpoints, { resourceGroupName: args.resourceGroupName, location: args.location, tags, defaultService: "blob", targets: { blob: account.id } }, { parent: this });
      const container = new storage.BlobContainer(
        `${name}-deadletter`,
        { resourceGroupName: args.resourceGroupName, accountName: account.name, containerName: "deadletter", publicAccess: "None" },
        { parent: this },
      );
      this.deadLetterContainerId = container.id;
      state.deadLetterAccountId = account.id;
      state.defaultDeadLetter = { storageAccountId: account.id, containerName: container.name };
      state.defaultDeadLetterGrant = assignRole(
        `${name}-deadletter-writer`,
        { scope: container.id, principalId: this.topicPrincipalId, role: "StorageBlobDataContributor", description: "Event Grid writes undeliverable events" },
        { parent: this },
      );
    } else if (typeof dl === "object") {
      state.defaultDeadLetter = dl;
      state.defaultDeadLetterGrant = this.grantDeadLetter(dl.storageAccountId, dl.containerName);
    }

    this.applyInterfaces(name, args);
    for (const spec of args.subscriptions ?? []) this.subscribeSpec(spec);
    // Only the primary id goes to state: every registered output costs a serialization per component.
    this.registerOutputs({ systemTopicId: this.systemTopicId });
  }

  /** Diagnostic settings (topic, dead-letter account) and extra role grants on the topic. */
  private applyInterfaces(name: string, args: WorkspaceEventsArgs): void {
    const state = stateOf(this);
    const targets: DiagnosticTarget[] = [];
    if (state.systemTopic) targets.push({ label: "", type: "Microsoft.EventGrid/systemTopics", resourceId: state.systemTopic.id });
    if (state.deadLetterAccountId) targets.push({ label: "deadletter", type: "Microsoft.Storage/storageAccounts", resourceId: state.deadLetterAccountId });
    createDiagnosticSettings(name, args.diagnosticSettings, targets, { parent: this });
    createRoleAssignments(name, args.roleAssignments, this.systemTopicId, { parent: this });
  }

  /** Declares one plain-data subscription through `subscribe` (its destination class built from the spec). */
  private subscribeSpec(spec: WorkspaceSubscription): void {
    this.subscribe(spec.name, {
      ...pickDelivery(spec),
      ...(spec.deadLetter === undefined ? {} : { deadLetter: spec.deadLetter }),
      ...(spec.acceptWarnings === undefined ? {} : { acceptWarnings: spec.acceptWarnings }),
      destination: destinationFromSpec(spec.destination),
      filter: subscriptionFilter(spec),
    });
  }

  /**
   * The topic lock depends on every subscription registered in this program turn: resources are
   * destroyed in reverse dependency order, so the lock goes before the subscriptions it would
   * otherwise block (ScopeLocked). The list is read once the current turn's synchronous code has run.
   */
  private createLock(name: string, lock: NonNullable<WorkspaceEventsArgs["lock"]>): authorization.ManagementLockByScope {
    const subscriptions = new Promise<pulumi.Resource[]>((resolve) =>
      setImmediate(() => {
        stateOf(this).lockDependenciesRead = true;
        resolve(stateOf(this).subscriptions.map((s) => s.resource));
      }),
    );
    return new authorization.ManagementLockByScope(
      `${name}-topic-lock`,
      {
        scope: this.systemTopicId,
        level: lock.kind,
        lockName: lock.name ?? `${name}-topic-lock`,
        notes: lock.notes ?? "Every AML event subscription of this workspace lives on this system topic.",
      },
      { parent: this, dependsOn: subscriptions },
    );
  }

  private grantDeadLetter(storageAccountId: string, containerName: string): pulumi.Resource {
    const key = `${storageAccountId.toLowerCase()}/${containerName}`;
    const existing = stateOf(this).deadLetterGrants.get(key);
    if (existing) return existing;
    const grant = assignRole(
      `${stateOf(this).componentName}-dl-${deterministicGuid(key).slice(0, 8)}`,
      {
        scope: `${storageAccountId}/blobServices/default/containers/${containerName}`,
        principalId: this.topicPrincipalId,
        role: "StorageBlobDataContributor",
        description: "Event Grid writes undeliverable events",
      },
      { parent: this },
    );
    stateOf(this).deadLetterGrants.set(key, grant);
    return grant;
  }

  /**
   * Adds an event subscription on the workspace's system topic. `name` is the Azure subscription name
   * (3–64 letters, digits, hyphens); the Pulumi child is `${component}-${name}` (or `name` itself when it already starts with the component's name). The filter is analyzed
   * (errors throw before anything registers, warnings are logged), retry is bounded (30 attempts /
   * 1440 minutes unless set), undeliverable events are dead-lettered unless `deadLetter: { mode: "none" }`, and
   * destinations that support it are delivered with the topic's identity after their role is granted.
   */
  subscribe(name: string, args: SubscribeArgs): eventgrid.SystemTopicEventSubscription {
    const options: DeliveryOptions = { ...stateOf(this).defaults, ...args };
    const problems = validateSubscription(name, { ...options, destination: args.destination, deadLetter: args.deadLetter });
    problems.push(...unknownArgumentProblems(args, SUBSCRIBE_ARG_KEYS).map((p) => `subscribe("${name}"): ${p}`));
    if (this.subscriptions.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
      problems.push(
        `subscribe("${name}"): a subscription named "${name}" already exists on WorkspaceEvents("${stateOf(this).componentName}"); names must be unique per topic (ignoring case). ` +
          `Pass another name; a component (ModelDeployer, DriftRetrainTrigger, EventHubStream) takes it as its subscriptionName argument.`,
      );
    }
    const { errors, warnings } = checkFilter(`subscribe("${name}")`, args.filter, args.acceptWarnings);
    problems.push(...errors);
    if (this.subscriptions.length >= 500) {
      problems.push(`subscribe("${name}"): a system topic holds at most 500 subscriptions; split the workload or consolidate filters.`);
    }
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("\n"), this);
    for (const w of warnings) void pulumi.log.warn(w, this);
    if (this.topicLock !== undefined && stateOf(this).lockDependenciesRead) {
      void pulumi.log.warn(
        `subscribe("${name}"): added after the topic lock of WorkspaceEvents("${stateOf(this).componentName}") read its dependencies (after an await or in a later tick), ` +
          `so the lock does not depend on it: pulumi destroy, replacing or deleting this subscription fails with ScopeLocked while the lock exists. ` +
          `Subscribe in the same synchronous turn as the component is created, or remove the lock first.`,
        this,
      );
    }

    // Capabilities name their subscriptions after themselves (`platform-email-alerts`); don't repeat the prefix.
    const childName = name.startsWith(`${stateOf(this).componentName}-`) ? name : `${stateOf(this).componentName}-${name}`;
    const binding = args.destination.bind({ parent: this, subscriptionName: childName, topicPrincipalId: this.topicPrincipalId, deliveryIdentity: eventSubscriptionIdentity(stateOf(this).acting) });

    const dependsOn: pulumi.Resource[] = [...binding.dependsOn, ...(args.dependsOn ?? [])];
    let deadLetterWithResourceIdentity: eventgrid.SystemTopicEventSubscriptionArgs["deadLetterWithResourceIdentity"];
    const choice = resolveDeadLetter(args.deadLetter, "default");
    if (choice !== "none") {
      // validateSubscription allows only "default" and "none" as a subscription's mode.
      const target = typeof choice === "string" ? stateOf(this).defaultDeadLetter : choice;
      if (target === undefined) {
        throw new pulumi.ResourceError(
          `subscribe("${name}"): no dead-letter destination: WorkspaceEvents("${stateOf(this).componentName}") was created with deadLetter { mode: "none" }. ` +
            `Pass deadLetter: { storageAccountId, containerName }, or deadLetter: { mode: "none" } to drop undeliverable events explicitly.`,
          this,
        );
      }
      const grant = typeof choice === "string" ? stateOf(this).defaultDeadLetterGrant : this.grantDeadLetter(choice.storageAccountId, choice.containerName);
      if (grant) dependsOn.push(grant);
      deadLetterWithResourceIdentity = {
        identity: eventSubscriptionIdentity(stateOf(this).acting),
        deadLetterDestination: { endpointType: "StorageBlob", resourceId: target.storageAccountId, blobContainerName: target.containerName },
      };
    }

    const filter = args.filter ?? {};
    const subscription = new eventgrid.SystemTopicEventSubscription(
      childName,
      {
        resourceGroupName: stateOf(this).topicResourceGroup ?? this.resourceGroupName,
        systemTopicName: this.systemTopicName,
        eventSubscriptionName: name,
        ...(binding.destination ? { destination: binding.destination } : {}),
        ...(binding.deliveryWithResourceIdentity ? { deliveryWithResourceIdentity: binding.deliveryWithResourceIdentity } : {}),
        filter: toAzureFilter(filter),
        eventDeliverySchema: options.eventDeliverySchema ?? "EventGridSchema",
        retryPolicy: {
          maxDeliveryAttempts: options.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS,
          eventTimeToLiveInMinutes: options.eventTimeToLiveInMinutes ?? DEFAULT_EVENT_TTL_MINUTES,
        },
        ...(deadLetterWithResourceIdentity ? { deadLetterWithResourceIdentity } : {}),
        ...(options.labels ? { labels: [...options.labels] } : {}),
        ...(options.expirationTimeUtc ? { expirationTimeUtc: options.expirationTimeUtc } : {}),
      },
      {
        parent: this,
        dependsOn,
        ...(binding.ignoreChanges ? { ignoreChanges: [...binding.ignoreChanges] } : {}),
      },
    );
    this.subscriptions.push({
      name,
      filter,
      destinationKind: args.destination.kind,
      destination: args.destination.description,
      deadLettered: choice !== "none",
      resource: subscription,
    });
    return subscription;
  }
}
