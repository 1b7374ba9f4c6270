import { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, forEventSubscriptions, IDENTITY_DELIVERY_ROLES, subscriptionNameOf } from "./common";

/** Knobs of {@link deliveryManagedIdentity}. */
export interface DeliveryManagedIdentityConfig {
  /** Also require dead-lettering with the topic's identity (not Event Grid's access keys path). */
  readonly requireIdentityDeadLetter: boolean;
}

/** Event Hubs, Service Bus and storage queue destinations are reached with the topic's managed identity. */
export const deliveryManagedIdentity: ResourceValidationPolicy = {
  name: "delivery-managed-identity",
  description: "Event Hubs, Service Bus and storage queue destinations (and storage dead-letters) are reached with the system topic's managed identity and a scoped data role.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      requireIdentityDeadLetter: { type: "boolean", default: true, description: "Also require deadLetterWithResourceIdentity instead of deadLetterDestination." },
    },
  },
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const config = configOf<DeliveryManagedIdentityConfig>(args, deliveryManagedIdentity.configSchema!);
    const name = subscriptionNameOf(props, args);
    const type = props.destination?.endpointType;
    if (type !== undefined && type in IDENTITY_DELIVERY_ROLES) {
      reportViolation(
        `Subscription ${name} delivers to ${type} through 'destination', without a managed identity. ` +
          `Fix: use deliveryWithResourceIdentity {identity: {type: "SystemAssigned"}, destination: {...}} and grant the topic's identity ${IDENTITY_DELIVERY_ROLES[type]} on the target (the destination classes do both).`,
      );
    }
    if (config.requireIdentityDeadLetter && props.deadLetterDestination !== undefined) {
      reportViolation(
        `Subscription ${name} dead-letters through 'deadLetterDestination', without a managed identity. ` +
          `Fix: use deadLetterWithResourceIdentity {identity: {type: "SystemAssigned"}, deadLetterDestination: {...}} and grant StorageBlobDataContributor on the container.`,
      );
    }
  }),
};
