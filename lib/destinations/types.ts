import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as pulumi from "@pulumi/pulumi";

/** Event Grid destination kinds this library can deliver to (`endpointType`). */
export type DestinationKind =
  | "WebHook"
  | "AzureFunction"
  | "EventHub"
  | "ServiceBusQueue"
  | "ServiceBusTopic"
  | "StorageQueue";

/** The destination block of a subscription, in azure-native's input shape. */
export type DestinationBlock = NonNullable<eventgrid.SystemTopicEventSubscriptionArgs["destination"]>;
/** The identity-based delivery block, in azure-native's input shape. */
export type IdentityDeliveryBlock = NonNullable<eventgrid.SystemTopicEventSubscriptionArgs["deliveryWithResourceIdentity"]>;

/** What a destination gets to work with when a subscription binds it. */
export interface DestinationContext {
  /** The component owning the subscription; grants are its children. */
  readonly parent: pulumi.Resource;
  /** The subscription's child name; grant names derive from it. */
  readonly subscriptionName: string;
  /** Principal id of the system topic's managed identity (delivers with identity). */
  readonly topicPrincipalId: pulumi.Input<string>;
  /** The topic identity delivery uses (`managedIdentities`). @default { type: "SystemAssigned" } */
  readonly deliveryIdentity?: { readonly type: "SystemAssigned" } | { readonly type: "UserAssigned"; readonly userAssignedIdentity: string };
}

/** A destination bound to one subscription: the block to deliver with, and the grants it needs first. */
export interface DestinationBinding {
  /** Key-based/endpoint delivery; set when the destination is not delivered with identity. */
  readonly destination?: DestinationBlock;
  /** Identity-based delivery; set when the destination uses the topic's identity. */
  readonly deliveryWithResourceIdentity?: IdentityDeliveryBlock;
  /** Resources the subscription must wait for (role grants, code deployments). */
  readonly dependsOn: readonly pulumi.Resource[];
  /** Property paths Azure never reads back (e.g. a webhook URL's `sig`); ignored on diff. */
  readonly ignoreChanges?: readonly string[];
}

/**
 * A place events go. Each destination produces its delivery block and grants its own
 * least-privilege role on its one target resource (CDK `IRuleTarget` style).
 */
export interface EventDestination {
  /** The Event Grid endpoint type. */
  readonly kind: DestinationKind;
  /** A short human description for plans and routing maps, e.g. `Event Hub aml-events`. */
  readonly description: string;
  /** Validation problems known at construction (empty when fine). */
  validate(): string[];
  /** Produces the delivery block for one subscription, creating any role grant it needs. */
  bind(context: DestinationContext): DestinationBinding;
}
