import { EventGridEvent } from "../events/types";
import { cloudEventToEventGrid, isCloudEvent, isRecord } from "../events/parse";
import { EventFilter } from "../filters/types";
import { routeEvent, Skip } from "../filters/route";
import { DEPLOYER_QUEUE_NAME } from "../deployment/constants";
import { deterministicGuid } from "../rbac/guid";
import { UNKNOWN_SENTINEL } from "./armResponses";
import { MockedResource } from "./mocks";

/** A declared subscription as the plan routes it. */
export interface PlannedSubscription {
  readonly name: string;
  readonly resourceName: string;
  /** Workspace id of the topic's source, or undefined for an adopted topic the program doesn't declare. */
  readonly source?: string;
  readonly topicName: string;
  readonly filter: EventFilter;
  /** Endpoint type, e.g. `EventHub`. */
  readonly endpointType: string;
  /** Short label of the target. */
  readonly target: string;
  /** The target resource id or URL (secrets redacted). */
  readonly targetId: string;
  readonly identityDelivery: boolean;
  readonly deadLettered: boolean;
  /** The Logic App workflow behind a webhook, when it is one of the declared workflows. */
  readonly workflow?: MockedResource;
  /** The Function App behind an AzureFunction destination, when declared. */
  readonly functionApp?: MockedResource;
}

function get(obj: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), obj);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Finds the declared workflow whose (mock) callback URL this is. */
function workflowFor(url: string, workflows: readonly MockedResource[]): MockedResource | undefined {
  return workflows.find((w) => {
    const name = str(w.inputs.workflowName) || w.name;
    return url.includes(`/workflows/${deterministicGuid(name).replace(/-/g, "")}/`);
  });
}

/** The model deployer's Function App draining `queueName` of the account `accountId` (host storage by identity on that account). */
function queueConsumer(apps: readonly MockedResource[], accountId: string, queueName: string): MockedResource | undefined {
  if (queueName !== DEPLOYER_QUEUE_NAME) return undefined;
  const account = accountId.split("/").pop()?.toLowerCase();
  return apps.find((a) => {
    const settings = get(a.inputs, "siteConfig", "appSettings");
    return Array.isArray(settings) && settings.some((x) => get(x, "name") === "AzureWebJobsStorage__accountName" && str(get(x, "value")).toLowerCase() === account);
  });
}

/** The subscriptions a program declared, joined with their topics and targets. */
export function plannedSubscriptions(resources: readonly MockedResource[]): PlannedSubscription[] {
  const topics = resources.filter((r) => r.type === "azure-native:eventgrid:SystemTopic");
  const workflows = resources.filter((r) => r.type === "azure-native:logic:Workflow");
  const apps = resources.filter((r) => r.type === "azure-native:web:WebApp");
  return resources
    .filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription")
    .map((r) => {
      const i = r.inputs;
      const topicName = str(i.systemTopicName);
      const topic = topics.find((t) => str(t.inputs.systemTopicName) === topicName || t.name === topicName);
      const dest = i.deliveryWithResourceIdentity ? get(i, "deliveryWithResourceIdentity", "destination") : i.destination;
      const endpointType = str(get(dest, "endpointType")) || "unknown";
      const url = str(get(dest, "endpointUrl"));
      const resourceId = str(get(dest, "resourceId"));
      const queueName = str(get(dest, "queueName"));
      // A secret URL exported without --show-secrets names no workflow: the subscription's dependencies do.
      const workflow = url === UNKNOWN_SENTINEL ? workflows.find((w) => r.dependencies.includes(w.urn)) : url ? workflowFor(url, workflows) : undefined;
      const functionApp =
        endpointType === "AzureFunction"
          ? apps.find((a) => a.id !== undefined && resourceId.toLowerCase().startsWith(`${a.id.toLowerCase()}/functions/`))
          : endpointType === "StorageQueue"
            ? queueConsumer(apps, resourceId, queueName)
            : undefined;
      const targetId = url ? url.replace(/([?&]sig=)[^&]+/, "$1[secret]") : queueName ? `${resourceId}/queueServices/default/queues/${queueName}` : resourceId;
      let target: string;
      if (workflow) target = `Logic App ${str(workflow.inputs.workflowName) || workflow.name}`;
      else if (url === UNKNOWN_SENTINEL) target = "webhook (secret URL)";
      else if (url) target = `webhook ${safeHost(url)}`;
      else if (endpointType === "AzureFunction") target = `Function ${resourceId.split("/").slice(-3).filter((_, k) => k !== 1).join("/")}`;
      else target = `${endpointType} ${queueName || resourceId.split("/").pop() || "?"}`;
      return {
        name: str(i.eventSubscriptionName) || r.name,
        resourceName: r.name,
        ...(topic ? { source: str(topic.inputs.source) } : {}),
        topicName,
        filter: (i.filter ?? {}) as EventFilter,
        endpointType,
        target,
        targetId,
        identityDelivery: i.deliveryWithResourceIdentity !== undefined,
        deadLettered: i.deadLetterWithResourceIdentity !== undefined || i.deadLetterDestination !== undefined,
        ...(workflow ? { workflow } : {}),
        ...(functionApp ? { functionApp } : {}),
      };
    });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** How one event was routed across the program's subscriptions. */
export interface EventRouting {
  readonly event: EventGridEvent;
  /** Subscriptions on the event's topic that receive it. */
  readonly delivered: PlannedSubscription[];
  /** Subscriptions on the event's topic that don't, with the first failing clause. */
  readonly skipped: (Skip & { readonly subscription: PlannedSubscription })[];
  /** Why no declared subscription sees the event at all (no `topic`, or a workspace the program doesn't declare). */
  readonly unrouted?: string;
}

/** An input event the plan could not use, with its position in the input (0-based) and why. */
export interface RejectedEvent {
  readonly index: number;
  readonly reason: string;
}

/** A workspace id as Azure compares it: case-insensitive, without a trailing slash. */
export function normalizeWorkspaceId(id: string): string {
  return id.trim().replace(/\/+$/, "").toLowerCase();
}

/**
 * Reads one input event (Event Grid schema or CloudEvents 1.0) and returns it in the Event Grid schema,
 * or the reason it is malformed. AML events always carry a JSON object in `data`.
 */
export function readEvent(raw: unknown): EventGridEvent | string {
  if (!isRecord(raw)) return `expected a JSON object (an Event Grid schema event or a CloudEvent), got ${raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw}`;
  const event = isCloudEvent(raw) ? (cloudEventToEventGrid(raw) as unknown as Record<string, unknown>) : raw;
  if (typeof event.eventType !== "string" || event.eventType === "") {
    return `no "eventType" (string) and not a CloudEvent (no "specversion": "1.0"); keys present: ${Object.keys(raw).join(", ") || "none"}`;
  }
  if (typeof event.subject !== "string") return `"subject" must be a string (e.g. "models/churn:7"), got ${JSON.stringify(event.subject) ?? "nothing"}`;
  if (event.topic !== undefined && typeof event.topic !== "string") return `"topic" must be the workspace's ARM id (a string), got ${JSON.stringify(event.topic)}`;
  if (!isRecord(event.data)) {
    const got = event.data === undefined ? "nothing" : `${Array.isArray(event.data) ? "an array" : typeof event.data} ${JSON.stringify(event.data).slice(0, 40)}`;
    return `"data" must be a JSON object (AML events carry e.g. {"modelName": …, "modelVersion": …}), got ${got}`;
  }
  return event as unknown as EventGridEvent;
}

/** Normalizes CloudEvents to the Event Grid schema (filters see the Event Grid envelope); throws on a malformed event. */
export function toEventGrid(raw: unknown): EventGridEvent {
  const event = readEvent(raw);
  if (typeof event === "string") throw new Error(`Malformed event: ${event}.`);
  return event;
}

/** Why an event reaches no subscription before any filter is applied, or undefined when its topic is declared. */
function unroutedReason(event: EventGridEvent, subscriptions: readonly PlannedSubscription[]): string | undefined {
  if (subscriptions.some((s) => s.source === undefined)) return undefined; // an adopted topic: treated as listening to every workspace
  const workspaces = [...new Set(subscriptions.map((s) => s.source as string))];
  const declared = workspaces.length === 0 ? "the program declares no event subscription" : `declared workspaces: ${workspaces.join(", ")}`;
  if (typeof event.topic !== "string" || event.topic === "") {
    return `the event has no "topic": Event Grid publishes an AML event only on the system topic of the workspace named in its topic (${declared})`;
  }
  if (workspaces.some((w) => normalizeWorkspaceId(w) === normalizeWorkspaceId(event.topic))) return undefined;
  return `its topic ${event.topic} is no workspace the program subscribes to (${declared})`;
}

/**
 * Routes each event through the subscriptions of its own workspace's topic (an event is published
 * only to the system topic whose source is the event's `topic`; subscriptions of an adopted topic the
 * program doesn't declare are treated as listening to every workspace). An event no subscription sees
 * carries the reason in `unrouted`. Throws on a malformed event (see {@link planEvents}).
 */
export function routeEvents(events: readonly unknown[], subscriptions: readonly PlannedSubscription[]): EventRouting[] {
  return events.map(toEventGrid).map((event) => routeOne(event, subscriptions));
}

function routeOne(event: EventGridEvent, subscriptions: readonly PlannedSubscription[]): EventRouting {
  const topic = typeof event.topic === "string" ? normalizeWorkspaceId(event.topic) : "";
  const onTopic = subscriptions.filter((s) => s.source === undefined || normalizeWorkspaceId(s.source) === topic);
  const result = routeEvent(event, onTopic.map((s) => ({ name: s.resourceName, filter: s.filter })));
  const byName = new Map(onTopic.map((s) => [s.resourceName, s]));
  const unrouted = unroutedReason(event, subscriptions);
  return {
    event,
    delivered: result.delivered.map((d) => byName.get(d.name)).filter((s): s is PlannedSubscription => s !== undefined),
    skipped: result.skipped.flatMap((s) => {
      const subscription = byName.get(s.name);
      return subscription ? [{ ...s, subscription }] : [];
    }),
    ...(unrouted ? { unrouted } : {}),
  };
}

/** Routes the usable events and reports every malformed one with its position, instead of stopping at the first. */
export function planEvents(events: readonly unknown[], subscriptions: readonly PlannedSubscription[]): { routing: EventRouting[]; rejected: RejectedEvent[] } {
  const routing: EventRouting[] = [];
  const rejected: RejectedEvent[] = [];
  events.forEach((raw, index) => {
    const event = readEvent(raw);
    if (typeof event === "string") rejected.push({ index, reason: event });
    else routing.push(routeOne(event, subscriptions));
  });
  return { routing, rejected };
}
