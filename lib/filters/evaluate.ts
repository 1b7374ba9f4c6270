/**
 * Event Grid filter evaluation: decides, as Azure Event Grid does, whether a subscription's filter
 * lets an event through. A filter is compiled once into closures (values lower-cased, keys split,
 * operators specialized) and then costs a few property reads per clause; {@link evaluateFilter}
 * caches compiled filters per filter object.
 *
 * Semantics (see {@link FILTER_SEMANTICS} for the full list, documented and chosen):
 * - event type AND subject prefix AND subject suffix AND every advanced filter; values within one
 *   advanced filter are OR'd (for negated operators: the value must hit none of them);
 * - `includedEventTypes` absent or null, or an `"All"` entry (Microsoft's filtering doc: "specify All
 *   to get all event types"): every type; entries compared ignoring case (undocumented choice);
 * - subject prefix/suffix: plain text, case-insensitive unless `isSubjectCaseSensitive`;
 * - string comparisons ignore case; ranges are inclusive `[low, high]`;
 * - a missing key matches only NumberNotIn and StringNotIn (and IsNullOrUndefined);
 * - arrays only with `enableAdvancedFilteringOnArrays`: positive operators match when any element
 *   matches, negated ones fail when any element hits; arrays of objects are unsupported.
 * Choices where Microsoft is silent (each is listed in FILTER_SEMANTICS and flagged by the analyzer):
 * - type coercion: a value of another type than the operator compares is ignored, the rule Microsoft
 *   documents for array elements applied to single values too: positive operators do not match it,
 *   negated operators do. Number operators never read strings (`"3"` is not 3); String operators
 *   read a number as its JSON text (Microsoft's CloudEvents example compares the number 5 with
 *   StringBeginsWith "5"); BoolEquals reads booleans only;
 * - null is such a value of another type (IsNullOrUndefined/IsNotNull aside);
 * - an array with the flag off fails the filter for every value operator (Microsoft's IoT Edge
 *   doc: "the matching operation fails"); presence operators see the array as a non-null value;
 * - objects, and keys that step through arrays, fail every value operator;
 * - `data.*` path segments ignore case by default (an exact-case property wins when both exist;
 *   https://learn.microsoft.com/azure/machine-learning/how-to-use-event-grid filters on data.ModelTags.key1):
 *   Microsoft's AML filter examples write PascalCase keys (`data.ModelTags.key1`) for camelCase
 *   payloads, and the Event Grid simulator matches keys ignoring case; `{ keyCase: "exact" }`
 *   compares segments exactly instead. The `data` root and envelope keys always ignore case;
 * - NumberNotInRange, like the other operators Microsoft added with it, does not match a missing key;
 * - `includedEventTypes` entries are compared ignoring case; an empty list delivers nothing.
 */
import { isRecord } from "../events/parse";
import { isAllEventTypesEntry, MATCH_WHEN_MISSING, NEGATED_OPERATORS, NormalizedAdvancedFilter, operatorValueKind, ParsedKey, readFilter } from "./normalize";
import { AdvancedFilterOperator, EventFilter } from "./types";

/** Thrown by {@link compileFilter}/{@link evaluateFilter} for a filter Azure would reject as malformed. */
export class InvalidFilterError extends Error {
  /** The structural problems, one message each (the same messages {@link analyzeFilter} reports). */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid Event Grid filter: ${problems.join(" ")} Run analyzeFilter(filter) for every finding.`);
    this.name = "InvalidFilterError";
    this.problems = problems;
  }
}

/** The first clause of a filter that rejects an event. */
export interface FilterMiss {
  /** `includedEventTypes`, `subjectBeginsWith`, `subjectEndsWith` or `advancedFilters[i]`. */
  readonly clause: string;
  /** Why, with the event's value, e.g. `data.runStatus "completed" is not in ["failed"]`. */
  readonly reason: string;
}

/** A compiled filter: call it with an event; `explain` gives the first failing clause. */
export interface CompiledFilter {
  (event: unknown): boolean;
  /** The first clause that rejects `event`, or `undefined` when the filter matches. */
  explain(event: unknown): FilterMiss | undefined;
}

/** Options of {@link compileFilter}, {@link evaluateFilter} and {@link explainFilter}. */
export interface EvaluateOptions {
  /**
   * How `data.*` key segments are compared with the payload's property names: `"ignore"` (Event
   * Grid's observed behaviour: `data.ModelName` finds `modelName`) or `"exact"` (a stricter mode that
   * surfaces keys spelled differently from the payload).
   * @default "ignore"
   */
  readonly keyCase?: KeyCase;
}
/** How `data.*` key segments are compared: ignoring case (default) or exactly. */
export type KeyCase = "ignore" | "exact";

function keyCaseOf(options: EvaluateOptions | undefined): KeyCase {
  const k = options?.keyCase ?? "ignore";
  if (k !== "ignore" && k !== "exact") {
    throw new TypeError(`evaluateFilter: options.keyCase is ${JSON.stringify(k)}; expected "ignore" (the default) or "exact".`);
  }
  return k;
}

type Event = Record<string, unknown>;
/** One clause: `d` is the event's `data`, read once per evaluation. */
interface Clause {
  readonly clause: string;
  readonly test: (e: Event, d: unknown) => boolean;
  readonly reason: (e: Event, d: unknown) => string;
}

/** A key that steps through an array (`data.items.name` with `items` an array): unsupported. */
const THROUGH_ARRAY: unique symbol = Symbol("through-array");
type Resolved = unknown;

const fold = (s: string): string => s.toLowerCase();
const show = (v: unknown): string => {
  if (v === undefined) return "missing";
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/**
 * A single-entry memo of a string function: routing one event through many subscriptions folds
 * and quotes the same event type and subject over and over.
 */
function memo1(fn: (s: string) => string): (s: string) => string {
  let lastIn: string | undefined;
  let lastOut = "";
  return (s) => {
    if (s !== lastIn) {
      lastOut = fn(s);
      lastIn = s;
    }
    return lastOut;
  };
}
const foldEventType = memo1(fold);
const showEventType = memo1(show);
const showSubject = memo1(show);

function lookupIgnoringCase(obj: Event, lower: string): unknown {
  for (const k in obj) {
    if (Object.prototype.hasOwnProperty.call(obj, k) && k.toLowerCase() === lower) return obj[k];
  }
  return undefined;
}

/** Direct reads of the envelope properties (named loads, each with its own inline cache). */
const DIRECT_READS: Readonly<Record<string, (e: Event) => unknown>> = {
  id: (e) => e.id,
  topic: (e) => e.topic,
  subject: (e) => e.subject,
  eventType: (e) => e.eventType,
  dataVersion: (e) => e.dataVersion,
  eventTime: (e) => e.eventTime,
  metadataVersion: (e) => e.metadataVersion,
};

/** Reads an envelope property: the canonical spelling first, then any spelling. */
function envelopeReader(canonical: string): (e: Event) => unknown {
  const lower = canonical.toLowerCase();
  const own = Object.prototype.hasOwnProperty;
  const direct = Object.prototype.hasOwnProperty.call(DIRECT_READS, canonical)
    ? DIRECT_READS[canonical]
    : (e: Event): unknown => (own.call(e, canonical) ? e[canonical] : undefined);
  return (e) => {
    const v = direct(e);
    return v !== undefined ? v : lookupIgnoringCase(e, lower);
  };
}

/** Reads the event's `data` (any case of the name). */
function readData(e: Event): unknown {
  const d = e.data;
  return d !== undefined ? d : lookupIgnoringCase(e, "data");
}

/** Compiles a key into a reader returning the value, `undefined` when missing, or THROUGH_ARRAY. */
function keyReader(key: ParsedKey, keyCase: KeyCase): (e: Event, d: unknown) => Resolved {
  if (key.kind === "envelope") {
    const read = envelopeReader(key.name);
    return (e) => read(e);
  }
  const id = `${keyCase}:${key.path.join(".")}`;
  let reader = pathReaders.get(id);
  if (reader === undefined) {
    if (pathReaders.size >= 2000) pathReaders.clear();
    reader = dataPathReader(key.path, keyCase);
    pathReaders.set(id, reader);
  }
  return reader;
}

/** Generated path readers, shared by every filter using the same `data.*` key (bounded). */
const pathReaders = new Map<string, (e: Event, d: unknown) => Resolved>();

/**
 * A reader for one `data.*` path, generated as its own small function so that each property read
 * is a named load with its own inline cache (a shared loop over segment names makes every read a
 * megamorphic keyed lookup, several times slower). Segment names enter the source only through
 * JSON.stringify, as string literals.
 */
function dataPathReader(path: readonly string[], keyCase: KeyCase): (e: Event, d: unknown) => Resolved {
  const lines = ["let cur = d;"];
  for (const seg of path) {
    const lit = JSON.stringify(seg);
    // Own properties only (`data.constructor` must not find Object.prototype.constructor); the
    // check is needed only for names that Object.prototype has.
    const own = seg in Object.prototype ? ` || !hasOwn.call(cur, ${lit})` : "";
    // Ignoring case: the exact spelling is read first (one inline-cached load), any other
    // spelling only when it is absent.
    const miss = keyCase === "ignore" ? `{ next = lookup(cur, ${JSON.stringify(seg.toLowerCase())}); if (next === undefined) return undefined; }` : "return undefined;";
    lines.push(
      `if (cur === null || typeof cur !== "object") return undefined;`,
      `if (Array.isArray(cur)) return THROUGH_ARRAY;`,
      `{ let next = cur[${lit}]; if (next === undefined${own}) ${miss} cur = next; }`,
    );
  }
  lines.push("return cur;");
  const factory = new Function("THROUGH_ARRAY", "hasOwn", "lookup", `return function readDataPath(_e, d) {\n${lines.join("\n")}\n};`) as (
    through: symbol,
    hasOwn: typeof Object.prototype.hasOwnProperty,
    lookup: typeof lookupIgnoringCase,
  ) => (e: Event, d: unknown) => Resolved;
  return factory(THROUGH_ARRAY, Object.prototype.hasOwnProperty, lookupIgnoringCase);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}

/**
 * `fold(s).startsWith(needle)` for a folded, ASCII-only `needle`, without folding `s` when the
 * compared part of `s` is ASCII (lower-casing maps ASCII characters one to one).
 */
function foldedStartsWith(s: string, needle: string): boolean {
  const n = needle.length;
  if (s.length < n) return fold(s).startsWith(needle);
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c >= 128) return fold(s).startsWith(needle);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== needle.charCodeAt(i)) return false;
  }
  return true;
}

/** `fold(s).endsWith(needle)`, likewise. */
function foldedEndsWith(s: string, needle: string): boolean {
  const n = needle.length;
  const m = s.length;
  if (m < n) return fold(s).endsWith(needle);
  for (let j = 1; j <= n; j++) {
    let c = s.charCodeAt(m - j);
    if (c >= 128) return fold(s).endsWith(needle);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== needle.charCodeAt(n - j)) return false;
  }
  return true;
}

/** A folded comparison for one operator verb and one folded needle. */
function foldedTest(verb: "contain" | "begin with" | "end with", needle: string): (s: string) => boolean {
  const ascii = isAscii(needle);
  if (verb === "contain") return (s) => fold(s).includes(needle);
  if (verb === "begin with") return ascii ? (s) => foldedStartsWith(s, needle) : (s) => fold(s).startsWith(needle);
  return ascii ? (s) => foldedEndsWith(s, needle) : (s) => fold(s).endsWith(needle);
}

type Scalar = string | number | boolean;
interface OperatorParts {
  /** The JSON type the operator compares. */
  readonly type: "string" | "number" | "boolean";
  /** Whether a value of the right type hits one of the reference values (the positive form). */
  readonly hit: (v: Scalar) => boolean;
  /** Human text for a hit, e.g. `is in ["failed"]`, and for a miss, e.g. `is not in ["failed"]`. */
  readonly hitText: string;
  readonly missText: string;
}

function operatorParts(f: NormalizedAdvancedFilter): OperatorParts {
  switch (f.operatorType) {
    case "IsNullOrUndefined":
    case "IsNotNull":
      throw new Error(`${f.operatorType} compares no values`);
    case "NumberIn":
    case "NumberNotIn": {
      const nums = f.numbers;
      const one = nums[0];
      const hit = nums.length === 1 ? (v: Scalar) => v === one : (v: Scalar) => nums.includes(v as number);
      return { type: "number", hit, hitText: `is in ${show(nums)}`, missText: `is not in ${show(nums)}` };
    }
    case "NumberLessThan": {
      const n = f.number;
      return { type: "number", hit: (v) => (v as number) < n, hitText: `is less than ${n}`, missText: `is not less than ${n}` };
    }
    case "NumberLessThanOrEquals": {
      const n = f.number;
      return { type: "number", hit: (v) => (v as number) <= n, hitText: `is at most ${n}`, missText: `is greater than ${n}` };
    }
    case "NumberGreaterThan": {
      const n = f.number;
      return { type: "number", hit: (v) => (v as number) > n, hitText: `is greater than ${n}`, missText: `is not greater than ${n}` };
    }
    case "NumberGreaterThanOrEquals": {
      const n = f.number;
      return { type: "number", hit: (v) => (v as number) >= n, hitText: `is at least ${n}`, missText: `is less than ${n}` };
    }
    case "NumberInRange":
    case "NumberNotInRange": {
      const ranges = f.ranges;
      const hit = (v: Scalar): boolean => {
        for (let i = 0; i < ranges.length; i++) if ((v as number) >= ranges[i][0] && (v as number) <= ranges[i][1]) return true;
        return false;
      };
      return { type: "number", hit, hitText: `is in one of the ranges ${show(ranges)}`, missText: `is in none of the ranges ${show(ranges)}` };
    }
    case "BoolEquals": {
      const b = f.boolean;
      return { type: "boolean", hit: (v) => v === b, hitText: `is ${b}`, missText: `is not ${b}` };
    }
    case "StringIn":
    case "StringNotIn": {
      const exact = new Set(f.strings);
      const folded = new Set(f.strings.map(fold));
      // An exact hit is a folded hit too (same string, same fold), so it can short-circuit.
      return { type: "string", hit: (v) => exact.has(v as string) || folded.has(fold(v as string)), hitText: `is in ${show(f.strings)}`, missText: `is not in ${show(f.strings)}` };
    }
    case "StringContains":
    case "StringNotContains":
    case "StringBeginsWith":
    case "StringNotBeginsWith":
    case "StringEndsWith":
    case "StringNotEndsWith": {
      const verb = f.operatorType.includes("Contains") ? "contain" : f.operatorType.includes("Begins") ? "begin with" : "end with";
      const tests = f.strings.map((s) => foldedTest(verb, fold(s)));
      const first = tests[0];
      const hit =
        tests.length === 1
          ? (v: Scalar): boolean => first(v as string)
          : (v: Scalar): boolean => {
              for (let i = 0; i < tests.length; i++) if (tests[i](v as string)) return true;
              return false;
            };
      const many = f.strings.length > 1 ? `any of ${show(f.strings)}` : show(f.strings[0]);
      return { type: "string", hit, hitText: `does ${verb} ${many}`, missText: `does not ${verb} ${many}` };
    }
    default: {
      const never: never = f;
      throw new Error(`unhandled operator ${String((never as { operatorType: string }).operatorType)}`);
    }
  }
}

/** A resolved value in words, for reasons. */
function describeValue(v: Resolved): string {
  if (v === THROUGH_ARRAY) return "reached through an array";
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return `the array ${show(v)}`;
  if (typeof v === "object") return `an object`;
  return `the ${typeof v} ${show(v)}`;
}

function advancedClause(f: NormalizedAdvancedFilter, index: number, arrays: boolean, keyCase: KeyCase): Clause {
  const clause = `advancedFilters[${index}]`;
  const read = keyReader(f.parsedKey, keyCase);
  const key = f.key;
  const op: AdvancedFilterOperator = f.operatorType;
  if (f.operatorType === "IsNullOrUndefined") {
    return {
      clause,
      test: (e, d) => {
        const v = read(e, d);
        return v === undefined || v === null;
      },
      reason: (e, d) => `${key} is ${describeValue(read(e, d))}, not null or missing (IsNullOrUndefined)`,
    };
  }
  if (f.operatorType === "IsNotNull") {
    return {
      clause,
      test: (e, d) => {
        const v = read(e, d);
        return v !== undefined && v !== null && v !== THROUGH_ARRAY;
      },
      reason: (e, d) => `${key} is ${describeValue(read(e, d))} (IsNotNull)`,
    };
  }
  const { type, hit, hitText, missText } = operatorParts(f);
  const negated = NEGATED_OPERATORS.has(op);
  const whenMissing = MATCH_WHEN_MISSING.has(op);
  const expected = operatorValueKind(op);
  // Whether one value hits a reference value. Values of another type are ignored (never hit), as
  // Microsoft documents for array elements; String operators read a number as its JSON text.
  const hitValue =
    type === "string"
      ? (v: unknown): boolean => (typeof v === "string" ? hit(v) : typeof v === "number" ? hit(String(v)) : false)
      : (v: unknown): boolean => typeof v === type && hit(v as Scalar);

  const test = (e: Event, d: unknown): boolean => {
    const v = read(e, d);
    if (typeof v === type) return negated !== hit(v as Scalar);
    if (v === undefined) return whenMissing;
    if (Array.isArray(v)) {
      if (!arrays) return false;
      let any = false;
      for (let i = 0; i < v.length; i++) {
        const el: unknown = v[i];
        if (el !== null && typeof el === "object") return false; // arrays of objects (or arrays) are unsupported
        if (!any && hitValue(el)) any = true;
      }
      return negated !== any;
    }
    if (v === THROUGH_ARRAY || (v !== null && typeof v === "object")) return false;
    return negated !== hitValue(v);
  };

  const reason = (e: Event, d: unknown): string => {
    const v = read(e, d);
    if (v === undefined) return `${key} is missing, and ${op} does not match a missing key`;
    if (v === THROUGH_ARRAY) return `${key} steps through an array, which advanced filters do not support`;
    if (Array.isArray(v)) {
      if (!arrays) return `${key} is the array ${show(v)} and enableAdvancedFilteringOnArrays is off`;
      if (v.some((el: unknown) => el !== null && typeof el === "object")) return `${key} is an array of objects, which advanced filters do not support`;
      if (negated) return `element ${show(v.find(hitValue))} of ${key} ${hitText} (${op})`;
      return `no element of ${key} ${show(v)} ${hitText} (${op})`;
    }
    if (v !== null && typeof v === "object") return `${key} is an object, which advanced filters do not compare`;
    if (typeof v === type || (type === "string" && typeof v === "number")) return `${key} ${show(v)} ${negated ? hitText : missText} (${op})`;
    // Only a positive operator fails on a value of another type (a negated one ignores it and matches).
    return `${key} is ${describeValue(v)}, and ${op} ignores values that are not ${expected}s`;
  };
  return { clause, test, reason };
}

function compileClauses(filter: unknown, keyCase: KeyCase): Clause[] {
  const read = readFilter(filter);
  if (read.problems.length > 0) throw new InvalidFilterError(read.problems.map((p) => p.message));
  const clauses: Clause[] = [];
  const readType = envelopeReader("eventType");
  const readSubject = envelopeReader("subject");

  // `["All"]` is Microsoft's documented spelling of "every event type" (see ALL_EVENT_TYPES_ENTRY).
  if (read.includedEventTypes !== undefined && !read.includedEventTypes.some(isAllEventTypesEntry)) {
    const types = read.includedEventTypes;
    const exact = new Set(types);
    const folded = new Set(types.map(fold));
    const typesText = show(types);
    clauses.push({
      clause: "includedEventTypes",
      test: (e) => {
        const t = readType(e);
        return typeof t === "string" && (exact.has(t) || folded.has(foldEventType(t)));
      },
      reason: (e) => {
        const t = readType(e);
        return `eventType ${typeof t === "string" ? showEventType(t) : show(t)} is not one of ${typesText}`;
      },
    });
  }
  const cs = read.isSubjectCaseSensitive;
  const subjectClause = (name: "subjectBeginsWith" | "subjectEndsWith", text: string): Clause => {
    const begins = name === "subjectBeginsWith";
    const how = `${begins ? "begin" : "end"} with ${show(text)}${cs ? " (case-sensitive)" : ""}`;
    const matches = cs
      ? begins
        ? (s: string) => s.startsWith(text)
        : (s: string) => s.endsWith(text)
      : foldedTest(begins ? "begin with" : "end with", fold(text));
    return {
      clause: name,
      test: (e) => {
        const s = readSubject(e);
        return typeof s === "string" && matches(s);
      },
      reason: (e) => {
        const s = readSubject(e);
        return `subject ${typeof s === "string" ? showSubject(s) : show(s)} does not ${how}`;
      },
    };
  };
  // An empty prefix or suffix is no condition.
  if (read.subjectBeginsWith) clauses.push(subjectClause("subjectBeginsWith", read.subjectBeginsWith));
  if (read.subjectEndsWith) clauses.push(subjectClause("subjectEndsWith", read.subjectEndsWith));
  for (const { index, filter: f } of read.advancedFilters) clauses.push(advancedClause(f, index, read.enableAdvancedFilteringOnArrays, keyCase));
  return clauses;
}

function asEvent(event: unknown): Event {
  if (!isRecord(event)) {
    throw new TypeError(`An Event Grid event must be an object with id, topic, subject, eventType and data; got ${show(event)}.`);
  }
  return event;
}

/**
 * Compiles `filter` (azure-native `EventSubscriptionFilter` input shape) once into a predicate.
 * Throws {@link InvalidFilterError} when Azure would reject the filter's structure.
 */
export function compileFilter(filter: EventFilter | unknown, options?: EvaluateOptions): CompiledFilter {
  const clauses = compileClauses(filter, keyCaseOf(options));
  const tests = clauses.map((c) => c.test);
  const n = tests.length;
  const compiled = ((event: unknown): boolean => {
    const e = asEvent(event);
    const d = readData(e);
    for (let i = 0; i < n; i++) if (!tests[i](e, d)) return false;
    return true;
  }) as CompiledFilter;
  compiled.explain = (event: unknown): FilterMiss | undefined => {
    const e = asEvent(event);
    const d = readData(e);
    for (const c of clauses) if (!c.test(e, d)) return { clause: c.clause, reason: c.reason(e, d) };
    return undefined;
  };
  return compiled;
}

const caches: Readonly<Record<KeyCase, WeakMap<object, CompiledFilter>>> = { ignore: new WeakMap(), exact: new WeakMap() };

/**
 * The compiled form of `filter`, cached per filter object. Filters are treated as immutable values:
 * mutating a filter after evaluating it is not seen (compile a new object instead).
 */
export function compiledFilter(filter: EventFilter | unknown, options?: EvaluateOptions): CompiledFilter {
  const keyCase = keyCaseOf(options);
  if (typeof filter !== "object" || filter === null) return compileFilter(filter, { keyCase });
  const cache = caches[keyCase];
  let compiled = cache.get(filter);
  if (compiled === undefined) {
    compiled = compileFilter(filter, { keyCase });
    cache.set(filter, compiled);
  }
  return compiled;
}

/**
 * Whether Azure Event Grid delivers `event` (Event Grid schema) to a subscription with `filter`.
 * Throws {@link InvalidFilterError} for a filter Azure would reject as malformed.
 */
export function evaluateFilter(filter: EventFilter | unknown, event: unknown, options?: EvaluateOptions): boolean {
  return compiledFilter(filter, options)(event);
}

/** The first clause of `filter` that rejects `event`, or `undefined` when it is delivered. Agrees with {@link evaluateFilter}. */
export function explainFilter(filter: EventFilter | unknown, event: unknown, options?: EvaluateOptions): FilterMiss | undefined {
  return compiledFilter(filter, options).explain(event);
}
