import { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, deadLetterOf, forEventSubscriptions, subscriptionNameOf } from "./common";

/** Knobs of {@link deliveryDeadLetterRequired}. */
export interface DeliveryDeadLetterRequiredConfig {
  /** Subscription names (eventSubscriptionName or Pulumi name) that may go without dead-lettering. */
  readonly exemptSubscriptions: string[];
  /** Labels that exempt a subscription (e.g. for lossy telemetry). */
  readonly exemptLabels: string[];
  /** Endpoint types that may go without dead-lettering (e.g. `EventHub` when the hub is the durable store). */
  readonly exemptEndpointTypes: string[];
}

/** Subscriptions dead-letter undeliverable events instead of dropping them. */
export const deliveryDeadLetterRequired: ResourceValidationPolicy = {
  name: "delivery-dead-letter-required",
  description:
    "Subscriptions have a dead-letter destination, because Event Grid drops undeliverable events without one (advisory by default so adopting existing subscriptions doesn't block a pipeline; raise to mandatory once they comply).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      exemptSubscriptions: { type: "array", items: { type: "string" }, default: [], description: "Subscription names allowed without dead-lettering." },
      exemptLabels: { type: "array", items: { type: "string" }, default: ["no-dead-letter"], description: "Labels that exempt a subscription." },
      exemptEndpointTypes: { type: "array", items: { type: "string" }, default: [], description: "Endpoint types allowed without dead-lettering." },
    },
  },
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    if (deadLetterOf(props) !== undefined) return;
    const config = configOf<DeliveryDeadLetterRequiredConfig>(args, deliveryDeadLetterRequired.configSchema!);
    const name = subscriptionNameOf(props, args);
    const labels = (props.labels ?? []).map((l) => l.toLowerCase());
    const endpointType = props.deliveryWithResourceIdentity?.destination?.endpointType ?? props.destination?.endpointType;
    if (
      config.exemptSubscriptions.some((s) => s.toLowerCase() === name.toLowerCase() || s.toLowerCase() === args.name.toLowerCase()) ||
      config.exemptLabels.some((l) => labels.includes(l.toLowerCase())) ||
      (endpointType !== undefined && config.exemptEndpointTypes.includes(endpointType))
    ) {
      return;
    }
    reportViolation(
      `Subscription ${name} has no dead-letter destination: events that exhaust their retries (or get 400/413) are dropped. ` +
        `Fix: set deadLetterWithResourceIdentity {identity: {type: "SystemAssigned"}, deadLetterDestination: {endpointType: "StorageBlob", resourceId, blobContainerName}} (WorkspaceEvents does by default), or label it "no-dead-letter".`,
    );
  }),
};
