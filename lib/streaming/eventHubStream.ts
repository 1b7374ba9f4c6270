import * as eventhub from "@pulumi/azure-native/eventhub";
import * as pulumi from "@pulumi/pulumi";
import { GLOBAL_NAME_SUFFIX_LENGTH, globalNameSuffix } from "../arm/globalNames";
import { ALL_AML_EVENT_TYPES, isAmlEventType } from "../events/types";
import { EventHubDestination } from "../destinations/eventHub";
import { ArgKeys, unknownArgumentProblems } from "../workspace/argKeys";
import { DELIVERY_OPTION_KEYS, DeliveryOptions, pickDelivery, SUBSCRIPTION_NAME, subscriptionNameClash, validateDeliveryOptions } from "../workspace/validate";
import { EventSourceArgs, eventSourceProblems, isEventSource, resolveEventSource, WorkspaceEventSource, WorkspaceSource } from "../workspace/eventSource";
import { StreamFilter, streamFilterProblems, toEventFilter } from "./streamFilter";
import { IsolationArgs, IsolationSupport, ISOLATION_ARG_KEYS, validateIsolationArgs } from "../interfaces/isolation";
import { effectiveAccess, firewalledDeliveryProblem } from "../interfaces/network";
import { createPrivateEndpoints } from "../interfaces/privateEndpoints";
import { CMK_UNSUPPORTED } from "../interfaces/customerManagedKey";
import { AVM_INTERFACE_ARG_KEYS, AvmInterfaces } from "../interfaces/types";
import { applyInterfaces, interfaceProblems, InterfaceShape } from "../interfaces/apply";
import { identityBlock } from "../interfaces/identities";

/** The hub to create when no existing one is given. */
export interface EventHubSettings {
  /** Namespace name (6–50 letters, digits, hyphens; globally unique: a DNS name shared by every Azure customer). @default - `${name}-ns-` + a random suffix kept in state */
  readonly namespaceName?: string;
  /** Hub name. @default "aml-events" */
  readonly eventHubName?: string;
  /** Standard-tier throughput units, 1–40. @default 1 */
  readonly capacity?: number;
  /** Partitions, 1–32 on Standard; fixes the maximum consumer parallelism. @default 4 */
  readonly partitionCount?: number;
  /** Retention in hours, 1–168 on Standard. @default 168 */
  readonly retentionTimeInHours?: number;
}

/** Streaming options: everything but where the component lives and which events it subscribes to. */
export interface StreamingOptions extends IsolationArgs {
  /** AML event types to stream (`AmlEventType.*` strings). @default - all five */
  readonly includedEventTypes?: string[];
  /** Extra filtering (subject, advanced filters) on top of the event types. @default - none */
  readonly filter?: StreamFilter;
  /** ARM id of an existing event hub; the component then creates no namespace or hub. @default - create them */
  readonly existingEventHubId?: pulumi.Input<string>;
  /** Settings of the namespace and hub to create. @default - see `EventHubSettings` */
  readonly eventHub?: EventHubSettings;
  /** Azure subscription name of the event subscription. @default "stream-to-event-hub" */
  readonly subscriptionName?: string;
  /** Delivery attempts before the event is dead-lettered or dropped, 1–30. @default 30 */
  readonly maxDeliveryAttempts?: number;
  /** Minutes an event is retried before it is dead-lettered or dropped, 1–1440. @default 1440 */
  readonly eventTimeToLiveInMinutes?: number;
  /** Schema events are delivered in: "EventGridSchema" or "CloudEventSchemaV1_0". @default "EventGridSchema" */
  readonly eventDeliverySchema?: string;
  /** Labels shown on the subscription. @default [] */
  readonly labels?: string[];
  /** When the subscription expires (ISO 8601 UTC). @default - never */
  readonly expirationTimeUtc?: string;
}

/**
 * Arguments of EventHubStream: its options and the events it streams (plain data, usable from every language; events is TypeScript only).
 * The isolation arguments apply to the namespace it creates (private endpoint service `namespace`); a
 * customer-managed key is refused (Standard tier).
 */
export interface EventHubStreamArgs extends StreamingOptions, EventSourceArgs, AvmInterfaces {
  /** Tags for created resources. @default {} */
  readonly tags?: { readonly [key: string]: string };
  /** A management lock on the created Event Hubs namespace (not with `existingEventHubId`). @default - no lock */
  readonly lock?: AvmInterfaces["lock"];
  /** Diagnostic settings of the created Event Hubs namespace. @default [] */
  readonly diagnosticSettings?: AvmInterfaces["diagnosticSettings"];
  /** Extra role grants on the created Event Hubs namespace (not with `existingEventHubId`). @default [] */
  readonly roleAssignments?: AvmInterfaces["roleAssignments"];
  /**
   * Identities of the created namespace (for customer-managed keys; it sends nothing itself) and of
   * the system topic the stream creates from `workspace` (which then delivers as the first
   * user-assigned identity). @default - no namespace identity; the topic's system identity delivers
   */
  readonly managedIdentities?: AvmInterfaces["managedIdentities"];
}

/** What EventHubStream creates, for the interface checks. */
function streamShape(args: EventHubStreamArgs): InterfaceShape {
  const created = args.existingEventHubId === undefined;
  return {
    ...(created ? {} : { noMainResource: "the stream creates no namespace (existingEventHubId is set)" }),
    diagnosticTypes: created ? ["Microsoft.EventHub/namespaces"] : [],
    identities: [["Microsoft.EventHub/namespaces", undefined]],
    ...(created || args.workspace !== undefined ? {} : { noIdentity: "the stream creates neither a namespace nor a system topic" }),
  };
}


/** The names of `EventHubStreamArgs` (run-time check of JavaScript callers' args). */
export const EVENT_HUB_STREAM_ARG_KEYS = {
  ...DELIVERY_OPTION_KEYS,
  events: true,
  workspace: true,
  includedEventTypes: true,
  filter: true,
  existingEventHubId: true,
  eventHub: true,
  subscriptionName: true,
  ...ISOLATION_ARG_KEYS,
  ...AVM_INTERFACE_ARG_KEYS,
} as const satisfies ArgKeys<EventHubStreamArgs>;

/** The names of `EventHubSettings`. */
export const EVENT_HUB_SETTINGS_KEYS = {
  namespaceName: true,
  eventHubName: true,
  capacity: true,
  partitionCount: true,
  retentionTimeInHours: true,
} as const satisfies ArgKeys<EventHubSettings>;

/** The subscription's Azure name when `subscriptionName` is not set. */
export const DEFAULT_STREAM_SUBSCRIPTION_NAME = "stream-to-event-hub";

/** The old token, kept as an alias so stacks created before the multi-language tokens are not replaced. */
export const EVENT_HUB_STREAM_LEGACY_TYPE = "aml-events:streaming:EventHubStream";

function inRange(v: number | undefined, lo: number, hi: number): boolean {
  return v === undefined || (Number.isInteger(v) && v >= lo && v <= hi);
}

/** Pure validation of `EventHubStreamArgs`. */
export function validateEventHubStreamArgs(name: string, args: EventHubStreamArgs): string[] {
  const where = `EventHubStream("${name}")`;
  const problems: string[] = [];
  problems.push(...eventSourceProblems(where, args));
  problems.push(
    ...[
      ...unknownArgumentProblems(args, EVENT_HUB_STREAM_ARG_KEYS),
      ...unknownArgumentProblems(args.eventHub, EVENT_HUB_SETTINGS_KEYS, "eventHub."),
      ...(args.subscriptionName !== undefined && !SUBSCRIPTION_NAME.test(args.subscriptionName)
        ? [`subscriptionName ${JSON.stringify(args.subscriptionName)} is invalid; Event Grid subscription names are 3-64 letters, digits and hyphens.`]
        : []),
      ...(isEventSource(args.events)
        ? subscriptionNameClash(args.events, args.subscriptionName ?? DEFAULT_STREAM_SUBSCRIPTION_NAME, {
            argument: "subscriptionName",
            ...(args.subscriptionName === undefined ? { derived: "the default" } : {}),
          })
        : []),
    ].map((p) => `${where}: ${p}`),
  );
  for (const t of args.includedEventTypes ?? []) {
    if (!isAmlEventType(t)) problems.push(`${where}: includedEventTypes contains ${JSON.stringify(t)}, not an AML event type; use AmlEventType.* (${ALL_AML_EVENT_TYPES.join(", ")}).`);
  }
  if (args.includedEventTypes && args.includedEventTypes.length === 0) {
    problems.push(`${where}: includedEventTypes is empty, so nothing would be streamed; omit it to stream all five AML event types.`);
  }
  const hub = args.eventHub ?? {};
  if (args.existingEventHubId !== undefined && args.eventHub !== undefined) {
    problems.push(`${where}: existingEventHubId and eventHub are both set; pass one — an existing hub, or settings for the hub to create.`);
  }
  // A created namespace is named `${name}-ns-<random suffix>` unless told otherwise: check the name Azure will see.
  const namespaceName = hub.namespaceName ?? (args.existingEventHubId === undefined ? `${name}-ns-${"0".repeat(GLOBAL_NAME_SUFFIX_LENGTH)}` : undefined);
  if (namespaceName !== undefined && !/^[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]$/.test(namespaceName)) {
    const arg = hub.namespaceName === undefined ? `the default namespace name (from the component name)` : "eventHub.namespaceName";
    const shown = hub.namespaceName ?? `${name}-ns-<${GLOBAL_NAME_SUFFIX_LENGTH}-character random suffix>`;
    problems.push(`${where}: ${arg} ${JSON.stringify(shown)} is invalid; Event Hubs namespaces take 6-50 letters, digits and hyphens, starting with a letter and ending with a letter or digit. Set eventHub.namespaceName.`);
  }
  if (hub.eventHubName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/.test(hub.eventHubName)) {
    problems.push(`${where}: eventHub.eventHubName ${JSON.stringify(hub.eventHubName)} is invalid; use letters, digits, '.', '_' and '-', starting with a letter or digit.`);
  }
  if (!inRange(hub.capacity, 1, 40)) problems.push(`${where}: eventHub.capacity ${hub.capacity} is out of range; Standard namespaces take 1-40 throughput units.`);
  if (!inRange(hub.partitionCount, 1, 32)) problems.push(`${where}: eventHub.partitionCount ${hub.partitionCount} is out of range; Standard hubs take 1-32 partitions.`);
  if (!inRange(hub.retentionTimeInHours, 1, 168)) problems.push(`${where}: eventHub.retentionTimeInHours ${hub.retentionTimeInHours} is out of range; Standard hubs keep events 1-168 hours.`);
  problems.push(...validateIsolationArgs(where, args, eventHubStreamIsolation(args)));
  return [...problems, ...streamFilterProblems(where, args.filter), ...validateDeliveryOptions(where, args as DeliveryOptions), ...interfaceProblems(where, args, streamShape(args))];
}

/** The isolation arguments reach the namespace EventHubStream creates; none reach an existing hub. */
function eventHubStreamIsolation(args: EventHubStreamArgs): IsolationSupport {
  if (args.existingEventHubId !== undefined) {
    const none = "existingEventHubId is set, so EventHubStream creates no namespace; configure network access, private endpoints and keys on your namespace (keep \"Allow trusted Microsoft services\" on so Event Grid can deliver).";
    return { privateEndpoints: none, customerManagedKey: none, publicNetworkAccess: none };
  }
  return { privateEndpoints: { defaultService: "namespace", services: { namespace: "the Event Hubs namespace" } }, customerManagedKey: CMK_UNSUPPORTED.eventHubsStandard };
}

/** The created hub per stream (kept off the instance: Pulumi's analyzer would publish it as an output). */
const STREAM_HUBS = new WeakMap<EventHubStream, pulumi.Resource[]>();

/**
 * Streams a workspace's AML events to an Event Hub: creates a Standard namespace (local auth off,
 * TLS 1.2) and a hub, or uses an existing hub, and subscribes with identity-based delivery — the
 * topic's identity gets Azure Event Hubs Data Sender on that hub only.
 */
export class EventHubStream extends pulumi.ComponentResource {
  /** Pulumi type token (the `index` module, as Pulumi's component analyzer requires). */
  static readonly __type = "aml-events:index:EventHubStream";

  /** ARM id of the hub events land in. */
  readonly eventHubId: pulumi.Output<string>;
  /**
   * ARM id of the created namespace, when the stream created one. (Ids, not the azure-native resource
   * objects: a resource output would make every language's SDK depend on azure-native's whole schema.)
   */
  readonly namespaceId?: pulumi.Output<string>;
  /** Azure name of the event subscription. */
  readonly subscriptionName: string;

  constructor(name: string, args: EventHubStreamArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EventHubStream.__type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: EVENT_HUB_STREAM_LEGACY_TYPE }] });
    const problems = validateEventHubStreamArgs(name, args);
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("\n"), this);
    // Not kept as a property: Pulumi's analyzer would publish it as an output referencing a non-@pulumi type.
    const events = resolveEventSource(this, name, args, args.tags, args.managedIdentities);
    const access = args.existingEventHubId === undefined ? effectiveAccess(args.publicNetworkAccess, args.privateEndpoints?.length ?? 0) : undefined;
    const deliveryProblem = firewalledDeliveryProblem("the Event Hubs namespace", access, (events as { deliveryIdentityKind?: string }).deliveryIdentityKind);
    if (deliveryProblem !== undefined) throw new pulumi.ResourceError(`EventHubStream("${name}"): ${deliveryProblem}`, this);
    if (args.existingEventHubId !== undefined) {
      this.eventHubId = pulumi.output(args.existingEventHubId);
    } else {
      const created = this.createHub(name, args, events);
      this.eventHubId = created.eventHubId;
      this.namespaceId = created.namespaceId;
    }

    this.subscriptionName = args.subscriptionName ?? DEFAULT_STREAM_SUBSCRIPTION_NAME;
    const subscription = events.subscribe(this.subscriptionName, {
      destination: new EventHubDestination({ eventHubId: this.eventHubId }),
      filter: { ...toEventFilter(args.filter), includedEventTypes: [...(args.includedEventTypes ?? ALL_AML_EVENT_TYPES)] },
      // A stream wants every status change; the analyzer's alerting advice doesn't apply.
      acceptWarnings: ["run-status-changed-without-status-filter"],
      ...pickDelivery(args as DeliveryOptions),
    });

    applyInterfaces(
      name,
      args,
      {
        ...(this.namespaceId ? { main: { id: this.namespaceId, what: "the Event Hubs namespace" } } : {}),
        diagnostics: this.namespaceId ? [{ label: "", type: "Microsoft.EventHub/namespaces", resourceId: this.namespaceId }] : [],
        // The hub is the namespace's child and the subscription's grant is scoped to it: both go before the lock.
        lockDependsOn: [subscription, ...(STREAM_HUBS.get(this) ?? [])],
      },
      this,
    );
    this.registerOutputs({ eventHubId: this.eventHubId, namespaceId: this.namespaceId, subscriptionName: this.subscriptionName });
  }

  /** Creates the Standard namespace and the hub; returns their ARM ids. */
  private createHub(name: string, args: EventHubStreamArgs, events: WorkspaceEventSource): { namespaceId: pulumi.Output<string>; eventHubId: pulumi.Output<string> } {
    const hub = args.eventHub ?? {};
    const access = effectiveAccess(args.publicNetworkAccess, args.privateEndpoints?.length ?? 0);
    const namespace = new eventhub.Namespace(
      `${name}-ns`,
      {
        resourceGroupName: events.resourceGroupName,
        location: events.location,
        namespaceName: hub.namespaceName ?? globalNameSuffix(`${name}-ns`, this).apply((suffix) => `${name}-ns-${suffix}`),
        sku: { name: "Standard", tier: "Standard", capacity: hub.capacity ?? 1 },
        minimumTlsVersion: "1.2",
        disableLocalAuth: true,
        ...(access !== undefined ? { publicNetworkAccess: access } : {}),
        tags: args.tags ?? {},
        // Only when asked: the namespace sends nothing itself (identities serve customer-managed keys).
        ...(args.managedIdentities !== undefined ? { identity: identityBlock(args.managedIdentities, "Microsoft.EventHub/namespaces", false) as eventhub.NamespaceArgs["identity"] } : {}),
      },
      { parent: this },
    );
    if (access === "Disabled") {
      // Public access off with the trusted-services exception: Event Grid (a trusted service) still
      // delivers with the topic's identity (Learn, "Allow access to Azure Event Hubs namespaces via private
      // endpoints"; "Deliver events using private link service").
      new eventhub.NamespaceNetworkRuleSet(
        `${name}-ns-network`,
        { resourceGroupName: events.resourceGroupName, namespaceName: namespace.name, publicNetworkAccess: "Disabled", defaultAction: "Deny", trustedServiceAccessEnabled: true },
        { parent: this },
      );
    }
    createPrivateEndpoints(name, args.privateEndpoints, { resourceGroupName: events.resourceGroupName, location: events.location, tags: args.tags ?? {}, defaultService: "namespace", targets: { namespace: namespace.id } }, { parent: this });
    const eventHub = new eventhub.EventHub(
      `${name}-hub`,
      {
        resourceGroupName: events.resourceGroupName,
        namespaceName: namespace.name,
        eventHubName: hub.eventHubName ?? "aml-events",
        partitionCount: hub.partitionCount ?? 4,
        retentionDescription: { cleanupPolicy: "Delete", retentionTimeInHours: hub.retentionTimeInHours ?? 168 },
      },
      { parent: this },
    );
    STREAM_HUBS.set(this, [eventHub]);
    return { namespaceId: namespace.id, eventHubId: eventHub.id };
  }
}

/** @deprecated Renamed `WorkspaceEventSource` (shared by every component that subscribes). */
export type StreamEventSource = WorkspaceEventSource;
/** @deprecated Renamed `WorkspaceSource` (shared by every component that subscribes). */
export type StreamWorkspace = WorkspaceSource;
