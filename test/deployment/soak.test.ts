/**
 * Seeded multi-process soak of the model deployer: the parent runs Azurite and one chaotic fake ARM
 * (the single source of truth), forks N worker processes that each run the real handler with the real
 * ARM client and the real blob lease, and delivers ModelRegistered events at least once, in any order,
 * redelivering failures up to the queue's maximum dequeue count, then dead-lettering them. The
 * invariants are checked against the fake ARM's log of applied changes and the acknowledgements.
 */
import * as assert from "assert";
import { ChildProcess, fork } from "child_process";
import { writeFileSync } from "fs";
import * as path from "path";
import { BlobServiceClient } from "@azure/storage-blob";
import { armPaths } from "../../lib/deployment/arm";
import { DEPLOYER_LEASE_CONTAINER, DEPLOYER_MAX_DEQUEUE_COUNT } from "../../lib/deployment/constants";
import { deploymentNameFor, DeployRule } from "../../lib/deployment/decision";
import { EventGridEvent, eventGridToCloudEvent } from "../../lib/events";
import { Azurite, startAzurite } from "../deadletter/azurite";
import { rng } from "../helpers/rng";
import { makeLocalCertificate } from "./armServer";
import { ChaosArm, LogEntry } from "./chaosArm";
import { WorkerInit, WorkerReply } from "./soakWorker";

const SUB = "00000000-0000-0000-0000-000000000000";
/** Four models on three endpoints: two serve alone, two share one endpoint (the second one as a canary). */
const MODELS = [
  { name: "churn_model", endpoint: "soak-solo-a", versions: 6, alone: true },
  { name: "fraud_model", endpoint: "soak-solo-b", versions: 6, alone: true },
  { name: "credit_model", endpoint: "soak-shared", versions: 5, alone: false },
  { name: "risk_model", endpoint: "soak-shared", versions: 5, alone: false },
] as const;
const RULES: DeployRule[] = MODELS.map((m) => ({ models: [m.name], tags: { type: ["soak"] }, endpointName: m.endpoint }));
const byDeployment = new Map<string, { model: string; version: number }>(
  MODELS.flatMap((m) => Array.from({ length: m.versions }, (_, i) => [deploymentNameFor(m.name, String(i + 1)), { model: m.name, version: i + 1 }] as const)),
);

interface Delivery {
  readonly id: string;
  readonly payload: unknown;
  readonly model: string;
  readonly version: string;
  attempts: number;
}

function registered(workspaceId: string, model: string, version: string): EventGridEvent {
  return {
    id: `evt-${model}-${version}`,
    topic: workspaceId,
    subject: `models/${model}:${version}`,
    eventType: "Microsoft.MachineLearningServices.ModelRegistered",
    eventTime: new Date(Date.UTC(2026, 0, 1, 0, Number(version))).toISOString(),
    data: { modelName: model, modelVersion: version, modelTags: { type: "soak" }, modelProperties: {} },
    dataVersion: "2",
    metadataVersion: "1",
  };
}

/** Every version once, then duplicates (at-least-once delivery), in either schema, shuffled. */
function deliveries(workspaceId: string, count: number, rand: () => number): Delivery[] {
  const originals = MODELS.flatMap((m) => Array.from({ length: m.versions }, (_, i) => registered(workspaceId, m.name, String(i + 1))));
  const events = [...originals];
  while (events.length < count) events.push(originals[Math.floor(rand() * originals.length)]);
  const out = events.map((e, i): Delivery => {
    const data = e.data as { modelName: string; modelVersion: string };
    return { id: `d${i}`, payload: rand() < 0.3 ? eventGridToCloudEvent(e) : e, model: data.modelName, version: data.modelVersion, attempts: 0 };
  });
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const share = (t: Record<string, number>, model: string, test: (v: number) => boolean): number =>
  Object.entries(t).reduce((n, [name, s]) => (byDeployment.get(name)?.model === model && test(byDeployment.get(name)?.version ?? 0) ? n + s : n), 0);
const servingModels = (t: Record<string, number>): string[] => [...new Set(Object.entries(t).filter(([, s]) => s > 0).map(([n]) => byDeployment.get(n)?.model ?? n))];
const sum = (t: Record<string, number>): number => Object.values(t).reduce((n, s) => n + s, 0);

/** Checks one applied traffic write against what was acknowledged before it. */
function checkWrite(e: Extract<LogEntry, { kind: "traffic" }>, acked: Map<string, number>, out: string[]): void {
  const total = sum(e.after);
  if (total !== 100 && !(total === 0 && servingModels(e.before).length === 0)) out.push(`${e.endpoint}: traffic sums to ${total}: ${JSON.stringify(e.after)}`);
  for (const m of servingModels(e.before)) {
    if (!servingModels(e.after).includes(m)) out.push(`${e.endpoint}: 0 % window for ${m}: ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}`);
  }
  for (const [model, h] of acked) {
    if (!MODELS.some((m) => m.name === model && e.endpoint.endsWith(`/onlineendpoints/${m.endpoint}`))) continue;
    if (share(e.after, model, (v) => v >= h) <= 0) out.push(`${e.endpoint}: rollback: ${model} v${h} was acknowledged, then ${JSON.stringify(e.after)} was applied`);
    if (share(e.after, model, (v) => v < h) > share(e.before, model, (v) => v < h)) out.push(`${e.endpoint}: traffic moved back to ${model} below v${h}: ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}`);
  }
}

/** Every invariant over the log and the final state; returns the violations (empty when all hold). */
function violations(log: readonly LogEntry[], arm: ChaosArm, workspaceId: string, total: number): string[] {
  const out: string[] = [];
  const servingAck = new Map<string, number>();
  const highestAck = new Map<string, number>();
  const created = new Map<string, number>();
  let settled = 0;
  for (const e of log) {
    if (e.kind === "traffic") checkWrite(e, servingAck, out);
    if (e.kind === "deployment-created") created.set(`${e.endpoint}/${e.deployment}`, (created.get(`${e.endpoint}/${e.deployment}`) ?? 0) + 1);
    // ARM PUTs are idempotent and the SDK's retry policy re-sends a request after a network error
    // (ECONNRESET: exponentialRetryStrategy in @typespec/ts-http-runtime, used by @azure/core-rest-pipeline):
    // the same body written again right after a reset is that re-send; any other rewrite is the handler's.
    if (e.kind === "deployment-rewritten" && !e.afterReset) out.push(`deployment ${e.deployment} written again after it was created (was ${e.previousState})`);
    if (e.kind === "dead-letter") settled += 1;
    if (e.kind !== "ack") continue;
    settled += 1;
    if (e.status === "failed") out.push(`delivery ${e.delivery} (${e.model}:${e.version}) acknowledged as failed: ${e.reason}`);
    const v = Number(e.version);
    if (v > (highestAck.get(e.model) ?? 0)) highestAck.set(e.model, v);
    if ((e.status === "deployed" || e.status === "up-to-date") && v > (servingAck.get(e.model) ?? 0)) servingAck.set(e.model, v);
  }
  for (const [k, n] of created) if (n > 1) out.push(`deployment ${k} created ${n} times`);
  if (settled !== total) out.push(`${settled} of ${total} deliveries acknowledged or dead-lettered`);
  for (const m of MODELS) {
    const h = highestAck.get(m.name);
    if (h === undefined) continue;
    const t = arm.traffic(armPaths.endpoint(workspaceId, m.endpoint));
    const mine = t[deploymentNameFor(m.name, String(h))] ?? 0;
    if (m.alone ? mine !== 100 : mine <= 0) out.push(`${m.name} v${h} (highest acknowledged) serves ${mine} % at the end: ${JSON.stringify(t)}`);
    if (sum(t) !== 100) out.push(`${m.endpoint} ends with traffic summing to ${sum(t)}`);
  }
  return out;
}

function startWorker(init: WorkerInit, onReply: (r: WorkerReply) => void): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, "soakWorker.js"), [], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (m: WorkerReply | { ready: true }) => ("ready" in m ? resolve(child) : onReply(m)));
    child.send(init);
  });
}

interface RunResult {
  readonly log: readonly LogEntry[];
  readonly arm: ChaosArm;
  readonly acked: number;
  readonly dead: number;
  readonly redelivered: number;
  readonly leaseWaits: number;
  readonly ms: number;
}

/**
 * Plays Event Grid and the queue: hands deliveries to worker processes (`SLOTS` in flight each), records
 * acknowledgements, redelivers failures later anywhere in the queue (at-least-once, unordered) up to the
 * deployer's maximum dequeue count, then dead-letters them.
 */
class Dispatcher {
  static readonly SLOTS = 2;
  redelivered = 0;
  /** Times a worker process waited for an endpoint lease another process (or a sibling call) held. */
  leaseWaits = 0;
  private readonly jobs = new Map<number, { delivery: Delivery; worker: number }>();
  private busy: number[] = [];
  private nextJob = 0;
  private waiting = 0;
  private finished: (() => void) | undefined;

  constructor(
    private readonly queue: Delivery[],
    private readonly children: ChildProcess[],
    private readonly log: LogEntry[],
    private readonly rand: () => number,
  ) {}

  /** Resolves when every delivery is acknowledged or dead-lettered; rejects after `ms`. Call once the workers are up. */
  run(ms: number): Promise<void> {
    this.busy = this.children.map(() => 0);
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`${this.queue.length + this.jobs.size + this.waiting} deliveries still open after ${ms} ms`)), ms);
      this.finished = () => {
        clearTimeout(deadline);
        resolve();
      };
      this.pump();
    });
  }

  reply(r: WorkerReply): void {
    const job = this.jobs.get(r.job);
    if (!job) return;
    this.jobs.delete(r.job);
    this.busy[job.worker] -= 1;
    this.leaseWaits += r.leaseWaits;
    const d = job.delivery;
    if (r.ok) {
      this.log.push({ kind: "ack", delivery: d.id, model: d.model, version: d.version, status: r.status, ...(r.deployment ? { deployment: r.deployment } : {}), ...(r.reason ? { reason: r.reason } : {}) });
    } else if (++d.attempts >= DEPLOYER_MAX_DEQUEUE_COUNT) {
      this.log.push({ kind: "dead-letter", delivery: d.id, model: d.model, version: d.version, error: `${r.name}: ${r.message}` });
    } else {
      this.redelivered += 1;
      this.waiting += 1;
      setTimeout(() => {
        this.waiting -= 1;
        this.queue.splice(Math.floor(this.rand() * (this.queue.length + 1)), 0, d);
        this.pump();
      }, 10 + Math.floor(this.rand() * 60));
    }
    this.pump();
  }

  private pump(): void {
    if (this.children.length === 0) return;
    for (let w = 0; w < this.children.length; w++) {
      while (this.busy[w] < Dispatcher.SLOTS && this.queue.length > 0) {
        const delivery = this.queue.shift() as Delivery;
        this.jobs.set(++this.nextJob, { delivery, worker: w });
        this.busy[w] += 1;
        this.children[w].send({ kind: "job", job: this.nextJob, payload: delivery.payload });
      }
    }
    if (this.queue.length === 0 && this.jobs.size === 0 && this.waiting === 0) this.finished?.();
  }
}

/** One soak run: a fresh chaotic ARM, `workers` processes, 120 deliveries, bounded at 25 s. */
async function soak(seed: number, workers: number, storage: string, tls: { key: string; cert: string }): Promise<RunResult & { workspaceId: string; total: number }> {
  const started = Date.now();
  const rand = rng(seed * 7919);
  const workspaceId = `/subscriptions/${SUB}/resourceGroups/rg-soak/providers/Microsoft.MachineLearningServices/workspaces/ws-soak-${seed}-${workers}`;
  const arm = new ChaosArm(tls, { seed, applyDelayMs: 60, resetRate: 0.2, resetFirstPut: true, throttleRate: 0.04, staleMs: 40 });
  const url = await arm.start();
  const queue = deliveries(workspaceId, 120, rand);
  const total = queue.length;
  const children: ChildProcess[] = [];
  const dispatcher = new Dispatcher(queue, children, arm.log, rand);
  const config = { workspaceId, rules: RULES, location: "westeurope", pollIntervalMs: 5, settleTimeoutMs: 3_000, readBackTimeoutMs: 1_500 };
  const init: WorkerInit = { kind: "init", armUrl: url, ca: tls.cert, storage, subscriptionId: SUB, config };
  try {
    children.push(...(await Promise.all(Array.from({ length: workers }, () => startWorker(init, (r) => dispatcher.reply(r))))));
    await dispatcher.run(25_000);
    // Accepted operations still running (a reset PUT's) finish before the final state is read.
    for (const end = Date.now() + 2_000; arm.pending() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    const log = [...arm.log];
    const count = (kind: LogEntry["kind"]): number => log.filter((e) => e.kind === kind).length;
    return { log, arm, acked: count("ack"), dead: count("dead-letter"), redelivered: dispatcher.redelivered, leaseWaits: dispatcher.leaseWaits, ms: Date.now() - started, workspaceId, total };
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await arm.stop();
  }
}

describe("deployer soak: several worker processes, one chaotic ARM, blob leases on Azurite", function () {
  this.timeout(120_000);
  const tls = makeLocalCertificate();
  let azurite: Azurite;
  before(async () => {
    azurite = await startAzurite();
    await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(DEPLOYER_LEASE_CONTAINER).create();
  });
  after(async () => azurite?.stop());

  for (const [seed, workers] of (process.env.SOAK_ONLY ? [[Number(process.env.SOAK_ONLY), Number(process.env.SOAK_WORKERS ?? 2)]] : [[101, 2], [202, 3], [303, 2], [404, 3]]) as [number, number][]) {
    it(`seed ${seed}, ${workers} processes: newest acknowledged serves, no rollback, no double creation, no 0 % window, every delivery settled`, async () => {
      const r = await soak(seed, workers, azurite.connectionString, tls);
      const faults = (f: string) => r.log.filter((e) => e.kind === "fault" && e.fault === f).length;
      const summary = `seed ${seed}, ${workers} processes: ${r.total} deliveries, ${r.acked} acknowledged, ${r.dead} dead-lettered, ${r.redelivered} redeliveries, ${r.leaseWaits} waits for a lease held by another process; ` +
        `${faults("throttle")} throttled, ${faults("reset")} resets, ${faults("conflict")} conflicts, ${r.log.filter((e) => e.kind === "deployment-rewritten").length} PUTs re-sent by the SDK after a reset, ${r.log.filter((e) => e.kind === "traffic").length} traffic writes; ${r.ms} ms`;
      console.log(`      ${summary}`);
      const v = violations(r.log, r.arm, r.workspaceId, r.total);
      if (v.length > 0 && process.env.SOAK_LOG) writeFileSync(process.env.SOAK_LOG, JSON.stringify(r.log, null, 1));
      assert.deepStrictEqual(v, [], summary);
      assert.ok(faults("reset") > 0 && faults("throttle") > 0, `the faults happened: ${summary}`);
      assert.ok(r.leaseWaits > 0, `the processes contended for endpoint leases: ${summary}`);
    });
  }

  it("the checker catches a rollback, a 0 % window, a bad sum and a double creation (it can fail)", () => {
    const ws = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w`;
    const ep = armPaths.endpoint(ws, "soak-solo-a").toLowerCase();
    const [v1, v2] = [deploymentNameFor("churn_model", "1"), deploymentNameFor("churn_model", "2")];
    const [c1, r1] = [deploymentNameFor("credit_model", "1"), deploymentNameFor("risk_model", "1")];
    const shared = armPaths.endpoint(ws, "soak-shared").toLowerCase();
    const log: LogEntry[] = [
      { kind: "deployment-created", endpoint: ep, deployment: v1, model: "m" },
      { kind: "deployment-created", endpoint: ep, deployment: v1, model: "m" },
      { kind: "deployment-rewritten", endpoint: ep, deployment: v1, previousState: "Succeeded", afterReset: false },
      { kind: "traffic", endpoint: ep, before: {}, after: { [v1]: 100 } },
      { kind: "ack", delivery: "d1", model: "churn_model", version: "2", status: "deployed" },
      { kind: "traffic", endpoint: ep, before: { [v2]: 100 }, after: { [v1]: 100, [v2]: 0 } },
      { kind: "traffic", endpoint: ep, before: { [v1]: 100 }, after: { [v1]: 0, [v2]: 90 } },
      { kind: "traffic", endpoint: shared, before: { [c1]: 90, [r1]: 10 }, after: { [c1]: 100, [r1]: 0 } },
    ];
    const v = violations(log, new ChaosArm({ key: "", cert: "" }, { seed: 1, applyDelayMs: 0, resetRate: 0, throttleRate: 0, staleMs: 0 }), ws, 2);
    for (const pattern of [/created 2 times/, /written again/, /rollback: churn_model v2/, /moved back to churn_model below v2/, /sums to 90/, /0 % window for risk_model/, /1 of 2 deliveries/, /serves 0 % at the end/]) {
      assert.ok(v.some((x) => pattern.test(x)), `${pattern} in ${JSON.stringify(v, null, 1)}`);
    }
  });
});
