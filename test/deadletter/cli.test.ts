import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as http from "http";
import * as path from "path";
import { BlobServiceClient, ContainerClient, ContainerSASPermissions } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { sampleCloudEvents, sampleEvents } from "../../lib/events/samples";
import { Azurite, startAzurite } from "./azurite";
import { DeadLetteredEvent, RedeliveryDestination, SendError, parseDeadLetterBlob, parseDeadLetterPath, redeliver, DeadLetterStore, RedeliveryResult } from "../../lib/deadletter";
import { rng } from "../helpers/rng";


/** A destination that refuses, loses answers after processing, or delays, at random; counts what it processed. */
class FlakyDestination implements RedeliveryDestination {
  readonly label = "flaky loopback";
  readonly processed = new Map<string, number>();
  constructor(private readonly random: () => number) {}
  prepare(event: DeadLetteredEvent): string {
    return JSON.stringify(event.original);
  }
  async send(event: DeadLetteredEvent): Promise<void> {
    const roll = this.random();
    await new Promise((r) => setTimeout(r, Math.floor(this.random() * 3)));
    if (roll < 0.15) throw new SendError("refused", "refused");
    this.processed.set(event.id, (this.processed.get(event.id) ?? 0) + 1);
    if (roll < 0.25) throw new SendError("answer lost", "unknown");
  }
}

/** A GUID-shaped blob name part for a short tag (Event Grid names dead-letter blobs `<guid>.json`). */
function guid(tag: string): string {
  return `00000000-0000-4000-8000-${Buffer.from(tag).toString("hex").padStart(12, "0").slice(-12)}`;
}

const MAIN = path.resolve(__dirname, "..", "..", "lib", "deadletter", "main.js");
const PLATFORM = path.resolve(__dirname, "..", "..", "examples", "platform");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command in a child process (as the bin would); `onSpawn` may keep the child to kill it. */
function runCli(cs: string, args: readonly string[], onSpawn?: (c: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, AML_EVENTS_STORAGE_CONNECTION_STRING: cs }, stdio: ["ignore", "pipe", "pipe"] });
    onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function json<T>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

/** A loopback Event Grid endpoint recording what it received; `decide` picks the answer per event id. */
class Endpoint {
  readonly received: { id: string; contentType: string; eventType: string | undefined }[] = [];
  decide: (id: string, n: number) => number | "hang" = () => 200;
  /** When set, every request is answered with this redirect. */
  redirectTo: ((id: string) => { status: number; location: string }) | undefined;
  /** Where a 3xx chosen by `decide` points. */
  redirectLocation: string | undefined;
  private server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const [event] = JSON.parse(body) as { id: string; eventType?: string; type?: string }[];
      this.received.push({ id: event.id, contentType: String(req.headers["content-type"]), eventType: req.headers["aeg-event-type"] as string | undefined });
      if (this.redirectTo) {
        const r = this.redirectTo(event.id);
        res.writeHead(r.status, { location: r.location }).end();
        return;
      }
      const answer = this.decide(event.id, this.received.length);
      if (answer === "hang") return;
      if (answer >= 300 && answer < 400 && this.redirectLocation) res.writeHead(answer, { location: this.redirectLocation }).end();
      else res.writeHead(answer).end();
    });
  });
  url = "";

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/api/events?sig=secret`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
  count(id: string): number {
    return this.received.filter((r) => r.id === id).length;
  }
}

const dl = (e: object, reason = "MaxDeliveryAttemptsExceeded", status = 500) => ({
  ...e,
  deadLetterReason: reason,
  deliveryAttempts: 30,
  lastDeliveryOutcome: "InternalServerError",
  lastHttpStatusCode: status,
  publishTime: "2026-11-22T08:00:00Z",
  lastDeliveryAttemptTime: "2026-11-22T09:00:00Z",
});

/** `n` distinct RunStatusChanged events (ids `run-<tag>-<i>`). */
function failedRuns(tag: string, n: number): object[] {
  const base = sampleEvents()[4];
  return Array.from({ length: n }, (_, i) => ({ ...base, id: `run-${tag}-${i}` }));
}

/**
 * Uploads a blob under its name exactly as given, `..` segments included (the SDK's URL handling would resolve
 * them): a raw PUT with a container SAS, as a hostile writer could do. Azurite stores such names as they are.
 */
async function putRaw(container: ContainerClient, blobName: string, content: string): Promise<void> {
  const sas = new URL(await container.generateSasUrl({ permissions: ContainerSASPermissions.parse("racwdl"), expiresOn: new Date(Date.now() + 3600_000) }));
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const req = http.request(
      { host: sas.hostname, port: sas.port, method: "PUT", path: `${sas.pathname}/${blobName}${sas.search}`, headers: { "x-ms-blob-type": "BlockBlob", "content-length": Buffer.byteLength(content) } },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on("error", reject);
    req.end(content);
  });
  assert.strictEqual(status, 201, `raw upload of ${blobName}`);
}

async function collect(container: ContainerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const b of container.listBlobsFlat()) names.push(b.name);
  return names;
}

async function put(container: ContainerClient, name: string, content: string): Promise<void> {
  await container.getBlockBlobClient(name).upload(content, Buffer.byteLength(content));
}

interface ListOutput {
  groups: { subscription: string; reason: string; count: number; eventTypes: string[] }[];
  problems: { blobName: string; problem: string }[];
}
interface RedeliverOutput {
  dryRun: boolean;
  counts: Record<string, number>;
  results: { eventId: string; status: string; blobName: string; detail?: string }[];
}

describe("aml-events deadletter against Azurite", function () {
  this.timeout(120000);
  let azurite: Azurite | undefined;
  let service: BlobServiceClient;
  let cs = "";
  let counter = 0;
  const endpoint = new Endpoint();

  async function freshContainer(): Promise<{ name: string; client: ContainerClient }> {
    counter += 1;
    const name = `deadletter${counter}`;
    const client = service.getContainerClient(name);
    await client.create();
    return { name, client };
  }

  before(async () => {
    azurite = await startAzurite();
    cs = azurite.connectionString;
    service = BlobServiceClient.fromConnectionString(cs);
    await endpoint.start();
  });
  after(async () => {
    await endpoint.stop();
    await azurite?.stop();
  });
  beforeEach(() => {
    endpoint.received.length = 0;
    endpoint.decide = () => 200;
  });

  it("lists by subscription and reason, reporting corrupt, huge, malformed and stray blobs", async () => {
    const { name, client } = await freshContainer();
    const [registered, deployed, completed] = sampleEvents();
    const [ceRun] = sampleCloudEvents().slice(2);
    await put(client, `PLATFORM-EMAIL-ALERTS/2026/11/22/9/${guid("a1")}.json`, JSON.stringify([dl(registered), dl(deployed)]));
    await put(client, `PLATFORM-EMAIL-ALERTS/2026/11/22/10/${guid("a2")}.json`, JSON.stringify([dl(completed, "TimeToLiveExceeded")]));
    await put(client, `PLATFORM-STREAM-TO-EVENT-HUB/2026/11/22/9/${guid("c1")}.json`, JSON.stringify([dl(ceRun, "MaxDeliveryAttemptsExceeded", 403)]));
    await put(client, `PLATFORM-EMAIL-ALERTS/2026/11/22/11/${guid("corrupt")}.json`, "[{\"id\": \"truncated");
    await put(client, `PLATFORM-EMAIL-ALERTS/2026/11/22/12/${guid("mixed")}.json`, JSON.stringify([17, dl(registered, "TimeToLiveExceeded")]));
    await put(client, `PLATFORM-EMAIL-ALERTS/2026/11/22/13/${guid("huge")}.json`, JSON.stringify([dl({ ...completed, data: { blob: "x".repeat(2 * 1024 * 1024) } })]));
    await put(client, "notes/readme.txt", "not a dead letter");

    const run = await runCli(cs, ["--container", name, "--max-blob-bytes", String(1024 * 1024), "--json", "list"]);
    assert.strictEqual(run.code, 0, run.stderr);
    const out = json<ListOutput>(run);
    assert.deepStrictEqual(out.groups.map((g) => [g.subscription, g.reason, g.count]), [
      ["PLATFORM-EMAIL-ALERTS", "MaxDeliveryAttemptsExceeded", 2],
      ["PLATFORM-EMAIL-ALERTS", "TimeToLiveExceeded", 2],
      ["PLATFORM-STREAM-TO-EVENT-HUB", "MaxDeliveryAttemptsExceeded", 1],
    ]);
    const problems = Object.fromEntries(out.problems.map((p) => [p.blobName, p.problem]));
    assert.match(problems[`PLATFORM-EMAIL-ALERTS/2026/11/22/11/${guid("corrupt")}.json`], /^not JSON/);
    assert.match(problems[`PLATFORM-EMAIL-ALERTS/2026/11/22/13/${guid("huge")}.json`], /^too large: \d+ bytes > --max-blob-bytes 1048576/);
    assert.strictEqual(problems[`PLATFORM-EMAIL-ALERTS/2026/11/22/12/${guid("mixed")}.json`], "element 0 is not a JSON object");
    assert.match(problems["notes/readme.txt"], /not in Event Grid's dead-letter layout/);

    const text = await runCli(cs, ["--container", name, "list", "--subscription", "platform-stream-to-event-hub"]);
    assert.match(text.stdout, /PLATFORM-STREAM-TO-EVENT-HUB {2}MaxDeliveryAttemptsExceeded {2}1 event\(s\) {2}Microsoft\.MachineLearningServices\.RunCompleted {2}last outcomes: 403 InternalServerError x1/);
  });

  it("explains each dead-lettered event through the platform program's plan", async () => {
    const { name, client } = await freshContainer();
    const [registered, , completed] = sampleEvents();
    await put(client, `PLATFORM-EMAIL-ALERTS/2026/11/22/9/${guid("e1")}.json`, JSON.stringify([dl(registered)]));
    await put(client, `PLATFORM-DEPLOYER-MODEL-REGISTERED/2026/11/22/9/${guid("e2")}.json`, JSON.stringify([dl(completed)]));
    await put(client, `OLD-SUBSCRIPTION/2026/11/22/9/${guid("e3")}.json`, JSON.stringify([dl({ ...completed, id: "gone-1" })]));
    const run = await runCli(cs, ["--container", name, "--json", "explain", "--program", PLATFORM]);
    assert.strictEqual(run.code, 0, run.stderr);
    const { explanations } = json<{ explanations: { eventId: string; deadLetteredBy: string; verdict: string; detail: string; subscription?: string; alsoDeliveredTo: string[] }[] }>(run);
    const by = Object.fromEntries(explanations.map((x) => [x.deadLetteredBy, x]));
    assert.strictEqual(by["PLATFORM-EMAIL-ALERTS"].verdict, "delivered");
    assert.strictEqual(by["PLATFORM-EMAIL-ALERTS"].subscription, "platform-email-alerts");
    assert.match(by["PLATFORM-EMAIL-ALERTS"].detail, /email/i);
    assert.ok(by["PLATFORM-EMAIL-ALERTS"].alsoDeliveredTo.includes("platform-deployer-model-registered"));
    assert.strictEqual(by["PLATFORM-DEPLOYER-MODEL-REGISTERED"].verdict, "filtered-out");
    assert.match(by["PLATFORM-DEPLOYER-MODEL-REGISTERED"].detail, /^includedEventTypes: /);
    assert.strictEqual(by["OLD-SUBSCRIPTION"].verdict, "not-declared");
  });

  it("is a dry run by default, asks before more than a handful, and refuses unsupported destinations", async () => {
    const { name, client } = await freshContainer();
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("d1")}.json`, JSON.stringify(failedRuns("dry", 7).map((e) => dl(e))));
    const base = ["--container", name, "--json", "redeliver", "--subscription", "platform-run-failed-oncall"];
    const dry = json<RedeliverOutput>(await runCli(cs, [...base, "--webhook", endpoint.url]));
    assert.deepStrictEqual([dry.dryRun, dry.counts], [true, { "would-send": 7 }]);
    assert.strictEqual(endpoint.received.length, 0);

    const unconfirmed = await runCli(cs, [...base, "--webhook", endpoint.url, "--execute"]);
    assert.strictEqual(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /Not confirmed: 7 events selected \(more than 5\); answer yes at the prompt or pass --yes/);
    assert.strictEqual(endpoint.received.length, 0);

    const hub = await runCli(cs, [...base, "--event-hub", "hub", "--execute", "--yes"]);
    assert.strictEqual(hub.code, 1);
    assert.match(hub.stderr, /--event-hub "hub" is neither <namespace>\/<hub> nor https:\/\/<namespace>\.servicebus\.windows\.net\/<hub>/);
    const fn = await runCli(cs, [...base, "--function", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/functions/onModelRegistered"]);
    assert.strictEqual(fn.code, 1);
    assert.match(fn.stderr, /--function is not supported yet: for an Event Grid-triggered Function pass --webhook "https:\/\/<app>\.azurewebsites\.net\/runtime\/webhooks\/eventgrid\?functionName=/);
    const none = await runCli("", ["--container", name, "list"]);
    assert.match(none.stderr, /No storage account: pass --account-url/);
    assert.ok((await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("d1")}.json`).exists()), "nothing deleted");
  });

  it("after an interrupted redelivery, a rerun sends nothing twice and leaves the in-doubt event to the operator", async () => {
    const { name, client } = await freshContainer();
    const events = failedRuns("int", 8);
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("i1")}.json`, JSON.stringify(events.slice(0, 3).map((e) => dl(e))));
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/10/${guid("i2")}.json`, JSON.stringify(events.slice(3, 6).map((e) => dl(e))));
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/11/${guid("i3")}.json`, JSON.stringify(events.slice(6).map((e) => dl(e))));
    const args = ["--container", name, "--json", "redeliver", "--subscription", "platform-run-failed-oncall", "--webhook", endpoint.url, "--execute", "--yes", "--delete"];

    // The 4th request reaches the endpoint, which kills the sender before answering: it is delivered, but no outcome is recorded.
    let child: ChildProcess | undefined;
    endpoint.decide = (_id, n) => {
      if (n === 4) {
        child?.kill("SIGKILL");
        return "hang";
      }
      return 200;
    };
    const first = await runCli(cs, args, (c) => (child = c));
    assert.strictEqual(first.code, null, "the first run was killed");
    assert.strictEqual(endpoint.received.length, 4);
    assert.ok(await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("i1")}.json`).exists(), "blob kept: its last event has no recorded outcome");

    endpoint.decide = () => 200;
    const second = await runCli(cs, args);
    const out = json<RedeliverOutput>(second);
    assert.strictEqual(second.code, 1, "in-doubt events make the run fail");
    assert.deepStrictEqual(out.counts, { "already-sent": 3, "in-doubt": 1, sent: 4 });
    assert.deepStrictEqual(out.results.filter((r) => r.status === "in-doubt").map((r) => r.eventId), ["run-int-3"]);
    for (const e of events) assert.strictEqual(endpoint.count((e as { id: string }).id), 1, `${(e as { id: string }).id} received once`);
    assert.ok(await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("i1")}.json`).exists() === false, "i1 fully sent and deleted");
    assert.ok(await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/10/${guid("i2")}.json`).exists(), "i2 holds the in-doubt event");
    assert.ok((await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/11/${guid("i3")}.json`).exists()) === false);

    const third = json<RedeliverOutput>(await runCli(cs, [...args, "--resend-in-doubt"]));
    assert.deepStrictEqual(third.counts, { sent: 1, "already-sent": 2 });
    assert.strictEqual(endpoint.count("run-int-3"), 2, "resent only on the operator's explicit choice");
    assert.ok((await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/10/${guid("i2")}.json`).exists()) === false);
    const again = json<RedeliverOutput>(await runCli(cs, args));
    assert.deepStrictEqual(again.counts, {}, "nothing left");
  });

  it("partial failures: refused events stay dead-lettered and unmarked, duplicates go once, CloudEvents keep their content type", async () => {
    const { name, client } = await freshContainer();
    const [a, b, c] = failedRuns("pf", 3);
    const ce = { ...sampleCloudEvents()[4], id: "ce-pf-1" };
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("p1")}.json`, JSON.stringify([dl(a), dl(b)]));
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/10/${guid("p2")}.json`, JSON.stringify([dl(c), dl(a)]));
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/11/${guid("p3")}.json`, JSON.stringify([dl(ce)]));
    endpoint.decide = (id) => (id === "run-pf-1" ? 500 : 200);
    const args = ["--container", name, "--json", "redeliver", "--subscription", "platform-run-failed-oncall", "--webhook", endpoint.url, "--execute", "--delete"];
    const first = await runCli(cs, args);
    const out = json<RedeliverOutput>(first);
    assert.strictEqual(first.code, 1);
    assert.deepStrictEqual(out.results.map((r) => [r.eventId, r.status]), [
      ["run-pf-0", "sent"], ["run-pf-1", "refused"], ["run-pf-2", "sent"], ["run-pf-0", "duplicate"], ["ce-pf-1", "sent"],
    ]);
    assert.strictEqual(endpoint.count("run-pf-0"), 1);
    assert.deepStrictEqual(endpoint.received.find((r) => r.id === "ce-pf-1"), { id: "ce-pf-1", contentType: "application/cloudevents-batch+json", eventType: "Notification" });
    assert.strictEqual(endpoint.received.find((r) => r.id === "run-pf-0")?.contentType, "application/json");
    assert.ok(await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("p1")}.json`).exists(), "p1 keeps the refused event");
    assert.ok((await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/10/${guid("p2")}.json`).exists()) === false);

    endpoint.decide = () => 200;
    const retry = json<RedeliverOutput>(await runCli(cs, args));
    assert.deepStrictEqual(retry.counts, { "already-sent": 1, sent: 1 });
    assert.strictEqual(endpoint.count("run-pf-1"), 2, "one refused attempt, one accepted");
    assert.ok((await client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("p1")}.json`).exists()) === false);
  });

  it("redelivers to a storage queue, one message per event", async () => {
    const { name, client } = await freshContainer();
    const queue = QueueServiceClient.fromConnectionString(cs).getQueueClient(`redeliver-${name}`);
    await queue.create();
    const events = failedRuns("q", 3);
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("q1")}.json`, JSON.stringify(events.map((e) => dl(e))));
    const run = await runCli(cs, ["--container", name, "--json", "redeliver", "--subscription", "platform-run-failed-oncall", "--queue", `redeliver-${name}`, "--execute"]);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.deepStrictEqual(json<RedeliverOutput>(run).counts, { sent: 3 });
    const peeked = await queue.peekMessages({ numberOfMessages: 32 });
    const ids = peeked.peekedMessageItems.map((m) => (JSON.parse(m.messageText) as { id: string; deadLetterReason?: string }));
    assert.deepStrictEqual(ids.map((m) => m.id).sort(), ["run-q-0", "run-q-1", "run-q-2"]);
    assert.ok(ids.every((m) => m.deadLetterReason === undefined), "dead-letter fields are not forwarded");
    const rerun = json<RedeliverOutput>(await runCli(cs, ["--container", name, "--json", "redeliver", "--subscription", "platform-run-failed-oncall", "--queue", `redeliver-${name}`, "--execute"]));
    assert.deepStrictEqual(rerun.counts, { "already-sent": 3 });
    assert.strictEqual((await queue.getProperties()).approximateMessagesCount, 3);
  });

  it("never follows redirects: 302 and 307 are failures, the event stays, the redirect target receives nothing", async () => {
    const { name, client } = await freshContainer();
    const other = new Endpoint();
    await other.start();
    try {
      const [a, b] = failedRuns("redir", 2);
      const blob = `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("r1")}.json`;
      await put(client, blob, JSON.stringify([dl(a), dl(b)]));
      endpoint.redirectTo = (id) => ({ status: id === "run-redir-0" ? 302 : 307, location: other.url });
      const args = ["--container", name, "--json", "redeliver", "--subscription", "platform-run-failed-oncall", "--webhook", endpoint.url, "--execute", "--delete"];
      const run = await runCli(cs, args);
      const out = json<RedeliverOutput>(run);
      assert.strictEqual(run.code, 1);
      assert.deepStrictEqual(out.counts, { refused: 2 });
      assert.ok(out.results.every((r) => /redirects are never followed/.test(r.detail ?? "")), JSON.stringify(out.results));
      assert.strictEqual(other.received.length, 0, "the redirect target got nothing");
      assert.ok(await client.getBlobClient(blob).exists(), "the dead letter is kept");
      endpoint.redirectTo = undefined;
      assert.deepStrictEqual(json<RedeliverOutput>(await runCli(cs, args)).counts, { sent: 2 }, "no mark left behind: a later run sends them");
      assert.ok(!(await client.getBlobClient(blob).exists()));
    } finally {
      endpoint.redirectTo = undefined;
      await other.stop();
    }
  });

  it("foreign blob names (../ into another container, stray names) are listed as foreign and never sent or deleted", async () => {
    const { name, client } = await freshContainer();
    const victim = await freshContainer();
    const [a] = failedRuns("foreign", 1);
    const inVictim = `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("v1")}.json`;
    await put(victim.client, inVictim, JSON.stringify([dl(a)]));
    const hostile = [`../${victim.name}/${inVictim}`, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/x.json`, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/../../9/${guid("v2")}.json`];
    for (const h of hostile) await putRaw(client, h, JSON.stringify([dl(a)]));
    const listed = new Set(await collect(client));
    assert.ok(listed.has(hostile[0]), `the hostile name is stored as written (${[...listed].join(", ")})`);
    const args = ["--container", name, "--json", "redeliver", "--subscription", "platform-run-failed-oncall", "--webhook", endpoint.url, "--execute", "--delete"];
    const out = json<RedeliverOutput & { problems: { blobName: string; problem: string }[] }>(await runCli(cs, args));
    assert.deepStrictEqual(out.counts, {});
    assert.strictEqual(endpoint.received.length, 0);
    assert.deepStrictEqual(new Set(out.problems.map((p) => p.blobName)), listed);
    assert.ok(out.problems.every((p) => /^foreign: .*never read or deleted$/.test(p.problem)));
    assert.ok(await victim.client.getBlobClient(inVictim).exists(), "the other container's blob is untouched");
    assert.deepStrictEqual(new Set(await collect(client)), listed, "nothing deleted here either");
  });

  it("a corrupt mark, an event too deep to serialise and an unreadable element are reported; the rest is sent; nothing is in doubt", async () => {
    const { name, client } = await freshContainer();
    const [a, b, c] = failedRuns("bad", 3);
    const deep = JSON.stringify(dl(c)).slice(0, -1) + `,"nested":${"[".repeat(60000)}${"]".repeat(60000)}}`;
    const blobs = [`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("b1")}.json`, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/10/${guid("b2")}.json`, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/11/${guid("b3")}.json`];
    await put(client, blobs[0], JSON.stringify([dl(a)]));
    await put(client, blobs[1], `[${deep}]`);
    await put(client, blobs[2], JSON.stringify([dl(b), 17]));
    await put(client, "_redelivery/PLATFORM-RUN-FAILED-ONCALL/run-bad-0.json", "{\"state\": \"sent\", trunc");
    const args = ["--container", name, "--json", "redeliver", "--subscription", "platform-run-failed-oncall", "--webhook", endpoint.url, "--execute", "--delete"];
    const run = await runCli(cs, args);
    const out = json<RedeliverOutput>(run);
    assert.strictEqual(run.code, 1, run.stderr);
    assert.deepStrictEqual(out.results.map((r) => [r.eventId, r.status]), [["run-bad-0", "corrupt-mark"], ["run-bad-2", "unsendable"], ["run-bad-1", "sent"]]);
    assert.deepStrictEqual(endpoint.received.map((r) => r.id), ["run-bad-1"]);
    assert.strictEqual(await client.getBlobClient("_redelivery/PLATFORM-RUN-FAILED-ONCALL/run-bad-2.json").exists(), false, "the unsendable event was never marked (not in doubt)");
    for (const blob of blobs) assert.ok(await client.getBlobClient(blob).exists(), `${blob} kept (corrupt mark, unsendable event, unreadable element)`);
  });

  it("prints terminal escape sequences from blobs escaped, and sends tokens only to Azure Storage hosts unless allowed", async () => {
    const { name, client } = await freshContainer();
    const [a] = failedRuns("esc", 1);
    await put(client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("t1")}.json`, JSON.stringify([dl({ ...a, id: "id\u001b[1A" }, "Max\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e\nFAKE")]));
    const text = await runCli(cs, ["--container", name, "list"]);
    assert.strictEqual(text.code, 0, text.stderr);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(text.stdout), JSON.stringify(text.stdout));
    assert.match(text.stdout, /Max\\u001b\]0;pwned\\u0007\\u001b\[2J\\u009b31m\\u202e\\u000aFAKE/);
    const dry = await runCli(cs, ["--container", name, "redeliver", "--subscription", "platform-run-failed-oncall", "--webhook", endpoint.url]);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u001b\u009b]/.test(dry.stdout + dry.stderr));
    for (const [flag, value, service] of [["--account-url", "https://attacker.example.net", "Blob Storage"], ["--account-url", "https://acct.blob.core.windows.net.attacker.example", "Blob Storage"]] as const) {
      const refused = await runCli("", ["--container", name, flag, value, "list"]);
      assert.strictEqual(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`${flag}: .* is not a ${service} host .*pass --allow-token-host`));
    }
    const queue = await runCli(cs, ["--container", name, "redeliver", "--subscription", "platform-run-failed-oncall", "--queue-url", "https://attacker.example.net/q"]);
    assert.match(queue.stderr, /--queue-url: attacker\.example\.net is not a Queue Storage host/);
    const hub = await runCli(cs, ["--container", name, "redeliver", "--subscription", "platform-run-failed-oncall", "--event-hub", "https://attacker.example.net/hub"]);
    assert.match(hub.stderr, /--event-hub: attacker\.example\.net is not an Event Hubs host/);
  });

  for (const seed of [3, 11, 2027]) {
    it(`hostile soak (seed ${seed}, CLI child processes): redirects, foreign names, corrupt and huge blobs, a killed run, concurrent runs — nothing lost, nothing sent twice, nothing sent elsewhere`, async () => {
      const random = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
      const { name, client } = await freshContainer();
      const victim = await freshContainer();
      const other = new Endpoint();
      await other.start();
      try {
        const events = failedRuns(`hs${seed}`, 16);
        const blobs = new Map<string, string[]>();
        // Events 0-14 in five blobs of three; event 15 only in blobs that must never be read or sent.
        for (let b = 0; b < 5; b++) {
          const inBlob = events.slice(b * 3, b * 3 + 3);
          const blobName = `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/${b}/${guid(`h${seed}b${b}`)}.json`;
          const content: unknown[] = inBlob.map((e) => dl(e));
          if (random() < 0.3) content.push(pick([17, "x", { id: "no-type" }]));
          await put(client, blobName, JSON.stringify(content));
          blobs.set(blobName, inBlob.map((e) => (e as { id: string }).id));
        }
        const untouchable = [
          `../${victim.name}/PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("victim")}.json`,
          `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid(`c${seed}`)}.json`,
          `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid(`g${seed}`)}.json`,
          `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/stray-${seed}.json`,
        ];
        await put(victim.client, `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("victim")}.json`, JSON.stringify([dl(events[15])]));
        await putRaw(client, untouchable[0], JSON.stringify([dl(events[15])]));
        await put(client, untouchable[1], `[${JSON.stringify(dl(events[15])).slice(0, 40)}`);
        await put(client, untouchable[2], JSON.stringify([dl({ ...events[15], data: { pad: "x".repeat(300_000) } })]));
        await put(client, untouchable[3], JSON.stringify([dl(events[15])]));
        await put(client, `_redelivery/PLATFORM-RUN-FAILED-ONCALL/${(events[0] as { id: string }).id}.json`, pick(["{", "[]", "{\"state\":\"maybe\"}"]));

        // The endpoint: accepted (200) requests count as processed; redirects point at `other`, which must never be reached.
        const processed = new Map<string, number>();
        const killAt = 2 + Math.floor(random() * 6);
        let child: ChildProcess | undefined;
        let requests = 0;
        let redirects = 0;
        endpoint.redirectTo = undefined;
        endpoint.decide = (id) => {
          requests += 1;
          if (requests === killAt && child) {
            processed.set(id, (processed.get(id) ?? 0) + 1);
            child.kill("SIGKILL");
            return "hang";
          }
          const answer = pick([200, 200, 200, 500, 503, 302, 307] as const);
          if (answer === 302 || answer === 307) redirects += 1;
          if (answer === 302 || answer === 307) return answer;
          if (answer === 200) processed.set(id, (processed.get(id) ?? 0) + 1);
          return answer;
        };
        endpoint.redirectLocation = other.url;
        const args = ["--container", name, "--max-blob-bytes", "200000", "--json", "redeliver", "--subscription", "platform-run-failed-oncall", "--webhook", endpoint.url, "--execute", "--yes", "--delete"];
        const killed = await runCli(cs, args, (c) => (child = c));
        assert.strictEqual(killed.code, null, "the first run was killed mid-way");
        child = undefined;
        await Promise.all([runCli(cs, args), runCli(cs, args)]);
        endpoint.decide = (id) => {
          processed.set(id, (processed.get(id) ?? 0) + 1);
          return 200;
        };
        const last = json<RedeliverOutput>(await runCli(cs, args));

        assert.ok(redirects > 0, "the soak answered with redirects");
        assert.strictEqual(other.received.length, 0, "nothing reached the redirect target");
        for (const [id, n] of processed) assert.strictEqual(n, 1, `${id} processed ${n} times`);
        assert.ok(!processed.has((events[0] as { id: string }).id), "the event behind a corrupt mark was never sent");
        assert.ok(!processed.has((events[15] as { id: string }).id), "nothing from foreign, corrupt or oversized blobs was sent");
        const remaining = new Set(await collect(client));
        for (const u of untouchable) assert.ok(remaining.has(u), `${u} untouched`);
        assert.ok(await victim.client.getBlobClient(`PLATFORM-RUN-FAILED-ONCALL/2026/11/22/9/${guid("victim")}.json`).exists());
        for (const [blobName, ids] of blobs) {
          if (!remaining.has(blobName)) assert.ok(ids.every((id) => processed.get(id) === 1), `${blobName} deleted before all its events were accepted`);
        }
        for (const id of events.slice(1, 15).map((e) => (e as { id: string }).id)) {
          const status = last.results.find((r) => r.eventId === id)?.status;
          assert.ok(processed.get(id) === 1 || status === "in-doubt", `${id} neither delivered nor in doubt (last: ${status})`);
        }
      } finally {
        endpoint.redirectLocation = undefined;
        await other.stop();
      }
    });
  }

  for (const seed of [7, 42, 2026]) {
    it(`soak (seed ${seed}): concurrent, reordered, duplicated runs against a flaky destination never process an event twice`, async () => {
      const { name, client } = await freshContainer();
      const random = rng(seed);
      const events = failedRuns(`soak${seed}`, 30);
      const blobs: string[] = [];
      for (let b = 0; b < 10; b++) {
        const blobName = `PLATFORM-RUN-FAILED-ONCALL/2026/11/22/${b}/${guid(`s${b}`)}.json`;
        // Three events per blob plus, now and then, a duplicate of an earlier event (Event Grid is at-least-once).
        const content = events.slice(b * 3, b * 3 + 3).map((e) => dl(e));
        if (b > 0 && random() < 0.5) content.push(dl(events[Math.floor(random() * b * 3)]));
        await put(client, blobName, JSON.stringify(content));
        blobs.push(blobName);
      }
      const store = new DeadLetterStore({ kind: "connectionString", connectionString: cs, container: name });
      const all: DeadLetteredEvent[] = [];
      for (const blobName of blobs) all.push(...parseDeadLetterBlob(parseDeadLetterPath(blobName)!, await store.read(blobName)).events);
      const destination = new FlakyDestination(random);
      const shuffled = (): DeadLetteredEvent[] => [...all].map((e) => [random(), e] as const).sort((x, y) => x[0] - y[0]).map(([, e]) => e);
      const options = { execute: true, resendInDoubt: false, deleteDelivered: true, allEvents: all };
      const outcomes: RedeliveryResult[] = [];
      for (let round = 0; round < 4; round++) {
        const runs = await Promise.all([redeliver(store, destination, shuffled(), options), redeliver(store, destination, shuffled(), options)]);
        outcomes.push(...runs.flat());
      }
      const seen = new Set<string>(outcomes.map((r) => r.status));
      for (const s of ["sent", "already-sent", "refused", "in-doubt", "duplicate"]) assert.ok(seen.has(s), `the soak exercised ${s} (saw ${[...seen].join(", ")})`);
      for (const [id, n] of destination.processed) assert.strictEqual(n, 1, `${id} processed ${n} times`);
      const last = new Map<string, string>();
      for (const r of outcomes) if (r.status !== "duplicate") last.set(r.eventId, r.status);
      for (const e of events) {
        const id = (e as { id: string }).id;
        const status = last.get(id);
        const mark = await store.ledgerGet(`_redelivery/PLATFORM-RUN-FAILED-ONCALL/${id}.json`);
        if (destination.processed.get(id) === 1) assert.ok(mark !== undefined, `${id} was processed but carries no mark`);
        if (mark?.state === "sent") assert.strictEqual(destination.processed.get(id), 1, `${id} marked sent but not processed`);
        assert.ok(status !== undefined && ["already-sent", "sent", "in-doubt", "claimed-elsewhere", "refused", "no-answer"].includes(status), `${id}: ${status}`);
      }
      for (const blobName of blobs) {
        const inBlob = all.filter((e) => e.path.blobName === blobName);
        const marks = await Promise.all(inBlob.map((e) => store.ledgerGet(`_redelivery/PLATFORM-RUN-FAILED-ONCALL/${e.id}.json`)));
        const exists = await client.getBlobClient(blobName).exists();
        if (!exists) assert.ok(marks.every((m) => m?.state === "sent"), `${blobName} deleted before all its events were acknowledged`);
      }
    });
  }
});
