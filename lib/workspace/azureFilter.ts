import * as eventgrid from "@pulumi/azure-native/types/input";
import { AdvancedFilter, EventFilter } from "../filters/types";

type AzureFilter = eventgrid.eventgrid.EventSubscriptionFilterArgs;
type AzureAdvancedFilter = NonNullable<AzureFilter["advancedFilters"]> extends infer T
  ? T extends readonly (infer E)[]
    ? E
    : never
  : never;

/**
 * One advanced filter in azure-native's input shape (mutable copies, same key order). azure-native types
 * each operator separately; the grouped cases below produce exactly one of those shapes.
 */
export function toAzureAdvancedFilter(f: AdvancedFilter): AzureAdvancedFilter {
  switch (f.operatorType) {
    case "NumberIn":
    case "NumberNotIn":
      return { operatorType: f.operatorType, key: f.key, values: [...f.values] } as AzureAdvancedFilter;
    case "NumberGreaterThan":
    case "NumberGreaterThanOrEquals":
    case "NumberLessThan":
    case "NumberLessThanOrEquals":
      return { operatorType: f.operatorType, key: f.key, value: f.value } as AzureAdvancedFilter;
    case "NumberInRange":
    case "NumberNotInRange":
      return { operatorType: f.operatorType, key: f.key, values: f.values.map((pair) => [...pair]) } as AzureAdvancedFilter;
    case "BoolEquals":
      return { operatorType: f.operatorType, key: f.key, value: f.value } as AzureAdvancedFilter;
    case "StringIn":
    case "StringNotIn":
    case "StringContains":
    case "StringNotContains":
    case "StringBeginsWith":
    case "StringNotBeginsWith":
    case "StringEndsWith":
    case "StringNotEndsWith":
      return { operatorType: f.operatorType, key: f.key, values: [...f.values] } as AzureAdvancedFilter;
    case "IsNullOrUndefined":
    case "IsNotNull":
      return { operatorType: f.operatorType, key: f.key } as AzureAdvancedFilter;
    default: {
      const never: never = f;
      throw new Error(`Unknown advanced filter ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A filter in azure-native's `EventSubscriptionFilter` input shape, with the two booleans set
 * explicitly (so the plan and the policy pack see what Azure will apply) and a fixed key order.
 */
export function toAzureFilter(filter: EventFilter): AzureFilter {
  return {
    ...(filter.includedEventTypes ? { includedEventTypes: [...filter.includedEventTypes] } : {}),
    ...(filter.subjectBeginsWith !== undefined ? { subjectBeginsWith: filter.subjectBeginsWith } : {}),
    ...(filter.subjectEndsWith !== undefined ? { subjectEndsWith: filter.subjectEndsWith } : {}),
    isSubjectCaseSensitive: filter.isSubjectCaseSensitive ?? false,
    enableAdvancedFilteringOnArrays: filter.enableAdvancedFilteringOnArrays ?? false,
    ...(filter.advancedFilters && filter.advancedFilters.length > 0 ? { advancedFilters: filter.advancedFilters.map(toAzureAdvancedFilter) } : {}),
  };
}
