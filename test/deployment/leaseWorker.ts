/**
 * A separate process holding an endpoint lease (forked by lease.test.ts): argv = connection string,
 * endpoint key, milliseconds to hold, milliseconds to wait at most. Reports each step to the parent.
 */
import { BlobServiceClient } from "@azure/storage-blob";
import { BlobEndpointLocker, DEPLOYER_LEASE_CONTAINER } from "../../lib/deployment/handler/lease";

const [connection, key, holdMs, waitMs] = process.argv.slice(2);
const send = (event: string, fields: Record<string, unknown> = {}): void => void process.send?.({ event, t: Date.now(), pid: process.pid, ...fields });

async function main(): Promise<void> {
  const container = BlobServiceClient.fromConnectionString(connection).getContainerClient(DEPLOYER_LEASE_CONTAINER);
  const locker = new BlobEndpointLocker(container, { leaseSeconds: 15, waitMs: Number(waitMs), retryMs: 100 }, (msg) => send(msg.startsWith("waiting") ? "waiting" : msg));
  await locker.withLease(key, async (guard) => {
    send("holding");
    await new Promise((r) => setTimeout(r, Number(holdMs)));
    await guard.assertHeld();
    send("done");
  });
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    send("error", { name: e.name, message: e.message });
    process.exit(1);
  },
);
