import * as assert from "assert";
import { AmlEventType, documentedSampleEvents, EventGridEvent, sampleEvents } from "../../lib/events";
import {
  advanced,
  AdvancedFilter,
  compileFilter,
  driftCoefficientAtLeast,
  evaluateFilter,
  EventFilter,
  explainFilter,
  InvalidFilterError,
  modelTagEquals,
  runStatusIn,
} from "../../lib/filters";

/** An Event Grid schema event with `data`; envelope overrides in `extra`. */
function event(data: unknown, extra: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    id: "e-1",
    topic: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w",
    subject: "models/churn:3",
    eventType: AmlEventType.ModelRegistered,
    eventTime: "2024-01-01T00:00:00Z",
    dataVersion: "2",
    metadataVersion: "1",
    data,
    ...extra,
  };
}

type Row = readonly [description: string, data: unknown, expected: boolean];

/** Runs rows of `data` → expected against one advanced filter (arrays flag as given). */
function table(filter: AdvancedFilter | Record<string, unknown>, rows: readonly Row[], arrays = false): void {
  for (const [description, data, expected] of rows) {
    it(`${description} → ${expected ? "match" : "no match"}`, () => {
      const f = { enableAdvancedFilteringOnArrays: arrays, advancedFilters: [filter] };
      assert.strictEqual(evaluateFilter(f, event(data)), expected);
      assert.strictEqual(explainFilter(f, event(data)) === undefined, expected, "explainFilter agrees");
    });
  }
}

// Rows marked "doc" reproduce the examples of Microsoft's "Understand event filtering for Event Grid
// subscriptions" (advanced filtering: one section per operator, the missing-key note, IsNullOrUndefined).
describe("filters: evaluateFilter — Microsoft's operator examples", () => {
  describe("NumberIn data.counter [5, 1]", () => {
    table({ operatorType: "NumberIn", key: "data.counter", values: [5, 1] }, [
      ["doc: counter 5", { counter: 5 }, true],
      ["doc: counter 1", { counter: 1 }, true],
      ["counter 2", { counter: 2 }, false],
      ["doc note: key missing", { other: 5 }, false],
      ["null", { counter: null }, false],
      ["array, flag off", { counter: [5] }, false],
    ]);
    table(
      { operatorType: "NumberIn", key: "data.counter", values: [5, 1] },
      [
        ["doc pseudo-code: array [0, 0, 1, 2, 3], flag on", { counter: [0, 0, 1, 2, 3] }, true],
        ["array [2, 3], flag on", { counter: [2, 3] }, false],
        ["doc: elements of another type are ignored: [\"5\", 1]", { counter: ["5", 1] }, true],
        ["array of objects, flag on", { counter: [{ v: 5 }, 5] }, false],
        ["empty array, flag on", { counter: [] }, false],
      ],
      true,
    );
  });

  describe("NumberNotIn data.counter [41, 0]", () => {
    table({ operatorType: "NumberNotIn", key: "data.counter", values: [41, 0] }, [
      ["doc: counter 5", { counter: 5 }, true],
      ["doc: counter 41", { counter: 41 }, false],
      ["doc: counter 0", { counter: 0 }, false],
      ["doc note: key missing matches", {}, true],
      ["array, flag off", { counter: [5] }, false],
    ]);
    table(
      { operatorType: "NumberNotIn", key: "data.counter", values: [41, 0] },
      [
        ["doc pseudo-code: [1, 2, 3], flag on", { counter: [1, 2, 3] }, true],
        ["doc pseudo-code: any element hits, [1, 41]", { counter: [1, 41] }, false],
        ["elements of another type are ignored: [\"41\", 1]", { counter: ["41", 1] }, true],
        ["empty array, flag on", { counter: [] }, true],
      ],
      true,
    );
  });

  describe("NumberLessThan / NumberGreaterThan / …OrEquals (doc values 100, 20, 100, 30)", () => {
    table({ operatorType: "NumberLessThan", key: "data.counter", value: 100 }, [
      ["99", { counter: 99 }, true],
      ["100 (strict)", { counter: 100 }, false],
      ["-1e9", { counter: -1e9 }, true],
      ["missing", {}, false],
    ]);
    table({ operatorType: "NumberGreaterThan", key: "data.counter", value: 20 }, [
      ["21", { counter: 21 }, true],
      ["20 (strict)", { counter: 20 }, false],
      ["20.0001", { counter: 20.0001 }, true],
    ]);
    table({ operatorType: "NumberLessThanOrEquals", key: "data.counter", value: 100 }, [
      ["100", { counter: 100 }, true],
      ["101", { counter: 101 }, false],
    ]);
    table({ operatorType: "NumberGreaterThanOrEquals", key: "data.counter", value: 30 }, [
      ["30", { counter: 30 }, true],
      ["29.99", { counter: 29.99 }, false],
      ["missing", {}, false],
    ]);
    table(
      { operatorType: "NumberGreaterThan", key: "data.counter", value: 20 },
      [
        ["doc pseudo-code: [5, 25], flag on", { counter: [5, 25] }, true],
        ["[5, 20], flag on", { counter: [5, 20] }, false],
      ],
      true,
    );
  });

  describe("NumberInRange data.key1 [[3.14159, 999.95], [3000, 4000]]", () => {
    const ranges = [[3.14159, 999.95], [3000, 4000]];
    table({ operatorType: "NumberInRange", key: "data.key1", values: ranges }, [
      ["low end is inclusive: 3.14159", { key1: 3.14159 }, true],
      ["high end is inclusive: 999.95", { key1: 999.95 }, true],
      ["between ranges: 1000", { key1: 1000 }, false],
      ["second range: 3500", { key1: 3500 }, true],
      ["4000", { key1: 4000 }, true],
      ["4000.01", { key1: 4000.01 }, false],
      ["3", { key1: 3 }, false],
      ["missing", {}, false],
    ]);
    table({ operatorType: "NumberNotInRange", key: "data.key1", values: ranges }, [
      ["1000", { key1: 1000 }, true],
      ["3500", { key1: 3500 }, false],
      ["999.95", { key1: 999.95 }, false],
      ["chosen: missing key does not match", {}, false],
    ]);
    table(
      { operatorType: "NumberNotInRange", key: "data.key1", values: ranges },
      [
        ["[1, 2000], flag on", { key1: [1, 2000] }, true],
        ["doc pseudo-code: [1, 3500] fails", { key1: [1, 3500] }, false],
      ],
      true,
    );
  });

  describe("BoolEquals data.isEnabled true", () => {
    table({ operatorType: "BoolEquals", key: "data.isEnabled", value: true }, [
      ["doc: true", { isEnabled: true }, true],
      ["false", { isEnabled: false }, false],
      ["the string \"true\" (no coercion)", { isEnabled: "true" }, false],
      ["missing", {}, false],
    ]);
    table({ operatorType: "BoolEquals", key: "data.isEnabled", value: true }, [["[false, true], flag on", { isEnabled: [false, true] }, true]], true);
  });

  describe("StringContains data.key1 [\"microsoft\", \"azure\"]", () => {
    table({ operatorType: "StringContains", key: "data.key1", values: ["microsoft", "azure"] }, [
      ["doc: \"azure data factory\"", { key1: "azure data factory" }, true],
      ["case-insensitive: \"MICROSOFT Fabric\"", { key1: "MICROSOFT Fabric" }, true],
      ["\"aws lambda\"", { key1: "aws lambda" }, false],
      ["doc note: missing", {}, false],
      ["null", { key1: null }, false],
    ]);
    table({ operatorType: "StringContains", key: "data.key1", values: ["microsoft", "azure"] }, [["[\"aws\", \"Azure\"], flag on", { key1: ["aws", "Azure"] }, true]], true);
  });

  describe("StringNotContains data.key1 [\"contoso\", \"fabrikam\"]", () => {
    table({ operatorType: "StringNotContains", key: "data.key1", values: ["contoso", "fabrikam"] }, [
      ["\"azure\"", { key1: "azure" }, true],
      ["doc: contains \"Contoso\"", { key1: "Contoso Ltd" }, false],
      ["doc note: missing does not match", {}, false],
      ["chosen: null is ignored, so it matches", { key1: null }, true],
      ["array, flag off", { key1: ["azure"] }, false],
    ]);
    table(
      { operatorType: "StringNotContains", key: "data.key1", values: ["contoso", "fabrikam"] },
      [
        ["[\"a\", \"b\"], flag on", { key1: ["a", "b"] }, true],
        ["doc pseudo-code: [\"a\", \"fabrikam x\"] fails", { key1: ["a", "fabrikam x"] }, false],
      ],
      true,
    );
  });

  describe("StringBeginsWith / StringNotBeginsWith data.key1 [\"event\", \"message\"]", () => {
    table({ operatorType: "StringBeginsWith", key: "data.key1", values: ["event", "message"] }, [
      ["doc: \"event hubs\"", { key1: "event hubs" }, true],
      ["\"EVENT grid\"", { key1: "EVENT grid" }, true],
      ["\"Messages\"", { key1: "Messages" }, true],
      ["\"hub events\"", { key1: "hub events" }, false],
      ["missing", {}, false],
    ]);
    table({ operatorType: "StringNotBeginsWith", key: "data.key1", values: ["event", "message"] }, [
      ["\"hub events\"", { key1: "hub events" }, true],
      ["\"Event Grid\"", { key1: "Event Grid" }, false],
      ["doc note: missing does not match", {}, false],
    ]);
  });

  describe("StringEndsWith / StringNotEndsWith data.key1 [\"jpg\", \"jpeg\", \"png\"]", () => {
    table({ operatorType: "StringEndsWith", key: "data.key1", values: ["jpg", "jpeg", "png"] }, [
      ["doc: \"eventgrid.png\"", { key1: "eventgrid.png" }, true],
      ["\"photo.JPEG\"", { key1: "photo.JPEG" }, true],
      ["\"a.gif\"", { key1: "a.gif" }, false],
      ["\"png.gif\"", { key1: "png.gif" }, false],
    ]);
    table({ operatorType: "StringNotEndsWith", key: "data.key1", values: ["jpg", "jpeg", "png"] }, [
      ["\"a.gif\"", { key1: "a.gif" }, true],
      ["\"a.PNG\"", { key1: "a.PNG" }, false],
      ["doc note: missing does not match", {}, false],
    ]);
  });

  describe("StringIn / StringNotIn", () => {
    table({ operatorType: "StringIn", key: "data.key1", values: ["contoso", "fabrikam", "factory"] }, [
      ["doc: \"fabrikam\"", { key1: "fabrikam" }, true],
      ["case-insensitive: \"FaBrIkAm\"", { key1: "FaBrIkAm" }, true],
      ["exact match only: \"fabrikam inc\"", { key1: "fabrikam inc" }, false],
      ["doc note: missing", {}, false],
    ]);
    table({ operatorType: "StringNotIn", key: "data.key1", values: ["aws", "bridge"] }, [
      ["doc: \"azure\"", { key1: "azure" }, true],
      ["\"AWS\"", { key1: "AWS" }, false],
      ["doc note: missing matches", {}, true],
      ["null matches", { key1: null }, true],
      ["array, flag off", { key1: ["azure"] }, false],
      ["an object never matches", { key1: { a: 1 } }, false],
    ]);
  });

  describe("IsNullOrUndefined / IsNotNull data.key1", () => {
    table({ operatorType: "IsNullOrUndefined", key: "data.key1" }, [
      ["doc: key1 missing ({key2: 5})", { key2: 5 }, true],
      ["doc: key1 null", { key1: null }, true],
      ["doc: any other value (0)", { key1: 0 }, false],
      ["empty string", { key1: "" }, false],
      ["an array, flag off (presence only)", { key1: [] }, false],
      ["no data at all", undefined, true],
    ]);
    table({ operatorType: "IsNotNull", key: "data.key1" }, [
      ["5", { key1: 5 }, true],
      ["empty string", { key1: "" }, true],
      ["false", { key1: false }, true],
      ["null", { key1: null }, false],
      ["missing", {}, false],
      ["an array, flag off (presence only)", { key1: [1] }, true],
    ]);
  });

  describe("OR within a filter, AND across filters (doc's Subject example)", () => {
    const vm = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";
    const either: EventFilter = {
      advancedFilters: [{ operatorType: "StringContains", key: "Subject", values: ["/providers/microsoft.devtestlab/", "/providers/Microsoft.Compute/virtualMachines/"] }],
    };
    const both: EventFilter = {
      advancedFilters: [
        { operatorType: "StringContains", key: "Subject", values: ["/providers/microsoft.devtestlab/"] },
        { operatorType: "StringContains", key: "Subject", values: ["/providers/Microsoft.Compute/virtualMachines/"] },
      ],
    };
    it("a VM subject matches the OR filter", () => assert.strictEqual(evaluateFilter(either, event({}, { subject: vm })), true));
    it("a VM subject fails the AND filter at its first clause", () => {
      assert.strictEqual(evaluateFilter(both, event({}, { subject: vm })), false);
      assert.deepStrictEqual(explainFilter(both, event({}, { subject: vm }))?.clause, "advancedFilters[0]");
    });
    it("a lab VM subject matches both", () => {
      const lab = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DevTestLab/labs/l/providers/Microsoft.Compute/virtualMachines/vm1";
      assert.strictEqual(evaluateFilter(both, event({}, { subject: lab })), true);
    });
  });
});

describe("filters: evaluateFilter — event types, subjects, keys", () => {
  it("includedEventTypes absent or null delivers every type; an empty list delivers none", () => {
    for (const e of sampleEvents()) {
      assert.strictEqual(evaluateFilter({}, e), true);
      assert.strictEqual(evaluateFilter({ includedEventTypes: null }, e), true);
      assert.strictEqual(evaluateFilter({ includedEventTypes: [] }, e), false);
    }
  });

  it("includedEventTypes [\"All\"] delivers every type, as Microsoft's filtering doc and ARM template samples write it", () => {
    for (const e of sampleEvents()) {
      assert.strictEqual(evaluateFilter({ includedEventTypes: ["All"] }, e), true);
      assert.strictEqual(evaluateFilter({ includedEventTypes: ["all"] }, e), true);
      assert.strictEqual(evaluateFilter({ includedEventTypes: [AmlEventType.RunCompleted, "All"] }, e), true);
      // "All" lifts only the event-type condition; the other clauses still apply.
      assert.strictEqual(evaluateFilter({ includedEventTypes: ["All"], subjectBeginsWith: "no-such-prefix/" }, e), false);
    }
    assert.strictEqual(explainFilter({ includedEventTypes: ["All"] }, event({})), undefined);
  });

  it("includedEventTypes lists are OR'd and compared ignoring case", () => {
    const e = event({});
    assert.strictEqual(evaluateFilter({ includedEventTypes: [AmlEventType.RunCompleted, AmlEventType.ModelRegistered] }, e), true);
    assert.strictEqual(evaluateFilter({ includedEventTypes: [AmlEventType.ModelRegistered.toLowerCase()] }, e), true);
    assert.strictEqual(evaluateFilter({ includedEventTypes: [AmlEventType.RunCompleted] }, e), false);
  });

  it("doc's subject example: prefix and suffix, case-insensitive unless isSubjectCaseSensitive", () => {
    const f = { subjectBeginsWith: "/blobServices/default/containers/mycontainer/log", subjectEndsWith: ".jpg" };
    const e = event({}, { subject: "/blobServices/default/containers/MyContainer/log/2024/a.JPG" });
    assert.strictEqual(evaluateFilter(f, e), true);
    assert.strictEqual(evaluateFilter({ ...f, isSubjectCaseSensitive: true }, e), false);
    assert.deepStrictEqual(explainFilter({ ...f, isSubjectCaseSensitive: true }, e)?.clause, "subjectBeginsWith");
    assert.strictEqual(evaluateFilter({ ...f, subjectBeginsWith: "/blobServices/default/containers/MyContainer/log", isSubjectCaseSensitive: true }, e), false);
    assert.deepStrictEqual(explainFilter({ ...f, subjectBeginsWith: "/blobServices/default/containers/MyContainer/log", isSubjectCaseSensitive: true }, e)?.clause, "subjectEndsWith");
    assert.strictEqual(evaluateFilter({ subjectEndsWith: ".png" }, e), false);
    assert.strictEqual(evaluateFilter({ subjectBeginsWith: "", subjectEndsWith: "" }, e), true, "empty prefix/suffix is no condition");
  });

  it("subject prefix comparison handles non-ASCII text like lower-casing both sides", () => {
    const e = event({}, { subject: "models/ÅNGSTRÖM:1" });
    assert.strictEqual(evaluateFilter({ subjectBeginsWith: "models/ångström" }, e), true);
    assert.strictEqual(evaluateFilter({ subjectBeginsWith: "MODELS/Å" }, e), true);
    assert.strictEqual(evaluateFilter({ subjectEndsWith: "ström:1" }, e), true);
    assert.strictEqual(evaluateFilter({ subjectEndsWith: "strom:1" }, e), false);
  });

  const envelope: [string, string, string][] = [
    ["ID", "id", "e-1"],
    ["Topic", "topic", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w"],
    ["Subject", "subject", "models/churn:3"],
    ["EventType", "eventType", AmlEventType.ModelRegistered],
    ["DataVersion", "dataVersion", "2"],
  ];
  for (const [documented, wire, value] of envelope) {
    it(`envelope key ${documented} and ${wire} (and any other case) read the event's ${wire}`, () => {
      for (const key of [documented, wire, documented.toUpperCase(), documented.toLowerCase()]) {
        assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn(key, value.toUpperCase())] }, event({})), true, key);
        assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn(key, "nope")] }, event({})), false, key);
      }
    });
  }

  it("reads an envelope property written in another case by the publisher", () => {
    const e = { ID: "x", Subject: "models/a:1", EventType: AmlEventType.ModelRegistered, Data: { modelName: "a" } };
    assert.strictEqual(evaluateFilter({ includedEventTypes: [AmlEventType.ModelRegistered], subjectBeginsWith: "models/", advancedFilters: [advanced.stringIn("id", "X"), advanced.stringIn("data.modelName", "A")] }, e), true);
  });

  it("data key segments ignore case by default, as Microsoft's PascalCase examples on camelCase payloads need", () => {
    const registered = sampleEvents().find((x) => x.eventType === AmlEventType.ModelRegistered);
    assert.ok(registered);
    const tags = registered.data as { modelTags: Record<string, string> };
    const [tag, value] = Object.entries(tags.modelTags)[0];
    const pascal = { advancedFilters: [advanced.stringIn(`data.ModelTags.${tag.toUpperCase()}`, value)] };
    assert.strictEqual(evaluateFilter(pascal, registered), true, "data.ModelTags.<TAG> finds modelTags.<tag>");
    assert.strictEqual(evaluateFilter(pascal, registered, { keyCase: "ignore" }), true);
    const e = event({ key1: 7, modelName: "churn" });
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.numberIn("Data.Key1", 7)] }, e), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.isNullOrUndefined("data.ModelName")] }, e), false, "ModelName finds modelName");
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.isNullOrUndefined("data.ModelNames")] }, e), true, "another name is still missing");
  });

  it("an exact-case property wins over another spelling when both exist", () => {
    const e = event({ status: "a", Status: "b" });
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.Status", "b")] }, e), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.status", "a")] }, e), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.STATUS", "a", "b")] }, e), true);
  });

  it("keyCase \"exact\": the data root ignores case; segments after it are exact", () => {
    const e = event({ key1: 7, modelName: "churn" });
    const exact = { keyCase: "exact" } as const;
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.numberIn("Data.Key1", 7)] }, e, exact), false, "Key1 is not key1");
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.numberIn("Data.key1", 7)] }, e, exact), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.numberIn("DATA.key1", 7)] }, e, exact), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.isNullOrUndefined("data.ModelName")] }, e, exact), true);
    assert.match(explainFilter({ advancedFilters: [advanced.stringIn("data.ModelName", "churn")] }, e, exact)?.reason ?? "", /data\.ModelName is missing/);
    assert.strictEqual(explainFilter({ advancedFilters: [advanced.stringIn("data.ModelName", "churn")] }, e), undefined);
  });

  it("the same filter object evaluates per mode (compiled filters are cached per key case)", () => {
    const e = event({ modelName: "churn" });
    const f = { advancedFilters: [advanced.stringIn("data.ModelName", "churn")] };
    assert.strictEqual(evaluateFilter(f, e, { keyCase: "exact" }), false);
    assert.strictEqual(evaluateFilter(f, e), true);
    assert.strictEqual(evaluateFilter(f, e, { keyCase: "exact" }), false);
  });

  it("rejects an unknown keyCase naming the option and the accepted values", () => {
    const e = event({ modelName: "churn" });
    const bad = { keyCase: "lower" } as unknown as { keyCase: "exact" };
    assert.throws(() => evaluateFilter({ advancedFilters: [advanced.stringIn("data.modelName", "churn")] }, e, bad), /options\.keyCase is "lower"; expected "ignore" \(the default\) or "exact"/);
  });

  it("nested keys walk objects; a key through an array or into a scalar is unsupported or missing", () => {
    const e = event({ a: { b: { c: "deep" } }, list: [{ name: "x" }], s: "text" });
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.a.b.c", "DEEP")] }, e), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.a.b", "deep")] }, e), false, "an object is not compared");
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringNotIn("data.a.b", "deep")] }, e), false, "not even by negated operators");
    assert.strictEqual(evaluateFilter({ enableAdvancedFilteringOnArrays: true, advancedFilters: [advanced.stringIn("data.list.name", "x")] }, e), false);
    assert.strictEqual(evaluateFilter({ enableAdvancedFilteringOnArrays: true, advancedFilters: [advanced.stringNotIn("data.list.name", "x")] }, e), false);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.isNullOrUndefined("data.s.length")] }, e), true, "a string has no properties");
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.isNullOrUndefined("data.constructor")] }, e), true, "prototype names are not keys");
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.isNullOrUndefined("data.a.toString")] }, e), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.constructor", "x")] }, event({ constructor: "x" })), true, "an own key named constructor is read");
  });

  it("chosen coercion: Number operators ignore numeric strings, String operators read numbers as JSON text", () => {
    const real = event({ modelVersion: "3" });
    const documented = event({ modelVersion: 3 });
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.numberIn("data.modelVersion", 3)] }, real), false);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.numberNotIn("data.modelVersion", 3)] }, real), true, "ignored, so the negated operator matches");
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.numberIn("data.modelVersion", 3)] }, documented), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.modelVersion", "3")] }, real), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.modelVersion", "3")] }, documented), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringBeginsWith("data.x", "0.83")] }, event({ x: 0.8350349068479208 })), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.x", "true")] }, event({ x: true })), false, "booleans are not read as text");
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringNotIn("data.x", "true")] }, event({ x: true })), true);
  });

  it("arrays with the flag off fail every value operator, negated ones included", () => {
    const e = event({ tags: ["urgent", "billing"] });
    for (const f of [advanced.stringIn("data.tags", "urgent"), advanced.stringNotIn("data.tags", "x"), advanced.stringNotContains("data.tags", "x"), advanced.numberNotIn("data.tags", 1)]) {
      assert.strictEqual(evaluateFilter({ advancedFilters: [f] }, e), false, f.operatorType);
      assert.match(explainFilter({ advancedFilters: [f] }, e)?.reason ?? "", /enableAdvancedFilteringOnArrays is off/);
    }
    assert.strictEqual(evaluateFilter({ enableAdvancedFilteringOnArrays: true, advancedFilters: [advanced.stringIn("data.tags", "URGENT")] }, e), true);
  });

  it("throws InvalidFilterError, with the analyzer's message, for a filter Azure would reject", () => {
    assert.throws(() => evaluateFilter({ advancedFilters: [{ operatorType: "StringEquals", key: "data.a", values: ["x"] }] }, event({})), (err: unknown) => {
      assert.ok(err instanceof InvalidFilterError);
      assert.match(err.message, /advancedFilters\[0\]: operatorType "StringEquals" is not an Event Grid operator/);
      return true;
    });
    assert.throws(() => evaluateFilter({ advancedFilters: [{ operatorType: "NumberInRange", key: "data.a", values: [[5, 1]] }] }, event({})), /has low > high; write \[1, 5\]/);
    assert.throws(() => evaluateFilter("nope", event({})), InvalidFilterError);
    assert.throws(() => evaluateFilter({}, "not an event"), TypeError);
  });

  it("compileFilter gives the same answers and explains misses", () => {
    const compiled = compileFilter(runStatusIn("failed"));
    const [, , , , status] = sampleEvents();
    assert.strictEqual(compiled(status), true);
    const completed = { ...status, data: { ...(status.data as object), runStatus: "Completed" } };
    assert.strictEqual(compiled(completed), false);
    assert.deepStrictEqual(compiled.explain(completed), { clause: "advancedFilters[0]", reason: 'data.runStatus "Completed" is not in ["failed"] (StringIn)' });
  });
});

describe("filters: evaluateFilter — AML sample events", () => {
  const byType = (events: EventGridEvent[], t: string): EventGridEvent => {
    const e = events.find((x) => x.eventType === t);
    assert.ok(e, t);
    return e;
  };
  const real = sampleEvents();
  const documented = documentedSampleEvents();

  it("the builders' filters deliver the real (camelCase) samples they name", () => {
    assert.strictEqual(evaluateFilter(runStatusIn("failed"), byType(real, AmlEventType.RunStatusChanged)), true);
    assert.strictEqual(evaluateFilter(runStatusIn("completed"), byType(real, AmlEventType.RunStatusChanged)), false);
    const model: EventFilter = { includedEventTypes: [AmlEventType.ModelRegistered], subjectBeginsWith: "models/sklearn_", advancedFilters: [modelTagEquals("area", "Diabetes")] };
    assert.strictEqual(evaluateFilter(model, byType(real, AmlEventType.ModelRegistered)), true);
    const drift: EventFilter = { includedEventTypes: [AmlEventType.DatasetDriftDetected], subjectBeginsWith: "datadrift/", advancedFilters: [driftCoefficientAtLeast(0.8)] };
    assert.strictEqual(evaluateFilter(drift, byType(real, AmlEventType.DatasetDriftDetected)), true);
    assert.strictEqual(evaluateFilter({ ...drift, advancedFilters: [driftCoefficientAtLeast(0.9)] }, byType(real, AmlEventType.DatasetDriftDetected)), false);
  });

  it("the seed's /datadriftID/runs/ prefix never delivers a drift event", () => {
    const f = { includedEventTypes: [AmlEventType.DatasetDriftDetected], subjectBeginsWith: "/datadriftID/runs/" };
    assert.strictEqual(evaluateFilter(f, byType(real, AmlEventType.DatasetDriftDetected)), false);
    assert.strictEqual(explainFilter(f, byType(real, AmlEventType.DatasetDriftDetected))?.clause, "subjectBeginsWith");
  });

  it("PascalCase keys from Microsoft's schema page find real camelCase events (and vice versa); keyCase exact keeps them apart", () => {
    const f = { advancedFilters: [advanced.stringIn("data.ModelTags.area", "diabetes")] };
    const camel = { advancedFilters: [modelTagEquals("area", "diabetes")] };
    assert.strictEqual(evaluateFilter(f, byType(documented, AmlEventType.ModelRegistered)), true);
    assert.strictEqual(evaluateFilter(f, byType(real, AmlEventType.ModelRegistered)), true);
    assert.strictEqual(evaluateFilter(camel, byType(documented, AmlEventType.ModelRegistered)), true);
    assert.strictEqual(evaluateFilter(f, byType(real, AmlEventType.ModelRegistered), { keyCase: "exact" }), false);
    assert.strictEqual(evaluateFilter(camel, byType(documented, AmlEventType.ModelRegistered), { keyCase: "exact" }), false);
  });

  it("StringIn data.modelVersion matches the real string version and the documented number alike", () => {
    const f = { advancedFilters: [advanced.stringIn("data.modelVersion", "20")] };
    assert.strictEqual(evaluateFilter(f, byType(real, AmlEventType.ModelRegistered)), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.ModelVersion", "20")] }, byType(documented, AmlEventType.ModelRegistered)), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.numberGreaterThan("data.modelVersion", 3)] }, byType(real, AmlEventType.ModelRegistered)), false);
  });

  it("runType is null on the samples: negated operators match it, positive ones do not", () => {
    const run = byType(real, AmlEventType.RunCompleted);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringNotIn("data.runType", "azureml.PipelineRun")] }, run), true);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringIn("data.runType", "azureml.PipelineRun")] }, run), false);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.isNullOrUndefined("data.runType")] }, run), true);
  });

  it("ModelDeployed's modelIds is one string: StringContains finds a model in it", () => {
    const deployed = byType(real, AmlEventType.ModelDeployed);
    assert.strictEqual(evaluateFilter({ advancedFilters: [advanced.stringContains("data.modelIds", "sklearn_regression_model:2")] }, deployed), true);
  });
});

describe("filters: evaluateFilter — no filter", () => {
  it("an absent filter delivers everything", () => {
    for (const e of sampleEvents()) {
      assert.strictEqual(evaluateFilter(undefined, e), true);
      assert.strictEqual(evaluateFilter(null, e), true);
    }
  });
});
