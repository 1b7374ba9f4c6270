import * as pulumi from "@pulumi/pulumi";
import { IdentityDestination } from "./identityDelivery";
import { DestinationBlock } from "./types";

/** Arguments of {@link EventHubDestination}. */
export interface EventHubDestinationArgs {
  /** ARM id of the event hub (`…/Microsoft.EventHub/namespaces/{ns}/eventhubs/{hub}`). */
  readonly eventHubId: pulumi.Input<string>;
}

/** Delivers to an Event Hub with the topic's identity; grants Azure Event Hubs Data Sender on that hub only. */
export class EventHubDestination extends IdentityDestination {
  constructor(args: EventHubDestinationArgs) {
    super(
      {
        kind: "EventHub",
        role: "AzureEventHubsDataSender",
        grantSuffix: "eh-sender",
        label: "Event Hub",
        idArg: "eventHubId",
        idPattern: /\/providers\/Microsoft\.EventHub\/namespaces\/[^/]+\/eventhubs\/[^/]+$/i,
        idExample: "/subscriptions/…/providers/Microsoft.EventHub/namespaces/{namespace}/eventhubs/{hub}",
      },
      args.eventHubId,
    );
  }

  protected block(): DestinationBlock {
    return { endpointType: "EventHub", resourceId: this.resourceId };
  }
}
