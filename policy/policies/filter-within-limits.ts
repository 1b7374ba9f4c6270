import { ResourceValidationPolicy } from "@pulumi/policy";
import { errorsOf, LIMIT_CODES, line } from "./filter-findings";
import { forEventSubscriptions } from "./common";

/** Filters stay within Event Grid's limits (25 advanced filters, 25 values, 512 characters per string). */
export const filterWithinLimits: ResourceValidationPolicy = {
  name: "filter-within-limits",
  description: "Subscription filters stay within Event Grid's limits: 25 advanced filters, 25 values in total, 512 characters per string value.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: forEventSubscriptions((props, _args, reportViolation) => {
    if (props.filter === undefined) return;
    for (const finding of errorsOf(props.filter, LIMIT_CODES)) {
      reportViolation(`Azure rejects this filter: ${line(finding)}`);
    }
  }),
};
