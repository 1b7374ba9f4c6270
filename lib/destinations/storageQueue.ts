import * as pulumi from "@pulumi/pulumi";
import { IdentityDestination } from "./identityDelivery";
import { DestinationBlock } from "./types";

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
export class StorageQueueDestination extends IdentityDestination {
  private readonly ttl?: number;

  constructor(args: StorageQueueDestinationArgs) {
    super(
      {
        kind: "StorageQueue",
        role: "StorageQueueDataMessageSender",
        grantSuffix: "queue-sender",
        label: "storage queue",
        idArg: "queueId",
        idPattern: QUEUE_ID,
        idExample: "/subscriptions/…/providers/Microsoft.Storage/storageAccounts/{account}/queueServices/default/queues/{queue}",
      },
      args.queueId,
    );
    this.ttl = args.queueMessageTimeToLiveInSeconds;
  }

  override validate(): string[] {
    const problems = super.validate();
    const ttl = this.ttl;
    if (ttl !== undefined && !(ttl === -1 || (Number.isInteger(ttl) && ttl > 0))) {
      problems.push(`queueMessageTimeToLiveInSeconds ${ttl} is invalid; use a positive number of seconds or -1 for no expiry.`);
    }
    return problems;
  }

  protected block(): DestinationBlock {
    const parts = pulumi.output(this.resourceId).apply((id) => QUEUE_ID.exec(id));
    return {
      endpointType: "StorageQueue",
      resourceId: parts.apply((m) => m?.[1] ?? ""),
      queueName: parts.apply((m) => m?.[2] ?? ""),
      ...(this.ttl === undefined ? {} : { queueMessageTimeToLiveInSeconds: this.ttl }),
    };
  }
}
