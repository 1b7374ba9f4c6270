import { ResourceValidationPolicy } from "@pulumi/policy";
import { errorsOf, line, SUBJECT_CODES } from "./filter-findings";
import { forEventSubscriptions } from "./common";

/** Subject filters can match a subject of at least one included event type. */
export const filterSubjectReachable: ResourceValidationPolicy = {
  name: "filter-subject-reachable",
  description: "Subject prefixes, suffixes and subject advanced filters can match a subject of at least one included AML event type (mandatory: such a subscription silently never delivers).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: forEventSubscriptions((props, _args, reportViolation) => {
    if (props.filter === undefined) return;
    for (const finding of errorsOf(props.filter, SUBJECT_CODES)) {
      reportViolation(`This subscription can never deliver: ${line(finding)}`);
    }
  }),
};
