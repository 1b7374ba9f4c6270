export * from "./types";
export * from "./builders";
export {
  ALL_EVENT_TYPES_ENTRY,
  closestOperator,
  ENVELOPE_KEYS,
  isAdvancedFilterOperator,
  isAllEventTypesEntry,
  MATCH_WHEN_MISSING,
  NEGATED_OPERATORS,
  OPERATOR_NEGATION,
  operatorShape,
  operatorValueKind,
  parseKey,
  readFilter,
} from "./normalize";
export type { NormalizedAdvancedFilter, OperatorShape, OperatorValueKind, ParsedKey, ReadFilter, StructuralCode, StructuralProblem } from "./normalize";
export * from "./subject-formats";
export * from "./analyze";
export * from "./evaluate";
export * from "./route";
export * from "./semantics";
