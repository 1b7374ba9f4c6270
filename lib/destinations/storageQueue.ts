import * as pulumi from "@pulumi/pulumi";
import { checkArmId, IdentityGrants } from "./identityDelivery";
import { DestinationBinding, DestinationContext, EventDestination } from "./types";

/** Arguments of {@link StorageQueueDestination}. */
export interface StorageQueueDestinationArgs {
  /** ARM id of the queue (`…/Microsoft.Storage/storageAccounts/{account}/queueServices/default/queues/{queue}`). */
  readonly queueId: pulumi.Input<string>;
  /** Message time-to-live in seconds; -1 keeps messages forever. @default - the queue's default (7 days) */
  readonly queueMessageTimeToLiveInSeconds?: number;
}

const QUEUE_ID = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+)\/queueServices\/default\/queues\/([^/]+)$/i;

/**
 * Delivers to a storage queue with the topic's identity; grants Storage Queue Data Message Sender on
 * that queue only (the role is scoped to the queue, not the account).
 */
export class StorageQueueDestination implements EventDestination {
  readonly kind = "StorageQueue";
  readonly description: string;
  private readonly grants: IdentityGrants;

  constructor(private readonly args: StorageQueueDestinationArgs) {
    this.description = typeof args.queueId === "string" ? `storage queue ${args.queueId.split("/").pop()}` : "storage queue";
    this.grants = new IdentityGrants("StorageQueueDataMessageSender", args.queueId, "queue-sender");
  }

  validate(): string[] {
    const problems = checkArmId("queueId", this.args.queueId, QUEUE_ID, "/subscriptions/…/providers/Microsoft.Storage/storageAccounts/{account}/queueServices/default/queues/{queue}");
    const ttl = this.args.queueMessageTimeToLiveInSeconds;
    if (ttl !== undefined && !(ttl === -1 || (Number.isInteger(ttl) && ttl > 0))) {
      problems.push(`queueMessageTimeToLiveInSeconds ${ttl} is invalid; use a positive number of seconds or -1 for no expiry.`);
    }
    return problems;
  }

  bind(context: DestinationContext): DestinationBinding {
    const parts = pulumi.output(this.args.queueId).apply((id) => QUEUE_ID.exec(id));
    return this.grants.bindWithIdentity(context, {
      endpointType: "StorageQueue",
      resourceId: parts.apply((m) => m?.[1] ?? ""),
      queueName: parts.apply((m) => m?.[2] ?? ""),
      ...(this.args.queueMessageTimeToLiveInSeconds === undefined ? {} : { queueMessageTimeToLiveInSeconds: this.args.queueMessageTimeToLiveInSeconds }),
    });
  }
}
