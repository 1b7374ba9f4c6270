import { AmlEventType } from "../events/types";
import { AdvancedFilter, AdvancedFilterOperator, EventFilter } from "../filters/types";
import { isAdvancedFilterOperator, operatorShape } from "../filters/normalize";
import { ArgKeys, unknownArgumentProblems, unknownArgumentProblemsInList } from "../workspace/argKeys";

/**
 * One advanced filter as plain data, for every language: the operator picks which value field is read
 * (a union in TypeScript would not cross into Python, Go, .NET or YAML).
 */
export interface StreamAdvancedFilter {
  /** Event Grid operator, e.g. "StringIn", "NumberGreaterThan", "BoolEquals", "IsNotNull". */
  readonly operatorType: string;
  /** `data.a.b` or an envelope key (`subject`, `eventType`, ...). */
  readonly key: string;
  /** Strings compared by the String* operators (case-insensitive). @default - none; required by String* operators */
  readonly values?: string[];
  /** The number compared by NumberGreaterThan(OrEquals) and NumberLessThan(OrEquals). @default - none; required by those operators */
  readonly value?: number;
  /** Numbers for NumberIn and NumberNotIn. @default - none; required by those operators */
  readonly numberValues?: number[];
  /** Inclusive `[low, high]` pairs for NumberInRange and NumberNotInRange. @default - none; required by those operators */
  readonly ranges?: number[][];
  /** The boolean compared by BoolEquals. @default - none; required by BoolEquals */
  readonly boolValue?: boolean;
}

/** Subject and advanced filtering of a stream, on top of its event types. */
export interface StreamFilter {
  /** Plain subject prefix, no wildcards. @default - no prefix check */
  readonly subjectBeginsWith?: string;
  /** Plain subject suffix, no wildcards. @default - no suffix check */
  readonly subjectEndsWith?: string;
  /** Compare subject prefix/suffix case-sensitively. @default false */
  readonly isSubjectCaseSensitive?: boolean;
  /** Let advanced filters look into array values. @default false */
  readonly enableAdvancedFilteringOnArrays?: boolean;
  /** Advanced filters: all must match (AND); values inside one filter are OR'd. @default [] */
  readonly advancedFilters?: StreamAdvancedFilter[];
}

/** The names of `StreamFilter`. */
export const STREAM_FILTER_KEYS = {
  subjectBeginsWith: true,
  subjectEndsWith: true,
  isSubjectCaseSensitive: true,
  enableAdvancedFilteringOnArrays: true,
  advancedFilters: true,
} as const satisfies ArgKeys<StreamFilter>;

/** The names of `StreamAdvancedFilter`. */
export const STREAM_ADVANCED_FILTER_KEYS = {
  operatorType: true,
  key: true,
  values: true,
  value: true,
  numberValues: true,
  ranges: true,
  boolValue: true,
} as const satisfies ArgKeys<StreamAdvancedFilter>;

/**
 * Unknown or misplaced names in a plain filter, named from `path` (`subscriptions[0].`, or "" for a
 * component's own `filter`). In plain data the event types sit beside `filter`, not inside it as in
 * `subscribe()`'s filter; written inside, they would be dropped and every event type delivered.
 */
export function plainFilterKeyProblems(path: string, filter: unknown): string[] {
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) return [];
  const misplaced = Object.prototype.hasOwnProperty.call(filter, "includedEventTypes")
    ? [`${path}filter.includedEventTypes belongs beside filter, not inside it: write ${path}includedEventTypes: [...] (in plain data the event types are a sibling of filter; only subscribe() in TypeScript takes them inside filter).`]
    : [];
  const rest = Object.fromEntries(Object.entries(filter).filter(([k]) => k !== "includedEventTypes"));
  return [
    ...misplaced,
    ...unknownArgumentProblems(rest, STREAM_FILTER_KEYS, `${path}filter.`),
    ...unknownArgumentProblemsInList((filter as StreamFilter).advancedFilters, STREAM_ADVANCED_FILTER_KEYS, `${path}filter.advancedFilters`),
  ];
}

type ValueField = "values" | "value" | "numberValues" | "ranges" | "boolValue";
const VALUE_FIELDS: readonly ValueField[] = ["values", "value", "numberValues", "ranges", "boolValue"];

const FIELD_OF_SHAPE: Readonly<Record<ReturnType<typeof operatorShape>, ValueField | undefined>> = {
  strings: "values",
  number: "value",
  numbers: "numberValues",
  ranges: "ranges",
  boolean: "boolValue",
  none: undefined,
};

/** The one value field an operator reads, or undefined for the null checks. */
function fieldOf(op: AdvancedFilterOperator): ValueField | undefined {
  return FIELD_OF_SHAPE[operatorShape(op)];
}

/** Problems of one plain advanced filter: unknown operator, missing value field, or a field the operator ignores. */
export function streamAdvancedFilterProblems(where: string, f: StreamAdvancedFilter): string[] {
  if (!isAdvancedFilterOperator(f.operatorType)) {
    return [`${where}: operatorType ${JSON.stringify(f.operatorType)} is not an Event Grid advanced-filter operator; use one of StringIn, StringContains, NumberGreaterThan, BoolEquals, IsNotNull, ... (Event Grid's 19 operators).`];
  }
  const wanted = fieldOf(f.operatorType);
  const problems: string[] = [];
  if (wanted !== undefined && f[wanted] === undefined) {
    problems.push(`${where}: operatorType ${f.operatorType} on key ${JSON.stringify(f.key)} needs ${wanted}; set it.`);
  }
  for (const field of VALUE_FIELDS) {
    if (field !== wanted && f[field] !== undefined) {
      problems.push(`${where}: ${field} is set but operatorType ${f.operatorType} reads ${wanted ?? "no value"}; remove ${field}${wanted ? ` or move its value to ${wanted}` : ""}.`);
    }
  }
  return problems;
}

/** Problems of a component's stream filter: unknown or misplaced names, then each advanced filter by its index. */
export function streamFilterProblems(where: string, filter: StreamFilter | undefined): string[] {
  return [
    ...plainFilterKeyProblems("", filter).map((p) => `${where}: ${p}`),
    ...(filter?.advancedFilters ?? []).flatMap((f, i) => streamAdvancedFilterProblems(`${where}: filter.advancedFilters[${i}]`, f)),
  ];
}

/** The azure-native shaped advanced filter of a valid plain one (pure). */
export function toAdvancedFilter(f: StreamAdvancedFilter): AdvancedFilter {
  const op = f.operatorType as AdvancedFilterOperator;
  const key = f.key;
  switch (fieldOf(op)) {
    case "values":
      return { operatorType: op as Extract<AdvancedFilter, { values: readonly string[] }>["operatorType"], key, values: f.values ?? [] };
    case "value":
      return { operatorType: op as Extract<AdvancedFilter, { value: number }>["operatorType"], key, value: f.value ?? 0 };
    case "numberValues":
      return { operatorType: op as "NumberIn" | "NumberNotIn", key, values: f.numberValues ?? [] };
    case "ranges":
      return { operatorType: op as "NumberInRange" | "NumberNotInRange", key, values: f.ranges ?? [] };
    case "boolValue":
      return { operatorType: "BoolEquals", key, value: f.boolValue ?? false };
    case undefined:
      return { operatorType: op as "IsNullOrUndefined" | "IsNotNull", key };
  }
}

/** The subscription filter (without event types) of a valid plain stream filter (pure, deterministic key order). */
export function toEventFilter(filter: StreamFilter | undefined): Omit<EventFilter, "includedEventTypes"> {
  if (filter === undefined) return {};
  return {
    ...(filter.subjectBeginsWith === undefined ? {} : { subjectBeginsWith: filter.subjectBeginsWith }),
    ...(filter.subjectEndsWith === undefined ? {} : { subjectEndsWith: filter.subjectEndsWith }),
    ...(filter.isSubjectCaseSensitive === undefined ? {} : { isSubjectCaseSensitive: filter.isSubjectCaseSensitive }),
    ...(filter.enableAdvancedFilteringOnArrays === undefined ? {} : { enableAdvancedFilteringOnArrays: filter.enableAdvancedFilteringOnArrays }),
    ...(filter.advancedFilters === undefined ? {} : { advancedFilters: filter.advancedFilters.map(toAdvancedFilter) }),
  };
}

/** A library advanced filter (e.g. from `advanced.*` or the AML builders) as plain data (pure). */
export function toStreamAdvancedFilter(f: AdvancedFilter): StreamAdvancedFilter {
  const field = fieldOf(f.operatorType);
  const base = { operatorType: f.operatorType, key: f.key };
  if (field === undefined || !("value" in f || "values" in f)) return base;
  const raw = "values" in f ? f.values : f.value;
  const copy = Array.isArray(raw) ? raw.map((v: unknown) => (Array.isArray(v) ? [...(v as number[])] : v)) : raw;
  return { ...base, [field]: copy } as StreamAdvancedFilter;
}

/**
 * A library filter (what `subscribe()` takes, and what the filter builders return) as the plain data
 * of a `subscriptions` entry or a stream: the event types beside the filter, as every language writes
 * them (`{ ...plainSubscriptionFilter(runStatusIn("failed")) }`). Pure, deterministic key order.
 */
export function plainSubscriptionFilter(filter: EventFilter): { includedEventTypes?: AmlEventType[]; filter?: StreamFilter } {
  const rest: StreamFilter = {
    ...(filter.subjectBeginsWith === undefined ? {} : { subjectBeginsWith: filter.subjectBeginsWith }),
    ...(filter.subjectEndsWith === undefined ? {} : { subjectEndsWith: filter.subjectEndsWith }),
    ...(filter.isSubjectCaseSensitive === undefined ? {} : { isSubjectCaseSensitive: filter.isSubjectCaseSensitive }),
    ...(filter.enableAdvancedFilteringOnArrays === undefined ? {} : { enableAdvancedFilteringOnArrays: filter.enableAdvancedFilteringOnArrays }),
    ...(filter.advancedFilters === undefined ? {} : { advancedFilters: filter.advancedFilters.map(toStreamAdvancedFilter) }),
  };
  return {
    // Checked where the data is used (an unknown type names the closest AML one there).
    ...(filter.includedEventTypes === undefined ? {} : { includedEventTypes: [...filter.includedEventTypes] as AmlEventType[] }),
    ...(Object.keys(rest).length === 0 ? {} : { filter: rest }),
  };
}
