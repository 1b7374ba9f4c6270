/**
 * Seeded soaks of the email and retrain workflows in the simulator, driven the way Event Grid drives a
 * Logic App webhook: one event per request, at-least-once (duplicate deliveries), out of order, retried
 * on 429/5xx (up to 30 attempts, the default maxDeliveryAttempts), dead-lettered at once on 400.
 * The services behind the workflows answer 429, 500, 503 and (ARM, while a role propagates) 403; the
 * ACS mock deduplicates on Repeatability-Request-Id as Microsoft documents, and sometimes loses its
 * answer after sending (the "retry after a timeout" case).
 */
import * as assert from "assert";
import { AmlEventType, documentedSampleEvents, EventGridEvent, monitoringSampleEvents, SAMPLE_WORKSPACE_ID, sampleEvents } from "../../lib/events";
import { buildEmailAlertsDefinition, MODEL_MONITOR_BREACH_ALERT } from "../../lib/notifications";
import { buildDriftRetrainDefinition, createRunUrl, DEFAULT_PARAMETER_MAPPING, DriftRetrainDefinitionOptions, queryPipelineRunsUrl, workflowParameterValues } from "../../lib/retraining";
import { SimulatedHttpResponse, simulateWorkflow, SimulatedDefinition } from "../../lib/simulate";
import { rng } from "../helpers/rng";

const WS = SAMPLE_WORKSPACE_ID;
const NOW = "2026-12-04T16:00:00Z";
const MAX_ATTEMPTS = 30;
const FIRST_DELIVERIES = 1000;

/** What a delivered event should come to: ledger keys it must produce once, nothing (skipped), or a 400. */
type Expectation = { readonly kind: "good"; readonly keys: readonly string[] } | { readonly kind: "skip"; readonly id: string } | { readonly kind: "bad" };
interface Item {
  readonly event: unknown;
  readonly expect: Expectation;
}

/** A fake downstream service: answers the workflow's calls and keeps a ledger of effects by key. */
interface Service {
  readonly answer: (name: string, inputs: unknown, attempt: number) => SimulatedHttpResponse;
  /** Effects (sends, started runs) by key. */
  readonly ledger: Map<string, number>;
  readonly calls: { n: number; faults: number };
}

interface SoakFigures {
  deliveries: number;
  firstDeliveries: number;
  redeliveries: number;
  byStatus: Record<number, number>;
  good: number;
  skipped: number;
  bad: number;
  duplicates: number;
  deadLettered: number;
  maxAttemptsSeen: number;
}

/**
 * Faults in bursts as well as one-offs: now and then the service answers 429 or 503 to every call
 * for a while (5 to 14 calls), longer than an Http action's own 4 retries can ride out, so the
 * workflow has to answer Event Grid with a retryable status.
 */
function faults(rand: () => number): () => number | undefined {
  let left = 0;
  let code = 503;
  return () => {
    if (left > 0) return (left--, code);
    const roll = rand();
    if (roll < 0.025) {
      left = 4 + Math.floor(rand() * 10);
      code = rand() < 0.5 ? 429 : 503;
      return code;
    }
    if (roll < 0.1) return 429;
    if (roll < 0.14) return 503;
    if (roll < 0.17) return 500;
    return undefined;
  };
}

function headerOf(inputs: unknown, name: string): string {
  const headers = (inputs as { headers?: Record<string, string> }).headers ?? {};
  return headers[name] ?? "";
}

/** Runs every first delivery, then Event Grid's redeliveries, in a seeded shuffled order. */
function soak(definition: SimulatedDefinition, parameters: Record<string, { value: unknown }>, items: readonly Item[], service: Service, rand: () => number): SoakFigures {
  const figures: SoakFigures = { deliveries: 0, firstDeliveries: items.length, redeliveries: 0, byStatus: {}, good: 0, skipped: 0, bad: 0, duplicates: 0, deadLettered: 0, maxAttemptsSeen: 0 };
  const queue = items.map((item) => ({ item, attempt: 1 }));
  while (queue.length > 0) {
    // Reordering: any of the next 16 pending deliveries may go first.
    const [d] = queue.splice(Math.floor(rand() * Math.min(16, queue.length)), 1);
    const r = simulateWorkflow(definition, { body: [d.item.event] }, { parameters, now: NOW, httpResponses: service.answer });
    const status = r.response?.statusCode ?? 0;
    figures.deliveries++;
    if (d.attempt > 1) figures.redeliveries++;
    figures.maxAttemptsSeen = Math.max(figures.maxAttemptsSeen, d.attempt);
    figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
    const where = `delivery ${figures.deliveries} (attempt ${d.attempt}) of ${JSON.stringify(d.item.event).slice(0, 160)}`;
    assert.ok([200, 400, 429, 503].includes(status), `${where}: answered ${status}`);
    const expect = d.item.expect;
    if (expect.kind === "bad") {
      assert.strictEqual(status, 400, `${where}: a malformed event must be answered 400`);
      continue;
    }
    assert.notStrictEqual(status, 400, `${where}: a well-formed event was answered 400`);
    if (status === 200) {
      // Nothing answered 2xx without being handled: every effect this event owes exists now.
      if (expect.kind === "good") for (const k of expect.keys) assert.ok((service.ledger.get(k) ?? 0) >= 1, `${where}: answered 200 but '${k}' never happened`);
      continue;
    }
    if (d.attempt < MAX_ATTEMPTS) queue.push({ item: d.item, attempt: d.attempt + 1 });
    else figures.deadLettered++;
  }
  return figures;
}

/** Deliveries: fresh events from `make`, plus duplicates of earlier deliveries (at-least-once). */
function deliveries(rand: () => number, make: (i: number) => Item, duplicateRate: number): Item[] {
  const out: Item[] = [];
  for (let i = 0; out.length < FIRST_DELIVERIES; i++) {
    if (out.length > 0 && rand() < duplicateRate) out.push(out[Math.max(0, out.length - 1 - Math.floor(rand() * 20))]);
    else out.push(make(i));
  }
  return out;
}

function guid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** The documented PascalCase form of a camelCase payload (top-level data keys only; tag names stay). */
function pascal(event: EventGridEvent): EventGridEvent {
  const data = Object.fromEntries(Object.entries(event.data as Record<string, unknown>).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]));
  return { ...event, data };
}

function withData(event: EventGridEvent, patch: Record<string, unknown>): EventGridEvent {
  return { ...event, data: { ...(event.data as Record<string, unknown>), ...patch } };
}

const GARBAGE: readonly ((e: EventGridEvent) => unknown)[] = [
  () => "garbage",
  () => 17,
  (e) => ({ ...e, id: undefined }),
  (e) => ({ ...e, eventType: "" }),
  (e) => ({ ...e, data: "not an object" }),
  (e) => ({ ...e, data: null }),
  (e) => ({ ...e, data: ["a", "b"] }),
];

function garbage(rand: () => number, base: EventGridEvent): Item {
  return { event: GARBAGE[Math.floor(rand() * GARBAGE.length)](base), expect: { kind: "bad" } };
}

function tally(items: readonly Item[], figures: SoakFigures): void {
  const seen = new Set<Item>();
  for (const item of items) {
    if (seen.has(item)) figures.duplicates++;
    else if (item.expect.kind === "good") figures.good++;
    else if (item.expect.kind === "skip") figures.skipped++;
    else figures.bad++;
    seen.add(item);
  }
}

function report(label: string, f: SoakFigures, service: Service, extra = ""): void {
  const statuses = Object.entries(f.byStatus).map(([s, n]) => `${s}×${n}`).join(" ");
  console.log(
    `      soak ${label}: ${f.firstDeliveries} first deliveries (${f.good} good, ${f.skipped} to skip, ${f.bad} malformed, ${f.duplicates} duplicates) + ` +
      `${f.redeliveries} redeliveries = ${f.deliveries}; answers ${statuses}; service calls ${service.calls.n}, faults ${service.calls.faults}; ` +
      `max attempts ${f.maxAttemptsSeen}, dead-lettered after retries ${f.deadLettered}${extra}`,
  );
}

// ---------------------------------------------------------------- email

const RULE_INDEX = { failed: 0, breach: 1, registered: 2 } as const;
const requestId = (eventId: string, rule: number): string => eventId.toLowerCase().slice(0, 33) + rule.toString(16).padStart(3, "0");
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** ACS Email: 429/503/500 faults (nothing sent), dedupe on Repeatability-Request-Id, sometimes a lost answer after sending. */
function acs(rand: () => number): Service & { dedupeHits: { n: number }; lostAnswers: { n: number } } {
  const ledger = new Map<string, number>();
  const calls = { n: 0, faults: 0 };
  const dedupeHits = { n: 0 };
  const lostAnswers = { n: 0 };
  const fault = faults(rand);
  const answer = (_name: string, inputs: unknown): SimulatedHttpResponse => {
    calls.n++;
    const id = headerOf(inputs, "Repeatability-Request-Id");
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(headerOf(inputs, "Repeatability-First-Sent"), IMF_FIXDATE);
    const code = fault();
    if (code !== undefined) return (calls.faults++, { statusCode: code, headers: code === 429 ? { "Retry-After": "60" } : {} });
    if (ledger.has(id)) return (dedupeHits.n++, { statusCode: 202, headers: { "Operation-Location": "https://acs.example/emails/operations/x" } });
    ledger.set(id, (ledger.get(id) ?? 0) + 1);
    if (rand() < 0.05) return (lostAnswers.n++, calls.faults++, { statusCode: 504 });
    return { statusCode: 202, headers: { "Operation-Location": "https://acs.example/emails/operations/x" } };
  };
  return { answer, ledger, calls, dedupeHits, lostAnswers };
}

function emailItem(rand: () => number, i: number): Item {
  const id = guid(rand);
  const casing = rand() < 0.5 ? (e: EventGridEvent) => e : pascal;
  const roll = rand();
  const [registered, , , , runFailed] = sampleEvents();
  const [breach, laterFailed] = monitoringSampleEvents();
  const runId = `run-${i}`;
  if (roll < 0.3) return { event: casing({ ...withData(runFailed, { runId }), id }), expect: { kind: "good", keys: [requestId(id, RULE_INDEX.failed)] } };
  // A breach (Completed, or its later Failed) is mailed once, by the breach rule only.
  if (roll < 0.45) return { event: casing({ ...withData(rand() < 0.5 ? breach : laterFailed, { runId }), id }), expect: { kind: "good", keys: [requestId(id, RULE_INDEX.breach)] } };
  if (roll < 0.6) return { event: casing({ ...withData(registered, { modelVersion: String(i) }), id }), expect: { kind: "good", keys: [requestId(id, RULE_INDEX.registered)] } };
  if (roll < 0.7) return { event: casing({ ...withData(breach, { runStatus: "Running" }), id }), expect: { kind: "skip", id } }; // tagged, still running
  if (roll < 0.78) return { event: { ...runFailed, id, topic: WS.replace("mlw-platform", "mlw-other") }, expect: { kind: "skip", id } };
  if (roll < 0.82) return { event: { ...documentedSampleEvents()[3], id }, expect: { kind: "skip", id } };
  return garbage(rand, { ...runFailed, id });
}

describe("soak: email workflow, 1,000 Event Grid deliveries with duplicates, garbage, 429s and 5xx", () => {
  it("every good event ends in exactly one send per matching rule, every malformed one in 400, no 200 before the sends", function () {
    this.timeout(120_000);
    const rand = rng(20261204);
    const definition = buildEmailAlertsDefinition({ recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.RunStatusChanged }, MODEL_MONITOR_BREACH_ALERT, AmlEventType.ModelRegistered] });
    const parameters = { workspaceId: { value: WS }, emailEndpoint: { value: "https://acs.example" }, senderAddress: { value: "DoNotReply@example.azurecomm.net" } };
    const items = deliveries(rand, (i) => emailItem(rand, i), 0.1);
    const service = acs(rand);
    const figures = soak(definition, parameters, items, service, rand);
    tally(items, figures);
    const owed = new Set(items.flatMap((i) => (i.expect.kind === "good" ? i.expect.keys : [])));
    assert.deepStrictEqual([...service.ledger.keys()].sort(), [...owed].sort(), "the sends are exactly the owed (event, rule) pairs");
    assert.ok([...service.ledger.values()].every((n) => n === 1), "no (event, rule) pair was mailed twice");
    assert.strictEqual(figures.deadLettered, 0);
    assert.ok(figures.duplicates > 50 && figures.bad > 100 && service.calls.faults > 100 && service.dedupeHits.n > 10, JSON.stringify(figures));
    assert.ok((figures.byStatus[429] ?? 0) > 5 && (figures.byStatus[503] ?? 0) > 5 && figures.redeliveries > 10, JSON.stringify(figures));
    report("email", figures, service, `; sends ${service.ledger.size}, deduplicated repeats ${service.dedupeHits.n}, lost answers ${service.lostAnswers.n}`);
  });
});

// ---------------------------------------------------------------- retrain

const FACTORY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform";

/** Data Factory through ARM: 403 for the first calls (role propagation), then 429/500/503 faults; createRun starts a run, queryPipelineRuns lists them. */
function adf(rand: () => number): Service & { runs: { runId: string; parameters: Record<string, unknown> }[] } {
  const ledger = new Map<string, number>();
  const calls = { n: 0, faults: 0 };
  const runs: { runId: string; parameters: Record<string, unknown> }[] = [];
  const fault = faults(rand);
  const answer = (_name: string, inputs: unknown): SimulatedHttpResponse => {
    calls.n++;
    const { uri, body } = inputs as { uri: string; body: Record<string, unknown> };
    if (calls.n <= 20) return (calls.faults++, { statusCode: 403, body: { error: { code: "AuthorizationFailed" } } });
    const code = fault();
    if (code !== undefined) return (calls.faults++, { statusCode: code, headers: code === 429 ? { "Retry-After": "30" } : {} });
    if (uri.includes("/queryPipelineRuns?")) return { statusCode: 200, body: { value: runs.map((r) => ({ ...r, status: "InProgress" })) } };
    assert.match(uri, /\/pipelines\/retrain-on-drift\/createRun\?api-version=2018-06-01$/);
    const key = String(body.dataDriftId);
    ledger.set(key, (ledger.get(key) ?? 0) + 1);
    const runId = `run-${runs.length}`;
    runs.push({ runId, parameters: body });
    return { statusCode: 200, body: { runId } };
  };
  return { answer, ledger, calls, runs };
}

function driftItem(rand: () => number): Item {
  const [, , , drift] = sampleEvents();
  const id = guid(rand);
  const monitor = guid(rand);
  const casing = rand() < 0.5 ? (e: EventGridEvent) => e : pascal;
  const roll = rand();
  if (roll < 0.6) return { event: casing({ ...withData(drift, { dataDriftId: monitor, driftCoefficient: 0.5 + rand() / 2 }), id }), expect: { kind: "good", keys: [monitor] } };
  if (roll < 0.7) return { event: casing({ ...withData(drift, { dataDriftId: monitor, driftCoefficient: rand() * 0.49 }), id }), expect: { kind: "skip", id } };
  if (roll < 0.75) return { event: { ...withData(drift, { dataDriftId: monitor }), id, topic: WS.replace("mlw-platform", "mlw-other") }, expect: { kind: "skip", id } };
  if (roll < 0.8) return { event: { ...sampleEvents()[4], id }, expect: { kind: "skip", id } };
  return garbage(rand, { ...drift, id });
}

function retrainSoak(seed: number, options: Partial<DriftRetrainDefinitionOptions>) {
  const rand = rng(seed);
  const definition = buildDriftRetrainDefinition({ mapping: DEFAULT_PARAMETER_MAPPING, driftMonitorNames: ["myDriftMonitor"], minimumDriftCoefficient: 0.5, ...options });
  const parameters = workflowParameterValues({ workspaceId: WS, createRunUri: createRunUrl(FACTORY, "retrain-on-drift"), queryPipelineRunsUri: queryPipelineRunsUrl(FACTORY), pipelineName: "retrain-on-drift" });
  const items = deliveries(rand, () => driftItem(rand), 0.1);
  const service = adf(rand);
  const figures = soak(definition, parameters, items, service, rand);
  tally(items, figures);
  return { items, service, figures };
}

/** How many times each good event (by its monitor key) was delivered as a first delivery. */
function copies(items: readonly Item[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) if (i.expect.kind === "good") out.set(i.expect.keys[0], (out.get(i.expect.keys[0]) ?? 0) + 1);
  return out;
}

describe("soak: retrain workflow (legacy DatasetDriftDetected), 1,000 deliveries with duplicates, garbage, 403s, 429s and 5xx", () => {
  it("with a cool-down: every good event starts exactly one run, duplicates included; malformed ones get 400", function () {
    this.timeout(120_000);
    const { items, service, figures } = retrainSoak(7001, { coolDown: { hours: 24, parameter: "dataDriftId" } });
    assert.deepStrictEqual([...service.ledger.keys()].sort(), [...copies(items).keys()].sort());
    assert.ok([...service.ledger.values()].every((n) => n === 1), "a monitor's drift started two runs");
    assert.strictEqual(figures.deadLettered, 0);
    assert.ok(figures.duplicates > 50 && figures.bad > 100 && service.calls.faults > 100, JSON.stringify(figures));
    assert.ok((figures.byStatus[429] ?? 0) > 5 && (figures.byStatus[503] ?? 0) > 5 && figures.redeliveries > 10, JSON.stringify(figures));
    report("retrain with cool-down", figures, service, `; runs started ${service.runs.length}`);
  });

  it("without a cool-down: every delivered copy of a good event starts one run (createRun has no idempotency key), malformed ones get 400", function () {
    this.timeout(120_000);
    const { items, service, figures } = retrainSoak(7002, {});
    const owed = copies(items);
    assert.deepStrictEqual([...service.ledger.entries()].sort(), [...owed.entries()].sort(), "one run per delivered copy, none lost to a failure");
    const extra = [...owed.values()].reduce((a, n) => a + n - 1, 0);
    assert.strictEqual(figures.deadLettered, 0);
    assert.ok(extra > 10 && figures.bad > 100 && service.calls.faults > 100, JSON.stringify(figures));
    assert.ok((figures.byStatus[429] ?? 0) > 5 && (figures.byStatus[503] ?? 0) > 5 && figures.redeliveries > 10, JSON.stringify(figures));
    report("retrain without cool-down", figures, service, `; runs started ${service.runs.length}, of which ${extra} by duplicate deliveries`);
  });
});
