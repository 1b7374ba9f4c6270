import * as assert from "assert";
import { sampleCloudEvents, sampleEvents } from "../../lib/events/samples";
import { groupDeadLetters, parseDeadLetterBlob, parseDeadLetterPath, selectEvents, DeadLetterPath } from "../../lib/deadletter/records";
import { CorruptLedgerEntry, ledgerKey, parseLedgerEntry } from "../../lib/deadletter/storage";
import { safeJson, safeText, safeValue } from "../../lib/deadletter/terminal";
import { redactUrl } from "../../lib/deadletter/destinations";

const GUID = "111111111-1111-1111-1111-111111111111";

describe("dead-letter blob layout", () => {
  it("parses Event Grid's path: upper-case subscription, unpadded UTC date and hour, optional topic segment", () => {
    const table: [string, Partial<DeadLetterPath> | undefined][] = [
      [`MY-BLOB-SUBSCRIPTION/2019/8/8/5/${GUID}.json`, { subscription: "MY-BLOB-SUBSCRIPTION", hour: "2019-08-08T05:00:00Z" }],
      [`PLATFORM-EMAIL-ALERTS/2026/11/22/23/${GUID}.json`, { subscription: "PLATFORM-EMAIL-ALERTS", hour: "2026-11-22T23:00:00Z" }],
      [`MLW-PLATFORM-TOPIC/PLATFORM-RETRAIN-DRIFT/2026/1/2/0/${GUID}.json`, { topic: "MLW-PLATFORM-TOPIC", subscription: "PLATFORM-RETRAIN-DRIFT", hour: "2026-01-02T00:00:00Z" }],
      [`SUB/2026/13/1/1/${GUID}.json`, undefined],
      [`SUB-A/2026/1/1/24/${GUID}.json`, undefined],
      [`SUB-A/2026/1/1/1/${GUID}.txt`, undefined],
      ["readme.txt", undefined],
      [`_redelivery/SUB-A/x.json`, undefined],
      // Hostile or foreign names: never read as events, never deleted.
      [`../other-container/SUB-A/2026/1/1/1/${GUID}.json`, undefined],
      [`../SUB-A/2026/1/1/1/${GUID}.json`, undefined],
      [`./SUB-A/2026/1/1/1/${GUID}.json`, undefined],
      [`SUB-A/2026/1/1/1/../${GUID}.json`, undefined],
      [`SUB-A/2026/1/1/1/..%2F${GUID}.json`, undefined],
      [`%2e%2e/SUB-A/2026/1/1/1/${GUID}.json`, undefined],
      [`/SUB-A/2026/1/1/1/${GUID}.json`, undefined],
      [`SUB-A//2026/1/1/1/${GUID}.json`, undefined],
      [`A/B/SUB-A/2026/1/1/1/${GUID}.json`, undefined],
      [`SUB-A/2026/1/1/1/notes.json`, undefined],
      [`SUB-A/2026/1/1/1/${GUID}.json\u001b[2J`, undefined],
      [`SUB_A/2026/1/1/1/${GUID}.json`, undefined],
    ];
    for (const [name, expected] of table) {
      const got = parseDeadLetterPath(name);
      if (expected === undefined) assert.strictEqual(got, undefined, name);
      else assert.deepStrictEqual(got, { blobName: name, ...expected }, name);
    }
  });
});

describe("dead-letter blob content", () => {
  const path = parseDeadLetterPath(`PLATFORM-EMAIL-ALERTS/2026/11/22/9/${GUID}.json`)!;

  it("reads Event Grid and CloudEvents events, keeps the original event apart from the dead-letter fields", () => {
    const [eg] = sampleEvents();
    const [ce] = sampleCloudEvents();
    const text = JSON.stringify([
      { ...eg, deadLetterReason: "MaxDeliveryAttemptsExceeded", deliveryAttempts: 30, lastDeliveryOutcome: "InternalServerError", lastHttpStatusCode: 500, publishTime: "2026-11-22T08:00:00Z", lastDeliveryAttemptTime: "2026-11-22T09:10:00Z" },
      { ...ce, deadLetterReason: "TimeToLiveExceeded", deliveryAttempts: "4", lastDeliveryOutcome: "TimedOut" },
    ]);
    const { events, problems } = parseDeadLetterBlob(path, text);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(events.map((e) => [e.schema, e.id, e.eventType, e.deadLetterReason, e.deliveryAttempts, e.lastHttpStatusCode]), [
      ["EventGrid", eg.id, eg.eventType, "MaxDeliveryAttemptsExceeded", 30, 500],
      ["CloudEvents", ce.id, ce.type, "TimeToLiveExceeded", 4, undefined],
    ]);
    assert.deepStrictEqual(events[0].original, eg);
    assert.deepStrictEqual(events[1].original, ce);
  });

  it("reports corrupt blobs and bad elements instead of throwing", () => {
    assert.match(parseDeadLetterBlob(path, "{not json").problems[0].problem, /^not JSON/);
    const mixed = parseDeadLetterBlob(path, JSON.stringify([42, { id: "x" }, { ...sampleEvents()[0] }]));
    assert.deepStrictEqual(mixed.problems.map((p) => p.problem), ["element 0 is not a JSON object", "element 1 has no eventType; not an Event Grid or CloudEvents event"]);
    assert.strictEqual(mixed.events.length, 1);
    assert.strictEqual(mixed.events[0].deadLetterReason, "unknown");
  });

  it("groups by subscription and reason, and selects reproducibly", () => {
    const p2 = parseDeadLetterPath(`PLATFORM-RETRAIN-DRIFT/2026/11/21/3/${GUID}.json`)!;
    const dl = (e: object, reason: string, status: number) => ({ ...e, deadLetterReason: reason, lastHttpStatusCode: status, lastDeliveryOutcome: "Probation" });
    const [a, b, c] = sampleEvents();
    const events = [
      ...parseDeadLetterBlob(path, JSON.stringify([dl(a, "MaxDeliveryAttemptsExceeded", 500), dl(b, "MaxDeliveryAttemptsExceeded", 503)])).events,
      ...parseDeadLetterBlob(p2, JSON.stringify([dl(c, "TimeToLiveExceeded", 500)])).events,
    ];
    assert.deepStrictEqual(groupDeadLetters(events), [
      { subscription: "PLATFORM-EMAIL-ALERTS", reason: "MaxDeliveryAttemptsExceeded", count: 2, outcomes: { "500 Probation": 1, "503 Probation": 1 }, eventTypes: [a.eventType, b.eventType].sort(), oldest: "2026-11-22T09:00:00Z", newest: "2026-11-22T09:00:00Z" },
      { subscription: "PLATFORM-RETRAIN-DRIFT", reason: "TimeToLiveExceeded", count: 1, outcomes: { "500 Probation": 1 }, eventTypes: [c.eventType], oldest: "2026-11-21T03:00:00Z", newest: "2026-11-21T03:00:00Z" },
    ]);
    assert.deepStrictEqual(selectEvents(events, { subscription: "platform-email-alerts" }).map((e) => e.id), [a.id, b.id]);
    assert.deepStrictEqual(selectEvents(events, { reason: "timetoliveexceeded" }).map((e) => e.id), [c.id]);
    // Oldest hour first: c was dead-lettered the day before b.
    assert.deepStrictEqual(selectEvents(events, { ids: [b.id, c.id], limit: 1 }).map((e) => e.id), [c.id]);
  });

  it("reads an event nested too deeply to serialise, without throwing (redeliver reports it unsendable, never in doubt)", () => {
    const deep = "[".repeat(100000) + "]".repeat(100000);
    const { events, problems } = parseDeadLetterBlob(path, `[{"id":"deep-1","eventType":"T","data":${deep}}]`);
    assert.deepStrictEqual([events.length, problems], [1, []]);
    assert.throws(() => JSON.stringify(events[0].original), RangeError);
  });

  it("refuses a corrupt ledger mark with a message naming it and the fix", () => {
    for (const text of ["{not json", "[]", "null", JSON.stringify({ state: "done", eventId: "x", destination: "d", at: "t" }), JSON.stringify({ state: "sent" })]) {
      assert.throws(() => parseLedgerEntry("_redelivery/SUB/x.json", text), (e: unknown) => e instanceof CorruptLedgerEntry && /redelivery mark _redelivery\/SUB\/x\.json is unreadable .*delete the mark blob/.test(e.message), text);
    }
    assert.deepStrictEqual(parseLedgerEntry("k", JSON.stringify({ state: "sent", eventId: "x", blobName: "b", destination: "d", at: "t" })).state, "sent");
  });

  it("escapes terminal control sequences, C1 controls and bidirectional overrides in everything printed", () => {
    const hostile = "Max\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\r\nfake line";
    assert.strictEqual(safeValue(hostile), "Max\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202eevil\\u000d\\u000afake line");
    assert.strictEqual(safeText("a\tb\nc\u001b"), "a\tb\nc\\u001b");
    const json = safeJson({ reason: hostile });
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(json), json);
    assert.deepStrictEqual(JSON.parse(json), { reason: hostile }, "still the same JSON value");
  });

  it("keys the ledger by subscription and event id, and hides URL secrets", () => {
    assert.strictEqual(ledgerKey("platform-email-alerts", "a/b c"), "_redelivery/PLATFORM-EMAIL-ALERTS/a%2Fb%20c.json");
    assert.strictEqual(redactUrl("https://prod-1.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sig=SECRET"), "https://prod-1.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?[redacted]");
  });
});

describe("dead-letter runbook (docs/guides/dead-letters-runbook.md)", () => {
  it("uses only subcommands and options the command defines", async () => {
    const fs = await import("fs");
    const path = await import("path");
    const { deadletterCommand } = await import("../../lib/deadletter/command");
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "docs", "guides", "dead-letters-runbook.md"), "utf8");
    const lines = readme.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("aml-events deadletter"));
    assert.ok(lines.length >= 5, `runbook commands found: ${lines.length}`);
    const root = deadletterCommand();
    const flagsOf = (c: typeof root) => c.options.map((o) => o.long);
    for (const line of lines) {
      const words = line.split(/\s+/);
      const sub = root.commands.find((c) => words.includes(c.name()));
      assert.ok(sub, `${line}: names a subcommand`);
      const known = new Set([...flagsOf(root), ...flagsOf(sub!)]);
      for (const flag of words.filter((w) => w.startsWith("--"))) assert.ok(known.has(flag), `${line}: ${flag} is not an option of deadletter ${sub!.name()}`);
    }
  });
});
