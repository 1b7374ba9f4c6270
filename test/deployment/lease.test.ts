import * as assert from "assert";
import { fork } from "child_process";
import * as path from "path";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { DEPLOYER_POISON_QUEUE_NAME } from "../../lib/deployment/constants";
import { keepForever } from "../../lib/deployment/handler/poison";
import { BlobEndpointLocker, DEPLOYER_LEASE_CONTAINER, leaseBlobName } from "../../lib/deployment/handler/lease";
import { Azurite, startAzurite } from "../deadletter/azurite";

interface Step {
  readonly event: string;
  readonly t: number;
  readonly pid: number;
  readonly name?: string;
}

/** Forks a worker process that takes the endpoint's lease, holds it `holdMs`, and reports every step. */
function worker(connection: string, key: string, holdMs: number, waitMs: number, steps: Step[]): Promise<number> {
  const child = fork(path.join(__dirname, "leaseWorker.js"), [connection, key, String(holdMs), String(waitMs)], { stdio: "ignore" });
  child.on("message", (m) => steps.push(m as Step));
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
}

const until = async (what: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("endpoint lease (blob lease, two processes, Azurite)", function () {
  this.timeout(90_000);
  let azurite: Azurite;
  before(async () => {
    azurite = await startAzurite();
    await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(DEPLOYER_LEASE_CONTAINER).create();
  });
  after(async () => azurite?.stop());

  it("a second process waits while the first holds the endpoint, then takes it", async () => {
    const key = "/subscriptions/s/resourcegroups/rg/providers/microsoft.machinelearningservices/workspaces/w/contoso-credit-7m3q8";
    const a: Step[] = [];
    const b: Step[] = [];
    const first = worker(azurite.connectionString, key, 1500, 20_000, a);
    await until(() => a.some((s) => s.event === "holding"), 20_000);
    const second = worker(azurite.connectionString, key, 10, 20_000, b);
    assert.deepStrictEqual(await Promise.all([first, second]), [0, 0]);
    const at = (steps: Step[], event: string): number => steps.find((s) => s.event === event)?.t ?? NaN;
    assert.ok(b.some((s) => s.event === "waiting"), `the second process waited: ${JSON.stringify(b)}`);
    assert.ok(at(b, "holding") >= at(a, "done"), "the second holds only after the first is done");
    assert.ok(at(b, "waiting") < at(a, "done"), "and it was waiting while the first held the endpoint");
  });

  it("renewal keeps a holder past the 15 s lease period; a waiter gives up after its bounded wait; another endpoint is not blocked", async () => {
    const key = "/w/contoso-a-1k2m3";
    const a: Step[] = [];
    const b: Step[] = [];
    const c: Step[] = [];
    const holder = worker(azurite.connectionString, key, 20_000, 20_000, a);
    await until(() => a.some((s) => s.event === "holding"), 20_000);
    const [busy, other] = await Promise.all([worker(azurite.connectionString, key, 10, 500, b), worker(azurite.connectionString, "/w/contoso-b-9z8y7", 10, 500, c)]);
    assert.strictEqual(busy, 1);
    assert.strictEqual(b.find((s) => s.event === "error")?.name, "LeaseBusyError");
    assert.strictEqual(other, 0, "a different endpoint's lease is independent");
    assert.strictEqual(await holder, 0, `the holder still held its lease after 20 s (renewed): ${JSON.stringify(a)}`);
    assert.ok(a.some((s) => s.event === "done"));
  });

  it("a process killed while holding the lease blocks the endpoint only until the lease expires", async () => {
    const key = "/w/contoso-killed-4f5g6";
    const a: Step[] = [];
    const child = fork(path.join(__dirname, "leaseWorker.js"), [azurite.connectionString, key, "60000", "20000"], { stdio: "ignore" });
    child.on("message", (m) => a.push(m as Step));
    await until(() => a.some((s) => s.event === "holding"), 20_000);
    child.kill("SIGKILL");
    const killedAt = Date.now();
    const b: Step[] = [];
    assert.strictEqual(await worker(azurite.connectionString, key, 10, 40_000, b), 0);
    const took = (b.find((s) => s.event === "holding")?.t ?? 0) - killedAt;
    assert.ok(took > 5_000 && took < 35_000, `taken over after the 15 s lease expired (${took} ms)`);
  });

  it("names one blob per endpoint, readable and distinct per workspace", () => {
    const a = leaseBlobName("/subscriptions/s/.../workspaces/w1/ep-a");
    assert.match(a, /^endpoints\/ep-a-[0-9a-f]{16}$/);
    assert.notStrictEqual(a, leaseBlobName("/subscriptions/s/.../workspaces/w2/ep-a"));
    assert.strictEqual(a, leaseBlobName("/subscriptions/s/.../workspaces/W1/EP-A"), "ARM names compare ignoring case");
    assert.ok(new BlobEndpointLocker(BlobServiceClient.fromConnectionString("UseDevelopmentStorage=true").getContainerClient("x")));
  });
});

describe("poison queue: a message that failed every attempt is kept without expiry (Azurite)", function () {
  this.timeout(60_000);
  let azurite: Azurite;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => azurite?.stop());

  it("writes the message to model-registered-poison with time-to-live -1 (never expires), verbatim", async () => {
    const queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
    const event = { id: "evt-1", eventType: "Microsoft.MachineLearningServices.ModelRegistered", data: { modelName: "credit-default" } };
    await keepForever(event, queues);
    await keepForever(JSON.stringify(event), queues);
    const peeked = await queues.getQueueClient(DEPLOYER_POISON_QUEUE_NAME).peekMessages({ numberOfMessages: 2 });
    assert.strictEqual(peeked.peekedMessageItems.length, 2);
    for (const m of peeked.peekedMessageItems) {
      assert.deepStrictEqual(JSON.parse(m.messageText), event);
      assert.ok(m.expiresOn.getUTCFullYear() >= 9999, `expires ${m.expiresOn.toISOString()}: the Queue service's "never" is 9999-12-31`);
    }
  });
});
