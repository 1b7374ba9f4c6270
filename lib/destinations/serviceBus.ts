import * as pulumi from "@pulumi/pulumi";
import { IdentityDestination } from "./identityDelivery";
import { DestinationBlock } from "./types";

/** Arguments of {@link ServiceBusQueueDestination}. */
export interface ServiceBusQueueDestinationArgs {
  /** ARM id of the queue (`…/Microsoft.ServiceBus/namespaces/{ns}/queues/{queue}`). */
  readonly queueId: pulumi.Input<string>;
}

/** Arguments of {@link ServiceBusTopicDestination}. */
export interface ServiceBusTopicDestinationArgs {
  /** ARM id of the topic (`…/Microsoft.ServiceBus/namespaces/{ns}/topics/{topic}`). */
  readonly topicId: pulumi.Input<string>;
}

/** Delivers to a Service Bus queue with the topic's identity; grants Azure Service Bus Data Sender on that queue only. */
export class ServiceBusQueueDestination extends IdentityDestination {
  constructor(args: ServiceBusQueueDestinationArgs) {
    super(
      {
        kind: "ServiceBusQueue",
        role: "AzureServiceBusDataSender",
        grantSuffix: "sb-sender",
        label: "Service Bus queue",
        idArg: "queueId",
        idPattern: /\/providers\/Microsoft\.ServiceBus\/namespaces\/[^/]+\/queues\/[^/]+$/i,
        idExample: "/subscriptions/…/providers/Microsoft.ServiceBus/namespaces/{namespace}/queues/{queue}",
      },
      args.queueId,
    );
  }

  protected block(): DestinationBlock {
    return { endpointType: "ServiceBusQueue", resourceId: this.resourceId };
  }
}

/** Delivers to a Service Bus topic with the topic's identity; grants Azure Service Bus Data Sender on that topic only. */
export class ServiceBusTopicDestination extends IdentityDestination {
  constructor(args: ServiceBusTopicDestinationArgs) {
    super(
      {
        kind: "ServiceBusTopic",
        role: "AzureServiceBusDataSender",
        grantSuffix: "sb-sender",
        label: "Service Bus topic",
        idArg: "topicId",
        idPattern: /\/providers\/Microsoft\.ServiceBus\/namespaces\/[^/]+\/topics\/[^/]+$/i,
        idExample: "/subscriptions/…/providers/Microsoft.ServiceBus/namespaces/{namespace}/topics/{topic}",
      },
      args.topicId,
    );
  }

  protected block(): DestinationBlock {
    return { endpointType: "ServiceBusTopic", resourceId: this.resourceId };
  }
}
