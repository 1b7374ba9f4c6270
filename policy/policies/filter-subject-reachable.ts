import { ResourceValidationPolicy } from "@pulumi/policy";
import { findingPolicy, SUBJECT_CODES } from "./filter-findings";

/** Subject filters can match a subject of at least one included event type. */
export const filterSubjectReachable: ResourceValidationPolicy = findingPolicy({
  name: "filter-subject-reachable",
  description: "Subject prefixes, suffixes and subject advanced filters can match a subject of at least one included AML event type (mandatory: such a subscription silently never delivers).",
  group: SUBJECT_CODES,
  lead: "This subscription can never deliver",
});
