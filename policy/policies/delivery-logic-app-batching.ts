import { ResourceValidationPolicy } from "@pulumi/policy";
import { deliveryOf, forEventSubscriptions, SubscriptionLike } from "./common";

/** Subscription props with Event Grid's output batching (on the WebHook destination). */
interface BatchingLike {
  readonly maxEventsPerBatch?: unknown;
}

const isLogicAppUrl = (url: unknown): boolean => typeof url === "string" && /^https?:\/\/[^/]*\.logic\.azure\.(com|us|cn)(:\d+)?\//i.test(url);

function batchOf(props: SubscriptionLike): unknown {
  return (deliveryOf(props)?.destination as BatchingLike | undefined)?.maxEventsPerBatch;
}

/** Logic App webhooks get one event per delivery. */
export const deliveryLogicAppBatching: ResourceValidationPolicy = {
  name: "delivery-logic-app-batching",
  description: "WebHook destinations on a Logic App request trigger keep maxEventsPerBatch at 1: the workflow answers per delivery, so a batch is handled as one event (or fails as one).",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["deploy-readiness", "delivery"],
  // "Event Grid message delivery and retry": by default one event per delivery; output batching sends arrays of up to maxEventsPerBatch.
  url: "https://learn.microsoft.com/azure/event-grid/delivery-and-retry",
  remediationSteps: "Set destination.maxEventsPerBatch to 1 (or leave it unset), or turn the policy to remediate to set it.",
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const delivery = deliveryOf(props);
    if (delivery?.destination.endpointType !== "WebHook" || !isLogicAppUrl(delivery.destination.endpointUrl)) args.notApplicable("Not a Logic App WebHook destination");
    const batch = batchOf(props);
    if (batch === undefined || batch === 1) return;
    reportViolation(`Subscription ${args.name} delivers batches of up to ${JSON.stringify(batch)} events to a Logic App request trigger, which runs once per delivery. Fix: set maxEventsPerBatch: 1.`);
  }),
  remediateResource: (args) => {
    if (!/^azure-native:eventgrid:(SystemTopicEventSubscription|EventSubscription)$/.test(args.type)) return undefined;
    const props = args.props as SubscriptionLike & Record<string, unknown>;
    const delivery = deliveryOf(props);
    if (delivery?.destination.endpointType !== "WebHook" || !isLogicAppUrl(delivery.destination.endpointUrl)) return undefined;
    const batch = batchOf(props);
    if (batch === undefined || batch === 1) return undefined;
    const destination = { ...delivery.destination, maxEventsPerBatch: 1 };
    return delivery.withIdentity
      ? { ...props, deliveryWithResourceIdentity: { ...props.deliveryWithResourceIdentity, destination } }
      : { ...props, destination };
  },
};
