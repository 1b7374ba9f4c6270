import { AmlEventType, AmlEventTypeName } from "../events/types";
import { AdvancedFilter, EventFilter, NumberCompareOperator, NumberListOperator, NumberRangeOperator, StringOperator } from "./types";

function strings(operatorType: StringOperator) {
  return (key: string, ...values: string[]): AdvancedFilter => ({ operatorType, key, values });
}
function numbers(operatorType: NumberListOperator) {
  return (key: string, ...values: number[]): AdvancedFilter => ({ operatorType, key, values });
}
function compare(operatorType: NumberCompareOperator) {
  return (key: string, value: number): AdvancedFilter => ({ operatorType, key, value });
}
function ranges(operatorType: NumberRangeOperator) {
  return (key: string, ...values: [number, number][]): AdvancedFilter => ({ operatorType, key, values });
}

/** Typed constructors for the 19 advanced-filter operators, e.g. `advanced.stringIn("data.runStatus", "failed")`. */
export const advanced = {
  numberIn: numbers("NumberIn"),
  numberNotIn: numbers("NumberNotIn"),
  numberLessThan: compare("NumberLessThan"),
  numberGreaterThan: compare("NumberGreaterThan"),
  numberLessThanOrEquals: compare("NumberLessThanOrEquals"),
  numberGreaterThanOrEquals: compare("NumberGreaterThanOrEquals"),
  numberInRange: ranges("NumberInRange"),
  numberNotInRange: ranges("NumberNotInRange"),
  boolEquals: (key: string, value: boolean): AdvancedFilter => ({ operatorType: "BoolEquals", key, value }),
  stringIn: strings("StringIn"),
  stringNotIn: strings("StringNotIn"),
  stringContains: strings("StringContains"),
  stringNotContains: strings("StringNotContains"),
  stringBeginsWith: strings("StringBeginsWith"),
  stringNotBeginsWith: strings("StringNotBeginsWith"),
  stringEndsWith: strings("StringEndsWith"),
  stringNotEndsWith: strings("StringNotEndsWith"),
  isNullOrUndefined: (key: string): AdvancedFilter => ({ operatorType: "IsNullOrUndefined", key }),
  isNotNull: (key: string): AdvancedFilter => ({ operatorType: "IsNotNull", key }),
} as const;

/** A filter on event types only. */
export function eventTypes(...types: AmlEventTypeName[]): EventFilter {
  return { includedEventTypes: types };
}

/** Merges filters: event types intersect (absent = all), advanced filters concatenate, subject parts must agree. */
export function allOf(...filters: EventFilter[]): EventFilter {
  let types: readonly string[] | undefined;
  const advancedFilters: AdvancedFilter[] = [];
  let out: EventFilter = {};
  for (const f of filters) {
    if (f.includedEventTypes !== undefined) {
      types = types === undefined ? [...f.includedEventTypes] : types.filter((t) => f.includedEventTypes?.includes(t));
    }
    for (const key of ["subjectBeginsWith", "subjectEndsWith", "isSubjectCaseSensitive", "enableAdvancedFilteringOnArrays"] as const) {
      const value = f[key];
      if (value === undefined) continue;
      const prior = out[key];
      if (prior !== undefined && prior !== value) {
        throw new Error(`allOf: conflicting ${key} values ${JSON.stringify(prior)} and ${JSON.stringify(value)}; keep one.`);
      }
      out = { ...out, [key]: value };
    }
    advancedFilters.push(...(f.advancedFilters ?? []));
  }
  return {
    ...(types === undefined ? {} : { includedEventTypes: types }),
    ...out,
    ...(advancedFilters.length > 0 ? { advancedFilters } : {}),
  };
}

/** Events whose model tag `tag` equals `value` (case-insensitive, as Event Grid compares strings). */
export function modelTagEquals(tag: string, value: string): AdvancedFilter {
  return advanced.stringIn(`data.modelTags.${tag}`, value);
}

/** Events whose model tag `tag` is one of `values`. */
export function modelTagIn(tag: string, values: readonly string[]): AdvancedFilter {
  return advanced.stringIn(`data.modelTags.${tag}`, ...values);
}

/** RunStatusChanged events whose `runStatus` is one of `statuses` (e.g. `failed`). */
export function runStatusIn(...statuses: string[]): EventFilter {
  return { includedEventTypes: [AmlEventType.RunStatusChanged], advancedFilters: [advanced.stringIn("data.runStatus", ...statuses)] };
}

/** Run events whose `runType` is one of `runTypes` (e.g. `azureml.PipelineRun`). */
export function runTypeIn(...runTypes: string[]): AdvancedFilter {
  return advanced.stringIn("data.runType", ...runTypes);
}

/** Run events of experiments whose name is one of `names`. */
export function experimentNameIn(...names: string[]): AdvancedFilter {
  return advanced.stringIn("data.experimentName", ...names);
}

/** DatasetDriftDetected events with a drift coefficient of at least `threshold`. */
export function driftCoefficientAtLeast(threshold: number): AdvancedFilter {
  return advanced.numberGreaterThanOrEquals("data.driftCoefficient", threshold);
}

/** DatasetDriftDetected events from the drift monitors named `names`. */
export function driftMonitorIn(...names: string[]): AdvancedFilter {
  return advanced.stringIn("data.dataDriftName", ...names);
}
