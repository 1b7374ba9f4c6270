import { AdvancedFilter, AdvancedFilterOperator, EventFilter } from "../filters/types";

const OPERATOR_WORDS: Readonly<Record<AdvancedFilterOperator, string>> = {
  NumberIn: "is one of",
  NumberNotIn: "is none of",
  NumberLessThan: "<",
  NumberGreaterThan: ">",
  NumberLessThanOrEquals: "≤",
  NumberGreaterThanOrEquals: "≥",
  NumberInRange: "is in one of the ranges",
  NumberNotInRange: "is in none of the ranges",
  BoolEquals: "is",
  StringIn: "is one of",
  StringNotIn: "is none of",
  StringContains: "contains one of",
  StringNotContains: "contains none of",
  StringBeginsWith: "begins with one of",
  StringNotBeginsWith: "begins with none of",
  StringEndsWith: "ends with one of",
  StringNotEndsWith: "ends with none of",
  IsNullOrUndefined: "is null or missing",
  IsNotNull: "is present and not null",
};

function shortType(eventType: string): string {
  return eventType.replace("Microsoft.MachineLearningServices.", "");
}

/** One advanced condition in words, e.g. `data.runStatus is one of ["failed"]`. */
export function conditionInWords(a: AdvancedFilter): string {
  const words = OPERATOR_WORDS[a.operatorType] ?? a.operatorType;
  const operand = "values" in a ? ` ${JSON.stringify(a.values)}` : "value" in a ? ` ${JSON.stringify(a.value)}` : "";
  return `${a.key} ${words}${operand}`;
}

/**
 * A subscription filter in plain words, one clause per entry: the event types, the subject prefix and
 * suffix (with their case rule), and every advanced condition (all must hold).
 */
export function filterInWords(filter: EventFilter): string[] {
  const types = filter.includedEventTypes ?? [];
  const out = [types.length === 0 ? "every event type" : `event type ${types.length === 1 ? "is" : "is one of"} ${types.map(shortType).join(", ")}`];
  const casing = filter.isSubjectCaseSensitive ? " (case-sensitive)" : "";
  if (filter.subjectBeginsWith) out.push(`subject begins with ${JSON.stringify(filter.subjectBeginsWith)}${casing}`);
  if (filter.subjectEndsWith) out.push(`subject ends with ${JSON.stringify(filter.subjectEndsWith)}${casing}`);
  for (const a of filter.advancedFilters ?? []) out.push(conditionInWords(a));
  if (filter.enableAdvancedFilteringOnArrays) out.push("(advanced conditions also look into arrays)");
  return out;
}
