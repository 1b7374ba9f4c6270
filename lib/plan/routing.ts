import { EventGridEvent } from "../events/types";
import { cloudEventToEventGrid, isCloudEvent, isRecord } from "../events/parse";
import { EventFilter } from "../filters/types";
import { routeEvent, Skip } from "../filters/route";
import { DEPLOYER_QUEUE_NAME } from "../deployment/constants";
import { deterministicGuid } from "../rbac/guid";
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
      const workflow = url ? workflowFor(url, workflows) : undefined;
      const functionApp =
        endpointType === "AzureFunction"
          ? apps.find((a) => a.id !== undefined && resourceId.toLowerCase().startsWith(`${a.id.toLowerCase()}/functions/`))
          : endpointType === "StorageQueue"
            ? queueConsumer(apps, resourceId, queueName)
            : undefined;
      const targetId = url ? url.replace(/([?&]sig=)[^&]+/, "$1[secret]") : queueName ? `${resourceId}/queueServices/default/queues/${queueName}` : resourceId;
      let target: string;
      if (workflow) target = `Logic App ${str(workflow.inputs.workflowName) || workflow.name}`;
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
}

/** Normalizes CloudEvents to the Event Grid schema (filters see the Event Grid envelope). */
export function toEventGrid(raw: unknown): EventGridEvent {
  if (isCloudEvent(raw)) return cloudEventToEventGrid(raw);
  if (!isRecord(raw) || typeof raw.eventType !== "string") {
    throw new Error(`Event ${JSON.stringify(raw).slice(0, 80)} is neither an Event Grid schema event (eventType, subject, topic, data) nor a CloudEvent (specversion 1.0).`);
  }
  return raw as unknown as EventGridEvent;
}

/**
 * Routes each event through the subscriptions of its own workspace's topic (an event is published
 * only to the system topic whose source is the event's `topic`; subscriptions of an adopted topic the
 * program doesn't declare are treated as listening to every workspace).
 */
export function routeEvents(events: readonly unknown[], subscriptions: readonly PlannedSubscription[]): EventRouting[] {
  return events.map(toEventGrid).map((event) => {
    const onTopic = subscriptions.filter((s) => s.source === undefined || s.source.toLowerCase() === String(event.topic).toLowerCase());
    const result = routeEvent(event, onTopic.map((s) => ({ name: s.resourceName, filter: s.filter })));
    const byName = new Map(onTopic.map((s) => [s.resourceName, s]));
    return {
      event,
      delivered: result.delivered.map((d) => byName.get(d.name)).filter((s): s is PlannedSubscription => s !== undefined),
      skipped: result.skipped.flatMap((s) => {
        const subscription = byName.get(s.name);
        return subscription ? [{ ...s, subscription }] : [];
      }),
    };
  });
}
