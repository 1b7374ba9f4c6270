import { ResourceValidationPolicy } from "@pulumi/policy";
import { findingPolicy } from "./filter-findings";

/** Advanced filters use real operators, valid keys and values of the right type. */
export const filterWellFormed: ResourceValidationPolicy = findingPolicy({
  name: "filter-well-formed",
  description: "Advanced filters use one of the 19 operators, a valid key, and reference values of the type and shape the operator needs.",
  group: "rest",
  lead: "Malformed filter",
});
