/**
 * The Event Grid subscription filter model, in the azure-native `EventSubscriptionFilter` input shape.
 * Filters are plain values (not Pulumi outputs) so they can be validated, analyzed and evaluated
 * offline at construction time.
 */

/** Operators that compare a number against a list of numbers. */
export type NumberListOperator = "NumberIn" | "NumberNotIn";
/** Operators that compare a number against one number. */
export type NumberCompareOperator =
  | "NumberGreaterThan"
  | "NumberGreaterThanOrEquals"
  | "NumberLessThan"
  | "NumberLessThanOrEquals";
/** Operators that compare a number against inclusive `[low, high]` ranges. */
export type NumberRangeOperator = "NumberInRange" | "NumberNotInRange";
/** Operators that compare a string against a list of strings (case-insensitive). */
export type StringOperator =
  | "StringIn"
  | "StringNotIn"
  | "StringContains"
  | "StringNotContains"
  | "StringBeginsWith"
  | "StringNotBeginsWith"
  | "StringEndsWith"
  | "StringNotEndsWith";
/** Operators that test presence only. */
export type NullOperator = "IsNullOrUndefined" | "IsNotNull";

/** All 19 advanced-filter operators Event Grid supports. */
export type AdvancedFilterOperator =
  | NumberListOperator
  | NumberCompareOperator
  | NumberRangeOperator
  | "BoolEquals"
  | StringOperator
  | NullOperator;

/** Every operator, in Microsoft's documentation order. */
export const ADVANCED_FILTER_OPERATORS: readonly AdvancedFilterOperator[] = [
  "NumberIn",
  "NumberNotIn",
  "NumberLessThan",
  "NumberGreaterThan",
  "NumberLessThanOrEquals",
  "NumberGreaterThanOrEquals",
  "BoolEquals",
  "StringContains",
  "StringBeginsWith",
  "StringEndsWith",
  "StringIn",
  "StringNotIn",
  "StringNotContains",
  "StringNotBeginsWith",
  "StringNotEndsWith",
  "NumberInRange",
  "NumberNotInRange",
  "IsNullOrUndefined",
  "IsNotNull",
];

/** An advanced filter: `key` is `data.a.b` or an envelope key (`subject`, `eventType`, …). */
export type AdvancedFilter =
  | { readonly operatorType: NumberListOperator; readonly key: string; readonly values: readonly number[] }
  | { readonly operatorType: NumberCompareOperator; readonly key: string; readonly value: number }
  | { readonly operatorType: NumberRangeOperator; readonly key: string; readonly values: readonly (readonly number[])[] }
  | { readonly operatorType: "BoolEquals"; readonly key: string; readonly value: boolean }
  | { readonly operatorType: StringOperator; readonly key: string; readonly values: readonly string[] }
  | { readonly operatorType: NullOperator; readonly key: string };

/** A subscription filter in the azure-native `EventSubscriptionFilter` input shape. */
export interface EventFilter {
  /** Event types to deliver. @default - all event types of the topic */
  readonly includedEventTypes?: readonly string[];
  /** Plain subject prefix, no wildcards. @default - no prefix check */
  readonly subjectBeginsWith?: string;
  /** Plain subject suffix, no wildcards. @default - no suffix check */
  readonly subjectEndsWith?: string;
  /** Compare subject prefix/suffix case-sensitively. @default false */
  readonly isSubjectCaseSensitive?: boolean;
  /** Let advanced filters look into array values. @default false */
  readonly enableAdvancedFilteringOnArrays?: boolean;
  /** Advanced filters: all must match (AND); values inside one filter are OR'd. @default [] */
  readonly advancedFilters?: readonly AdvancedFilter[];
}

/** Event Grid limits that apply to one subscription's filter. */
export const FILTER_LIMITS = {
  /** Advanced filters per subscription. */
  maxAdvancedFilters: 25,
  /** Values across all advanced filters of a subscription. */
  maxAdvancedFilterValues: 25,
  /** Characters per string value. */
  maxStringValueLength: 512,
} as const;
