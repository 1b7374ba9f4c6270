/**
 * Property-based tests (fast-check): evaluateFilter against an independent oracle written from
 * Microsoft's pseudo-code (FOR_EACH filter / FOR_EACH key → MATCH or FAIL_MATCH) plus this
 * library's documented choices; operators against their negations; OR within a filter's values;
 * AND across filters; explainFilter agreeing with evaluateFilter; evaluateFilter throwing exactly
 * when the analyzer reports a structural error.
 */
import * as assert from "assert";
import fc from "fast-check";
import { AmlEventType } from "../../lib/events";
import {
  ADVANCED_FILTER_OPERATORS,
  AdvancedFilter,
  AdvancedFilterOperator,
  analyzeFilter,
  evaluateFilter,
  EventFilter,
  explainFilter,
  OPERATOR_NEGATION,
  operatorShape,
} from "../../lib/filters";

const RUNS = { numRuns: 400 };

// ---- generators ----
const num = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }));
const str = fc.string({ unit: fc.constantFrom("a", "A", "b", "B", "-", "3"), maxLength: 5 });
const scalar = fc.oneof(num, str, fc.boolean(), fc.constant(null));
const scalarArray = fc.array(scalar, { maxLength: 4 });
/** A JSON value at the key, or `undefined` for a missing key. */
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 3, arbitrary: scalarArray },
  { weight: 1, arbitrary: fc.array(fc.oneof(scalar, fc.constant({ a: 1 })), { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant({ nested: "a" }) },
  { weight: 2, arbitrary: fc.constant(undefined) },
);
const range = fc.tuple(num, num).map(([a, b]) => (a <= b ? [a, b] : [b, a]));

function refsFor(op: AdvancedFilterOperator): fc.Arbitrary<AdvancedFilter> {
  const key = "data.k";
  switch (operatorShape(op)) {
    case "numbers":
      return fc.array(num, { minLength: 1, maxLength: 4 }).map((values) => ({ operatorType: op, key, values }) as AdvancedFilter);
    case "number":
      return num.map((v) => ({ operatorType: op, key, value: v }) as AdvancedFilter);
    case "ranges":
      return fc.array(range, { minLength: 1, maxLength: 3 }).map((values) => ({ operatorType: op, key, values }) as AdvancedFilter);
    case "boolean":
      return fc.boolean().map((v) => ({ operatorType: op, key, value: v }) as AdvancedFilter);
    case "strings":
      return fc.array(str, { minLength: 1, maxLength: 4 }).map((values) => ({ operatorType: op, key, values }) as AdvancedFilter);
    case "none":
      return fc.constant({ operatorType: op, key } as AdvancedFilter);
  }
}
const anyFilter = fc.constantFrom(...ADVANCED_FILTER_OPERATORS).chain(refsFor);
const ev = (v: unknown): Record<string, unknown> => ({
  id: "1",
  topic: "t",
  subject: "models/m:1",
  eventType: AmlEventType.ModelRegistered,
  dataVersion: "2",
  data: v === undefined ? {} : { k: v },
});

// ---- the oracle: Microsoft's pseudo-code, plus the choices listed in FILTER_SEMANTICS ----
const isObject = (v: unknown): boolean => typeof v === "object" && v !== null;
function refs(f: AdvancedFilter): unknown[] {
  const r = f as { value?: unknown; values?: unknown[] };
  return r.values ?? [r.value];
}
function cond(op: string, k: unknown, r: unknown): boolean {
  if (op.startsWith("Number")) {
    if (typeof k !== "number") return false; // another type: ignored
    if (op === "NumberIn") return k === r;
    if (op === "NumberLessThan") return k < (r as number);
    if (op === "NumberGreaterThan") return k > (r as number);
    if (op === "NumberLessThanOrEquals") return k <= (r as number);
    if (op === "NumberGreaterThanOrEquals") return k >= (r as number);
    if (op === "NumberInRange") return k >= (r as number[])[0] && k <= (r as number[])[1];
  }
  if (op === "BoolEquals") return typeof k === "boolean" && k === r;
  if (op.startsWith("String")) {
    const text = typeof k === "string" ? k : typeof k === "number" ? String(k) : undefined;
    if (text === undefined) return false;
    const a = text.toLowerCase();
    const b = (r as string).toLowerCase();
    if (op === "StringIn") return a === b;
    if (op === "StringContains") return a.includes(b);
    if (op === "StringBeginsWith") return a.startsWith(b);
    if (op === "StringEndsWith") return a.endsWith(b);
  }
  throw new Error(`oracle: no condition for ${op}`);
}
function oracle(f: AdvancedFilter, v: unknown, arrays: boolean): boolean {
  const op = f.operatorType;
  if (op === "IsNullOrUndefined") return v === undefined || v === null;
  if (op === "IsNotNull") return v !== undefined && v !== null;
  if (v === undefined) return op === "NumberNotIn" || op === "StringNotIn";
  const negated = op.includes("Not");
  const positive = negated ? op.replace("Not", "") : op;
  let keys: unknown[];
  if (Array.isArray(v)) {
    if (!arrays || v.some(isObject)) return false;
    keys = v;
  } else if (isObject(v)) {
    return false;
  } else {
    keys = [v];
  }
  // FOR_EACH filter IN values: FOR_EACH key IN keys: IF cond → MATCH (positive) / FAIL_MATCH (negated)
  const hit = refs(f).some((r) => keys.some((k) => cond(positive, k, r)));
  return negated ? !hit : hit;
}

function single(f: AdvancedFilter, arrays: boolean): EventFilter {
  return { enableAdvancedFilteringOnArrays: arrays, advancedFilters: [f] };
}

describe("filters: properties (fast-check)", () => {
  it("evaluateFilter agrees with the pseudo-code oracle on every operator, value shape and arrays flag", () => {
    fc.assert(
      fc.property(anyFilter, value, fc.boolean(), (f, v, arrays) => {
        assert.strictEqual(evaluateFilter(single(f, arrays), ev(v)), oracle(f, v, arrays));
      }),
      { numRuns: 3000 },
    );
  });

  const pairs = (Object.entries(OPERATOR_NEGATION) as [AdvancedFilterOperator, AdvancedFilterOperator][]).filter(([a]) => !a.includes("Not"));
  for (const [op, negation] of pairs) {
    it(`${op} and ${negation} are negations of each other on present scalar keys (any JSON type, null included)`, () => {
      fc.assert(
        fc.property(refsFor(op), scalar, fc.boolean(), (f, v, arrays) => {
          const neg = { ...f, operatorType: negation } as AdvancedFilter;
          assert.strictEqual(evaluateFilter(single(f, arrays), ev(v)), !evaluateFilter(single(neg, arrays), ev(v)));
        }),
        RUNS,
      );
    });
    if (op !== "IsNullOrUndefined") {
      it(`${op} and ${negation} are negations on arrays of scalars with enableAdvancedFilteringOnArrays`, () => {
        fc.assert(
          fc.property(refsFor(op), scalarArray, (f, v) => {
            const neg = { ...f, operatorType: negation } as AdvancedFilter;
            assert.strictEqual(evaluateFilter(single(f, true), ev(v)), !evaluateFilter(single(neg, true), ev(v)));
          }),
          RUNS,
        );
      });
    }
  }

  it("on a missing key, only NumberIn/NumberNotIn and StringIn/StringNotIn stay negations (Microsoft's missing-key list)", () => {
    for (const [op, negation] of pairs) {
      const f = fc.sample(refsFor(op), 1)[0];
      const a = evaluateFilter(single(f, false), ev(undefined));
      const b = evaluateFilter(single({ ...f, operatorType: negation } as AdvancedFilter, false), ev(undefined));
      const negates = ["NumberIn", "StringIn", "IsNullOrUndefined"].includes(op);
      assert.strictEqual(a === !b, negates, `${op}: ${a} / ${negation}: ${b}`);
    }
  });

  it("values inside one filter are OR'd (negated operators: every value must clear)", () => {
    const multi = fc.constantFrom(...ADVANCED_FILTER_OPERATORS.filter((op) => ["numbers", "ranges", "strings"].includes(operatorShape(op)))).chain(refsFor);
    fc.assert(
      fc.property(multi, value, fc.boolean(), (f, v, arrays) => {
        const values = (f as unknown as { values: unknown[] }).values;
        const each = values.map((x) => evaluateFilter(single({ ...f, values: [x] } as AdvancedFilter, arrays), ev(v)));
        const negated = f.operatorType.includes("Not");
        const whole = evaluateFilter(single(f, arrays), ev(v));
        if (v === undefined || (Array.isArray(v) && (!arrays || v.some(isObject))) || isObject(v) && !Array.isArray(v)) {
          // no element to compare: every single-value filter answers the same as the whole
          assert.ok(each.every((x) => x === whole));
        } else {
          assert.strictEqual(whole, negated ? each.every(Boolean) : each.some(Boolean));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("filters are AND'd: the whole filter matches iff every clause on its own does", () => {
    const types = fc.option(fc.subarray([AmlEventType.ModelRegistered, AmlEventType.RunCompleted, "Microsoft.Storage.BlobCreated"]), { nil: undefined });
    const subjectPart = fc.option(fc.constantFrom("models/", "MODELS/m", "runs/", ":1", "m:1", ""), { nil: undefined });
    const multiData = fc.array(fc.tuple(fc.constantFrom("k", "j"), fc.constantFrom(...ADVANCED_FILTER_OPERATORS).chain(refsFor)), { maxLength: 4 });
    fc.assert(
      fc.property(types, subjectPart, subjectPart, fc.boolean(), fc.boolean(), multiData, value, value, (t, begins, ends, cs, arrays, fs, vk, vj) => {
        const advancedFilters = fs.map(([k, f]) => ({ ...f, key: `data.${k}` }) as AdvancedFilter);
        const filter: EventFilter = {
          ...(t === undefined ? {} : { includedEventTypes: t }),
          ...(begins === undefined ? {} : { subjectBeginsWith: begins }),
          ...(ends === undefined ? {} : { subjectEndsWith: ends }),
          isSubjectCaseSensitive: cs,
          enableAdvancedFilteringOnArrays: arrays,
          advancedFilters,
        };
        const data: Record<string, unknown> = {};
        if (vk !== undefined) data.k = vk;
        if (vj !== undefined) data.j = vj;
        const e = { ...ev(undefined), data };
        // Each clause on its own; an empty subject prefix/suffix is no condition, so it has no clause.
        const clauses: { name: string; part: EventFilter }[] = [
          ...(t !== undefined ? [{ name: "includedEventTypes", part: { includedEventTypes: t } }] : []),
          ...(begins ? [{ name: "subjectBeginsWith", part: { subjectBeginsWith: begins, isSubjectCaseSensitive: cs } }] : []),
          ...(ends ? [{ name: "subjectEndsWith", part: { subjectEndsWith: ends, isSubjectCaseSensitive: cs } }] : []),
          ...advancedFilters.map((f, i) => ({ name: `advancedFilters[${i}]`, part: single(f, arrays) })),
        ];
        const whole = evaluateFilter(filter, e);
        assert.strictEqual(whole, clauses.every((c) => evaluateFilter(c.part, e)));
        // explainFilter agrees, and names the first failing clause with a reason
        const miss = explainFilter(filter, e);
        assert.strictEqual(miss === undefined, whole);
        if (miss !== undefined) {
          assert.strictEqual(miss.clause, clauses.find((c) => !evaluateFilter(c.part, e))?.name);
          assert.ok(miss.reason.length > 0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("evaluateFilter throws exactly when analyzeFilter reports a structural error", () => {
    const structural = new Set(["invalid-filter", "unknown-operator", "invalid-key", "missing-values", "invalid-value", "invalid-range"]);
    const junk = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant(NaN), fc.constant("x"), fc.constant([]), fc.constant([[2, 1]]), fc.constant([1, "a"]), fc.integer(), fc.boolean());
    const mutated = fc.record(
      {
        operatorType: fc.oneof(fc.constantFrom(...ADVANCED_FILTER_OPERATORS), fc.constantFrom("numberin", "StringEquals", 3)),
        key: fc.oneof(fc.constantFrom("data.k", "Subject", "data..k", "", "a.b"), fc.integer()),
        value: junk,
        values: fc.oneof(junk, fc.array(num, { maxLength: 2 }), fc.array(str, { minLength: 1, maxLength: 2 }), fc.array(range, { minLength: 1, maxLength: 2 })),
      },
      { requiredKeys: ["operatorType", "key"] },
    );
    fc.assert(
      fc.property(fc.array(mutated, { maxLength: 3 }), fc.oneof(fc.constant(undefined), fc.constant("models/"), fc.constant(5)), (afs, begins) => {
        const filter = { advancedFilters: afs, ...(begins === undefined ? {} : { subjectBeginsWith: begins }) };
        const errors = analyzeFilter(filter).filter((f) => structural.has(f.code));
        let threw = false;
        try {
          evaluateFilter(filter, ev("a"));
        } catch {
          threw = true;
        }
        assert.strictEqual(threw, errors.length > 0, JSON.stringify({ filter, errors }));
      }),
      { numRuns: 1500 },
    );
  });
});
