import { ResourceValidationPolicy } from "@pulumi/policy";
import { errorsOf, line } from "./filter-findings";
import { forEventSubscriptions } from "./common";

/** Advanced filters use real operators, valid keys and values of the right type. */
export const filterWellFormed: ResourceValidationPolicy = {
  name: "filter-well-formed",
  description: "Advanced filters use one of the 19 operators, a valid key, and reference values of the type and shape the operator needs.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: forEventSubscriptions((props, _args, reportViolation) => {
    if (props.filter === undefined) return;
    for (const finding of errorsOf(props.filter, "rest")) {
      reportViolation(`Malformed filter: ${line(finding)}`);
    }
  }),
};
