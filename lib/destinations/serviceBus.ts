import * as pulumi from "@pulumi/pulumi";
import { checkArmId, IdentityGrants } from "./identityDelivery";
import { DestinationBinding, DestinationContext, EventDestination } from "./types";

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
export class ServiceBusQueueDestination implements EventDestination {
  readonly kind = "ServiceBusQueue";
  readonly description: string;
  private readonly grants: IdentityGrants;

  constructor(private readonly args: ServiceBusQueueDestinationArgs) {
    this.description = typeof args.queueId === "string" ? `Service Bus queue ${args.queueId.split("/").pop()}` : "Service Bus queue";
    this.grants = new IdentityGrants("AzureServiceBusDataSender", args.queueId, "sb-sender");
  }

  validate(): string[] {
    return checkArmId("queueId", this.args.queueId, /\/providers\/Microsoft\.ServiceBus\/namespaces\/[^/]+\/queues\/[^/]+$/i, "/subscriptions/…/providers/Microsoft.ServiceBus/namespaces/{namespace}/queues/{queue}");
  }

  bind(context: DestinationContext): DestinationBinding {
    return this.grants.bindWithIdentity(context, { endpointType: "ServiceBusQueue", resourceId: this.args.queueId });
  }
}

/** Delivers to a Service Bus topic with the topic's identity; grants Azure Service Bus Data Sender on that topic only. */
export class ServiceBusTopicDestination implements EventDestination {
  readonly kind = "ServiceBusTopic";
  readonly description: string;
  private readonly grants: IdentityGrants;

  constructor(private readonly args: ServiceBusTopicDestinationArgs) {
    this.description = typeof args.topicId === "string" ? `Service Bus topic ${args.topicId.split("/").pop()}` : "Service Bus topic";
    this.grants = new IdentityGrants("AzureServiceBusDataSender", args.topicId, "sb-sender");
  }

  validate(): string[] {
    return checkArmId("topicId", this.args.topicId, /\/providers\/Microsoft\.ServiceBus\/namespaces\/[^/]+\/topics\/[^/]+$/i, "/subscriptions/…/providers/Microsoft.ServiceBus/namespaces/{namespace}/topics/{topic}");
  }

  bind(context: DestinationContext): DestinationBinding {
    return this.grants.bindWithIdentity(context, { endpointType: "ServiceBusTopic", resourceId: this.args.topicId });
  }
}
