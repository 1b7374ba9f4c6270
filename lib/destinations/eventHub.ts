import * as pulumi from "@pulumi/pulumi";
import { checkArmId, IdentityGrants } from "./identityDelivery";
import { DestinationBinding, DestinationContext, EventDestination } from "./types";

/** Arguments of {@link EventHubDestination}. */
export interface EventHubDestinationArgs {
  /** ARM id of the event hub (`…/Microsoft.EventHub/namespaces/{ns}/eventhubs/{hub}`). */
  readonly eventHubId: pulumi.Input<string>;
}

/** Delivers to an Event Hub with the topic's identity; grants Azure Event Hubs Data Sender on that hub only. */
export class EventHubDestination implements EventDestination {
  readonly kind = "EventHub";
  readonly description: string;
  private readonly grants: IdentityGrants;

  constructor(private readonly args: EventHubDestinationArgs) {
    this.description = typeof args.eventHubId === "string" ? `Event Hub ${args.eventHubId.split("/").pop()}` : "Event Hub";
    this.grants = new IdentityGrants("AzureEventHubsDataSender", args.eventHubId, "eh-sender");
  }

  validate(): string[] {
    return checkArmId("eventHubId", this.args.eventHubId, /\/providers\/Microsoft\.EventHub\/namespaces\/[^/]+\/eventhubs\/[^/]+$/i, "/subscriptions/…/providers/Microsoft.EventHub/namespaces/{namespace}/eventhubs/{hub}");
  }

  bind(context: DestinationContext): DestinationBinding {
    return this.grants.bindWithIdentity(context, { endpointType: "EventHub", resourceId: this.args.eventHubId });
  }
}
