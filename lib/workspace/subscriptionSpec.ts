/**
 * Subscriptions as plain data (every language): a destination given by kind and ids instead of a
 * destination class, and the stream filter's plain shape. The TypeScript destination classes stay the
 * helpers behind them: each spec becomes the class it names, so both routes declare the same resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { AzureFunctionDestination } from "../destinations/azureFunction";
import { EventHubDestination, EventHubDestinationArgs } from "../destinations/eventHub";
import { LogicAppDestination } from "../destinations/logicApp";
import { ServiceBusQueueDestination, ServiceBusQueueDestinationArgs, ServiceBusTopicDestination, ServiceBusTopicDestinationArgs } from "../destinations/serviceBus";
import { StorageQueueDestination, StorageQueueDestinationArgs } from "../destinations/storageQueue";
import { EventDestination } from "../destinations/types";
import { WebhookDestination, WebhookDestinationArgs } from "../destinations/webhook";
import { AmlEventType } from "../events/types";
import { EventFilter } from "../filters/types";
import { plainFilterKeyProblems, StreamFilter, streamAdvancedFilterProblems, toEventFilter } from "../streaming/streamFilter";
import { ArgKeys, unknownArgumentProblems } from "./argKeys";
import { DeadLetterSettings, DELIVERY_OPTION_KEYS, DeliveryOptions } from "./validate";

// Same shapes under names of their own: the package schema (and so Python's `WebhookTargetArgs`) is named
// after the interface a property refers to, and `…DestinationArgs` would read `WebhookDestinationArgsArgs`.
/* eslint-disable @typescript-eslint/no-empty-object-type */
/** An event hub as a plain destination (the args of `EventHubDestination`). */
export interface EventHubTarget extends EventHubDestinationArgs {}
/** A Service Bus queue as a plain destination (the args of `ServiceBusQueueDestination`). */
export interface ServiceBusQueueTarget extends ServiceBusQueueDestinationArgs {}
/** A Service Bus topic as a plain destination (the args of `ServiceBusTopicDestination`). */
export interface ServiceBusTopicTarget extends ServiceBusTopicDestinationArgs {}
/** A storage queue as a plain destination (the args of `StorageQueueDestination`). */
export interface StorageQueueTarget extends StorageQueueDestinationArgs {}
/** An HTTPS webhook as a plain destination (the args of `WebhookDestination`). */
export interface WebhookTarget extends WebhookDestinationArgs {}
/* eslint-enable @typescript-eslint/no-empty-object-type */

/** An Azure Function (Event Grid trigger) as a plain destination. */
export interface FunctionTarget {
  /** ARM id of the Function App. */
  readonly functionAppId: pulumi.Input<string>;
  /** The Event Grid-triggered function's name. */
  readonly functionName: string;
  /** Events per delivery batch, 1–5000. @default 1 */
  readonly maxEventsPerBatch?: number;
  /** Preferred batch size in kilobytes, 1–1024. @default 64 */
  readonly preferredBatchSizeInKilobytes?: number;
}

/** A Logic App's Request trigger as a plain destination (its callback URL is read at deployment and kept secret). */
export interface LogicAppTarget {
  /** Resource group of the workflow. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The workflow's name. */
  readonly workflowName: pulumi.Input<string>;
  /** The Request trigger's name. @default "When_an_Event_Grid_event_arrives" */
  readonly triggerName?: string;
}

/** Where a plain-data subscription delivers: exactly one of these. */
export interface SubscriptionDestination {
  /** An event hub, delivered with the topic's identity (Azure Event Hubs Data Sender on that hub only). @default - none */
  readonly eventHub?: EventHubTarget;
  /** A Service Bus queue, delivered with the topic's identity (Azure Service Bus Data Sender on that queue only). @default - none */
  readonly serviceBusQueue?: ServiceBusQueueTarget;
  /** A Service Bus topic, delivered with the topic's identity (Azure Service Bus Data Sender on that topic only). @default - none */
  readonly serviceBusTopic?: ServiceBusTopicTarget;
  /** A storage queue, delivered with the topic's identity (Storage Queue Data Message Sender on that queue only). @default - none */
  readonly storageQueue?: StorageQueueTarget;
  /** An HTTPS webhook (it must answer Event Grid's validation handshake; the URL is kept secret). @default - none */
  readonly webhook?: WebhookTarget;
  /** An Azure Function's Event Grid trigger. @default - none */
  readonly azureFunction?: FunctionTarget;
  /** A Logic App's Request trigger. @default - none */
  readonly logicApp?: LogicAppTarget;
}

/** One event subscription as plain data: its name, destination, filter and delivery options. */
export interface WorkspaceSubscription extends DeliveryOptions {
  /** The event subscription's Azure name (3–64 letters, digits and hyphens). */
  readonly name: string;
  /** Where the events go: exactly one destination. */
  readonly destination: SubscriptionDestination;
  /** The AML event types delivered. @default - every AML event type */
  readonly includedEventTypes?: AmlEventType[];
  /** Subject and advanced filtering on top of the event types. @default - none */
  readonly filter?: StreamFilter;
  /** `{ mode: "default" }` uses the component's dead-letter container, `{ mode: "none" }` opts out explicitly, or bring your own container. @default { mode: "default" } */
  readonly deadLetter?: DeadLetterSettings;
  /** Filter analyzer warning codes accepted knowingly (not logged). @default [] */
  readonly acceptWarnings?: string[];
}

/** The names of `WorkspaceSubscription`. */
export const WORKSPACE_SUBSCRIPTION_KEYS = {
  ...DELIVERY_OPTION_KEYS,
  name: true,
  destination: true,
  includedEventTypes: true,
  filter: true,
  deadLetter: true,
  acceptWarnings: true,
} as const satisfies ArgKeys<WorkspaceSubscription>;

/** Each destination kind and the class that builds it. */
const BUILDERS: { readonly [K in keyof SubscriptionDestination]-?: (args: NonNullable<SubscriptionDestination[K]>) => EventDestination } = {
  eventHub: (a) => new EventHubDestination(a),
  serviceBusQueue: (a) => new ServiceBusQueueDestination(a),
  serviceBusTopic: (a) => new ServiceBusTopicDestination(a),
  storageQueue: (a) => new StorageQueueDestination(a),
  webhook: (a) => new WebhookDestination(a),
  azureFunction: (a) => new AzureFunctionDestination(a),
  logicApp: (a) => new LogicAppDestination(a),
};
const KINDS = Object.keys(BUILDERS) as (keyof SubscriptionDestination)[];

/** "Exactly one destination", in the caller's terms (`subscriptions[0].destination`). */
export function subscriptionDestinationProblems(where: string, destination: unknown): string[] {
  if (typeof destination !== "object" || destination === null) {
    return [`${where} ${JSON.stringify(destination)} is not a destination; give exactly one of ${KINDS.join(", ")} (e.g. { eventHub: { eventHubId } }).`];
  }
  const unknown = unknownArgumentProblems(destination, Object.fromEntries(KINDS.map((k) => [k, true])), `${where}.`);
  const given = KINDS.filter((k) => (destination as SubscriptionDestination)[k] !== undefined);
  if (given.length === 1) return unknown;
  return [...unknown, given.length === 0
    ? `${where} names no destination; give exactly one of ${KINDS.join(", ")} (e.g. { eventHub: { eventHubId } }).`
    : `${where} names ${given.length} destinations (${given.join(", ")}); give exactly one — declare one subscription per destination.`];
}

/** The destination class a valid spec names (call after `subscriptionDestinationProblems`). */
export function destinationFromSpec(destination: SubscriptionDestination): EventDestination {
  const kind = KINDS.find((k) => destination[k] !== undefined) as keyof SubscriptionDestination;
  const build = BUILDERS[kind] as (args: unknown) => EventDestination;
  return build(destination[kind]);
}

/** The filter of a plain subscription: its event types and stream filter, in the library's filter shape. */
export function subscriptionFilter(spec: WorkspaceSubscription): EventFilter {
  return { ...toEventFilter(spec.filter), ...(spec.includedEventTypes === undefined ? {} : { includedEventTypes: [...spec.includedEventTypes] }) };
}

/** Problems of `subscriptions` known before any subscription is declared: names, unknown keys and destinations. */
export function workspaceSubscriptionProblems(subscriptions: unknown): string[] {
  if (subscriptions === undefined) return [];
  if (!Array.isArray(subscriptions)) return [`subscriptions ${JSON.stringify(subscriptions)} is not a list; give a list of { name, destination, ... }.`];
  return subscriptions.flatMap((s: unknown, i) => {
    const where = `subscriptions[${i}]`;
    if (typeof s !== "object" || s === null) return [`${where} ${JSON.stringify(s)} is not a subscription; give { name, destination, ... }.`];
    const spec = s as WorkspaceSubscription;
    return [
      ...unknownArgumentProblems(spec, WORKSPACE_SUBSCRIPTION_KEYS, `${where}.`),
      ...subscriptionDestinationProblems(`${where}.destination`, spec.destination),
      ...plainFilterKeyProblems(`${where}.`, spec.filter),
      ...(Array.isArray(spec.filter?.advancedFilters) ? spec.filter.advancedFilters : []).flatMap((f, j) => streamAdvancedFilterProblems(`${where}.filter.advancedFilters[${j}]`, f)),
    ];
  });
}
