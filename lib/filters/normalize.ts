/**
 * Structural reading of a subscription filter, shared by the analyzer (which reports every problem
 * with a stable code) and the evaluator (which refuses a filter Azure would reject). Both read the
 * filter through {@link readFilter}, so "evaluateFilter throws" and "analyzeFilter reports a
 * structural error" always agree.
 */
import { isRecord } from "../events/parse";
import { ADVANCED_FILTER_OPERATORS, AdvancedFilterOperator, NullOperator, NumberCompareOperator, NumberListOperator, NumberRangeOperator, StringOperator } from "./types";

/** Operators whose filter matches when the key is missing (documented by Microsoft). */
export const MATCH_WHEN_MISSING: ReadonlySet<AdvancedFilterOperator> = new Set<AdvancedFilterOperator>(["NumberNotIn", "StringNotIn"]);

/** The negated operators: on a present value they match when the positive operator would not. */
export const NEGATED_OPERATORS: ReadonlySet<AdvancedFilterOperator> = new Set<AdvancedFilterOperator>([
  "NumberNotIn",
  "NumberNotInRange",
  "StringNotIn",
  "StringNotContains",
  "StringNotBeginsWith",
  "StringNotEndsWith",
]);

/**
 * The `includedEventTypes` entry Microsoft documents as "every event type of the source" ("Provide an
 * array with the event types, or specify `All` to get all event types", Event Grid's event filtering
 * doc; its ARM template samples write `"includedEventTypes": ["All"]`). Newer API docs prefer
 * omitting the list, which means the same.
 */
export const ALL_EVENT_TYPES_ENTRY = "All";

/** True when an `includedEventTypes` entry is {@link ALL_EVENT_TYPES_ENTRY} (in any case). */
export function isAllEventTypesEntry(entry: string): boolean {
  return entry.toLowerCase() === "all";
}

/** Each operator's negation (IsNullOrUndefined ↔ IsNotNull included). */
export const OPERATOR_NEGATION: Readonly<Partial<Record<AdvancedFilterOperator, AdvancedFilterOperator>>> = {
  NumberIn: "NumberNotIn",
  NumberNotIn: "NumberIn",
  NumberInRange: "NumberNotInRange",
  NumberNotInRange: "NumberInRange",
  StringIn: "StringNotIn",
  StringNotIn: "StringIn",
  StringContains: "StringNotContains",
  StringNotContains: "StringContains",
  StringBeginsWith: "StringNotBeginsWith",
  StringNotBeginsWith: "StringBeginsWith",
  StringEndsWith: "StringNotEndsWith",
  StringNotEndsWith: "StringEndsWith",
  IsNullOrUndefined: "IsNotNull",
  IsNotNull: "IsNullOrUndefined",
};

/** What an operator compares against: the JSON type it needs in the event. */
export type OperatorValueKind = "number" | "string" | "boolean" | "presence";

/** How an operator's reference values are written in the filter. */
export type OperatorShape = "numbers" | "number" | "ranges" | "boolean" | "strings" | "none";

const SHAPES: Readonly<Record<AdvancedFilterOperator, OperatorShape>> = {
  NumberIn: "numbers",
  NumberNotIn: "numbers",
  NumberLessThan: "number",
  NumberGreaterThan: "number",
  NumberLessThanOrEquals: "number",
  NumberGreaterThanOrEquals: "number",
  NumberInRange: "ranges",
  NumberNotInRange: "ranges",
  BoolEquals: "boolean",
  StringIn: "strings",
  StringNotIn: "strings",
  StringContains: "strings",
  StringNotContains: "strings",
  StringBeginsWith: "strings",
  StringNotBeginsWith: "strings",
  StringEndsWith: "strings",
  StringNotEndsWith: "strings",
  IsNullOrUndefined: "none",
  IsNotNull: "none",
};

/** The reference-value shape of `op`. */
export function operatorShape(op: AdvancedFilterOperator): OperatorShape {
  return SHAPES[op];
}

/** The JSON type `op` compares against. */
export function operatorValueKind(op: AdvancedFilterOperator): OperatorValueKind {
  switch (SHAPES[op]) {
    case "numbers":
    case "number":
    case "ranges":
      return "number";
    case "boolean":
      return "boolean";
    case "strings":
      return "string";
    case "none":
      return "presence";
    default: {
      const never: never = SHAPES[op];
      throw new Error(`unhandled operator shape ${String(never)}`);
    }
  }
}

/** True when `value` is one of the 19 operator names (exact spelling, as ARM requires). */
export function isAdvancedFilterOperator(value: unknown): value is AdvancedFilterOperator {
  return typeof value === "string" && (ADVANCED_FILTER_OPERATORS as readonly string[]).includes(value);
}

/** The canonical spelling of the five envelope keys Microsoft documents for the Event Grid schema, by lower-case name. */
export const ENVELOPE_KEYS: Readonly<Record<string, string>> = {
  id: "id",
  topic: "topic",
  subject: "subject",
  eventtype: "eventType",
  dataversion: "dataVersion",
};

/** Envelope properties an Event Grid event carries but Microsoft does not list as filter keys. */
export const UNDOCUMENTED_ENVELOPE_KEYS: Readonly<Record<string, string>> = {
  eventtime: "eventTime",
  metadataversion: "metadataVersion",
};

/** A parsed advanced-filter key. */
export type ParsedKey =
  | { readonly kind: "data"; readonly path: readonly string[] }
  | { readonly kind: "envelope"; readonly lower: string; readonly name: string };

/**
 * Parses `data.a.b` (the `data` root in any case, as Microsoft's own examples write `Data.Key1`;
 * segments after it as written, no escaping of dots) or an envelope key (`Subject`, `eventType`, …).
 * Returns a problem string for keys that cannot address anything.
 */
export function parseKey(key: string): ParsedKey | { readonly problem: string } {
  if (key.trim() === "") return { problem: "the key is empty" };
  const segments = key.split(".");
  if (segments.some((s) => s === "")) {
    return { problem: `the key ${JSON.stringify(key)} has an empty segment (a leading, trailing or doubled dot); Event Grid keys are dot-separated names with no escaping` };
  }
  if (segments[0].toLowerCase() === "data") return { kind: "data", path: segments.slice(1) };
  if (segments.length > 1) {
    return { problem: `the key ${JSON.stringify(key)} has dots but does not start with "data."; only data fields can be nested (e.g. data.${segments.slice(1).join(".")})` };
  }
  const lower = key.toLowerCase();
  return { kind: "envelope", lower, name: ENVELOPE_KEYS[lower] ?? UNDOCUMENTED_ENVELOPE_KEYS[lower] ?? key };
}

/** An advanced filter whose structure Azure would accept, with its values read. */
export type NormalizedAdvancedFilter =
  | { readonly operatorType: NumberListOperator; readonly key: string; readonly parsedKey: ParsedKey; readonly numbers: readonly number[] }
  | {
      readonly operatorType: NumberCompareOperator;
      readonly key: string;
      readonly parsedKey: ParsedKey;
      readonly number: number;
    }
  | { readonly operatorType: NumberRangeOperator; readonly key: string; readonly parsedKey: ParsedKey; readonly ranges: readonly (readonly [number, number])[] }
  | { readonly operatorType: "BoolEquals"; readonly key: string; readonly parsedKey: ParsedKey; readonly boolean: boolean }
  | {
      readonly operatorType: StringOperator;
      readonly key: string;
      readonly parsedKey: ParsedKey;
      readonly strings: readonly string[];
    }
  | { readonly operatorType: NullOperator; readonly key: string; readonly parsedKey: ParsedKey };

/** Codes of the structural problems {@link readFilter} can report (a subset of the analyzer's codes). */
export type StructuralCode =
  | "invalid-filter"
  | "unknown-operator"
  | "invalid-key"
  | "missing-values"
  | "invalid-value"
  | "invalid-range";

/** One structural problem: where, which code, and a message saying what is wrong and how to fix it. */
export interface StructuralProblem {
  /** The analyzer code for the problem. */
  readonly code: StructuralCode;
  /** `includedEventTypes`, `subjectBeginsWith`, `advancedFilters[2]`, … */
  readonly path: string;
  /** What is wrong and how to fix it, starting with the path. */
  readonly message: string;
}

/** A filter read into checked parts. `problems` is empty when Azure would accept the structure. */
export interface ReadFilter {
  /** `undefined` when absent or null (all event types). */
  readonly includedEventTypes?: readonly string[];
  /** The subject prefix, `undefined` when absent or null. */
  readonly subjectBeginsWith?: string;
  /** The subject suffix, `undefined` when absent or null. */
  readonly subjectEndsWith?: string;
  /** `isSubjectCaseSensitive`, false when absent. */
  readonly isSubjectCaseSensitive: boolean;
  /** `enableAdvancedFilteringOnArrays`, false when absent. */
  readonly enableAdvancedFilteringOnArrays: boolean;
  /** The advanced filters that are well-formed, with their index in the input. */
  readonly advancedFilters: readonly { readonly index: number; readonly filter: NormalizedAdvancedFilter }[];
  /** The number of entries in the input's `advancedFilters`, well-formed or not. */
  readonly advancedFilterCount: number;
  /** Every structural problem found, in input order. */
  readonly problems: readonly StructuralProblem[];
}

const show = (v: unknown): string => {
  if (v === undefined) return "nothing";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** The closest operator name ignoring case and small typos, for "did you mean" hints. */
const OPERATOR_ALIASES: Readonly<Record<string, AdvancedFilterOperator>> = {
  stringequal: "StringIn",
  stringequals: "StringIn",
  stringnotequal: "StringNotIn",
  stringnotequals: "StringNotIn",
  numberequal: "NumberIn",
  numberequals: "NumberIn",
  numbernotequal: "NumberNotIn",
  numbernotequals: "NumberNotIn",
  stringstartswith: "StringBeginsWith",
  stringnotstartswith: "StringNotBeginsWith",
  isnull: "IsNullOrUndefined",
  isundefined: "IsNullOrUndefined",
  boolequal: "BoolEquals",
};

/** The operator `name` most likely means (an alias such as `StringEquals`, or within a small edit distance), or undefined. */
export function closestOperator(name: string): AdvancedFilterOperator | undefined {
  const lower = name.toLowerCase().replace(/[^a-z]/g, "");
  if (Object.prototype.hasOwnProperty.call(OPERATOR_ALIASES, lower)) return OPERATOR_ALIASES[lower];
  let best: AdvancedFilterOperator | undefined;
  let bestDistance = Infinity;
  for (const op of ADVANCED_FILTER_OPERATORS) {
    const d = editDistance(lower, op.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = op;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(lower.length / 4)) ? best : undefined;
}

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

function readAdvancedFilter(raw: unknown, index: number, problems: StructuralProblem[]): NormalizedAdvancedFilter | undefined {
  const path = `advancedFilters[${index}]`;
  const fail = (code: StructuralCode, message: string): undefined => {
    problems.push({ code, path, message: `${path}: ${message}` });
    return undefined;
  };
  if (!isRecord(raw)) {
    return fail("invalid-filter", `an advanced filter must be an object {operatorType, key, value | values}, got ${show(raw)}.`);
  }
  const op = raw.operatorType;
  if (!isAdvancedFilterOperator(op)) {
    const hint = typeof op === "string" ? closestOperator(op) : undefined;
    return fail(
      "unknown-operator",
      `operatorType ${show(op)} is not an Event Grid operator` +
        (hint ? `; did you mean "${hint}"?` : `; use one of ${ADVANCED_FILTER_OPERATORS.join(", ")}.`),
    );
  }
  const key = raw.key;
  if (typeof key !== "string") {
    return fail("invalid-key", `${op} needs a string key such as "data.runStatus" or "subject", got ${show(key)}.`);
  }
  const parsedKey = parseKey(key);
  if ("problem" in parsedKey) return fail("invalid-key", `${parsedKey.problem}.`);

  const shape = SHAPES[op];
  const listName = "values";
  const single = raw.value;
  const list = raw.values;
  switch (shape) {
    case "none":
      return { operatorType: op as "IsNullOrUndefined" | "IsNotNull", key, parsedKey };
    case "number":
    case "boolean": {
      if (single === undefined || single === null) {
        const extra = Array.isArray(list) ? ` (it takes one "value", not a "values" list)` : "";
        return fail("missing-values", `${op} on ${key} needs "value": a single ${shape}${extra}.`);
      }
      if (shape === "number") {
        if (typeof single !== "number" || !Number.isFinite(single)) {
          return fail("invalid-value", `${op} on ${key} needs a finite number "value", got ${show(single)}${typeof single === "string" ? ` (write ${single} without quotes)` : ""}.`);
        }
        return { operatorType: op as "NumberLessThan", key, parsedKey, number: single };
      }
      if (typeof single !== "boolean") {
        return fail("invalid-value", `BoolEquals on ${key} needs "value": true or false, got ${show(single)}.`);
      }
      return { operatorType: "BoolEquals", key, parsedKey, boolean: single };
    }
    case "numbers":
    case "strings":
    case "ranges": {
      if (!Array.isArray(list)) {
        const extra = single !== undefined ? ` (it takes a "values" list, not a single "value": write "values": [${show(single)}])` : "";
        return fail("missing-values", `${op} on ${key} needs "${listName}": a non-empty list${extra}.`);
      }
      if (list.length === 0) return fail("missing-values", `${op} on ${key} has an empty "values" list; give at least one value or remove the filter.`);
      if (shape === "strings") {
        const bad = list.findIndex((v) => typeof v !== "string");
        if (bad >= 0) {
          return fail("invalid-value", `${op} on ${key}: values[${bad}] must be a string, got ${show(list[bad])}${typeof list[bad] === "number" ? ` (write "${String(list[bad])}")` : ""}.`);
        }
        return { operatorType: op as "StringIn", key, parsedKey, strings: list as string[] };
      }
      if (shape === "numbers") {
        const bad = list.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
        if (bad >= 0) {
          return fail("invalid-value", `${op} on ${key}: values[${bad}] must be a finite number, got ${show(list[bad])}.`);
        }
        return { operatorType: op as "NumberIn", key, parsedKey, numbers: list as number[] };
      }
      const ranges: [number, number][] = [];
      for (let i = 0; i < list.length; i++) {
        const pair: unknown = list[i];
        if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === "number" && Number.isFinite(v))) {
          return fail("invalid-range", `${op} on ${key}: values[${i}] must be a [low, high] pair of finite numbers, got ${show(pair)}.`);
        }
        const [low, high] = pair as [number, number];
        if (low > high) {
          return fail("invalid-range", `${op} on ${key}: values[${i}] ${show(pair)} has low > high; write [${high}, ${low}].`);
        }
        ranges.push([low, high]);
      }
      return { operatorType: op as "NumberInRange", key, parsedKey, ranges };
    }
    default: {
      const never: never = shape;
      throw new Error(`unhandled shape ${String(never)}`);
    }
  }
}

/**
 * Reads a filter given as a plain object in the azure-native `EventSubscriptionFilter` input shape.
 * Never throws: every structural problem is returned in `problems` with a code and a message.
 */
export function readFilter(raw: unknown): ReadFilter {
  const problems: StructuralProblem[] = [];
  // No filter at all (the subscription's filter is optional) delivers every event.
  if (raw === undefined || raw === null) raw = {};
  if (!isRecord(raw)) {
    problems.push({ code: "invalid-filter", path: "filter", message: `filter: a subscription filter must be an object, got ${show(raw)}.` });
    return { isSubjectCaseSensitive: false, enableAdvancedFilteringOnArrays: false, advancedFilters: [], advancedFilterCount: 0, problems };
  }
  let includedEventTypes: string[] | undefined;
  const types = raw.includedEventTypes;
  if (types !== undefined && types !== null) {
    if (!Array.isArray(types) || types.some((t) => typeof t !== "string")) {
      problems.push({
        code: "invalid-filter",
        path: "includedEventTypes",
        message: `includedEventTypes must be a list of event type strings (or absent for all types), got ${show(types)}.`,
      });
    } else {
      includedEventTypes = types as string[];
    }
  }
  const optString = (name: "subjectBeginsWith" | "subjectEndsWith"): string | undefined => {
    const v = raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") {
      problems.push({ code: "invalid-filter", path: name, message: `${name} must be a string, got ${show(v)}.` });
      return undefined;
    }
    return v;
  };
  const optBool = (name: "isSubjectCaseSensitive" | "enableAdvancedFilteringOnArrays"): boolean => {
    const v = raw[name];
    if (v === undefined || v === null) return false;
    if (typeof v !== "boolean") {
      problems.push({ code: "invalid-filter", path: name, message: `${name} must be true or false, got ${show(v)}.` });
      return false;
    }
    return v;
  };
  const subjectBeginsWith = optString("subjectBeginsWith");
  const subjectEndsWith = optString("subjectEndsWith");
  const isSubjectCaseSensitive = optBool("isSubjectCaseSensitive");
  const enableAdvancedFilteringOnArrays = optBool("enableAdvancedFilteringOnArrays");
  const advancedFilters: { index: number; filter: NormalizedAdvancedFilter }[] = [];
  let advancedFilterCount = 0;
  const list = raw.advancedFilters;
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) {
      problems.push({ code: "invalid-filter", path: "advancedFilters", message: `advancedFilters must be a list, got ${show(list)}.` });
    } else {
      advancedFilterCount = list.length;
      list.forEach((f, index) => {
        const filter = readAdvancedFilter(f, index, problems);
        if (filter) advancedFilters.push({ index, filter });
      });
    }
  }
  return {
    ...(includedEventTypes === undefined ? {} : { includedEventTypes }),
    ...(subjectBeginsWith === undefined ? {} : { subjectBeginsWith }),
    ...(subjectEndsWith === undefined ? {} : { subjectEndsWith }),
    isSubjectCaseSensitive,
    enableAdvancedFilteringOnArrays,
    advancedFilters,
    advancedFilterCount,
    problems,
  };
}
