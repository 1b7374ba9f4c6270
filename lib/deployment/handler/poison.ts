/**
 * The deployer's poison queue without silent expiry. The Functions host moves a message that failed
 * `maxDequeueCount` times to `<queue>-poison` ("Azure Queue storage trigger for Azure Functions",
 * Microsoft Learn, poison messages) by adding it with the Queue service's default time-to-live, and
 * "Put Message" (Azure Storage REST reference) gives a message 7 days unless `messagettl` says
 * otherwise; `-1` means it doesn't expire. So the handler keeps the message itself, with -1, on its
 * last attempt and then acknowledges it; the poison alert (ModelDeployer) fires on the log line.
 */
import type { QueueServiceClient } from "@azure/storage-queue";
import { DEPLOYER_POISON_QUEUE_NAME } from "../constants";

/** Copies a queue message into the poison queue with no expiry (`messageTimeToLive: -1`). */
export async function keepForever(message: unknown, queues: QueueServiceClient): Promise<void> {
  const poison = queues.getQueueClient(DEPLOYER_POISON_QUEUE_NAME);
  await poison.createIfNotExists();
  await poison.sendMessage(typeof message === "string" ? message : JSON.stringify(message), { messageTimeToLive: -1 });
}
