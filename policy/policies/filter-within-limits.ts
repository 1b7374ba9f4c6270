import { ResourceValidationPolicy } from "@pulumi/policy";
import { findingPolicy, LIMIT_CODES } from "./filter-findings";

/** Filters stay within Event Grid's limits (25 advanced filters, 25 values, 512 characters per string). */
export const filterWithinLimits: ResourceValidationPolicy = findingPolicy({
  name: "filter-within-limits",
  description: "Subscription filters stay within Event Grid's limits: 25 advanced filters, 25 values in total, 512 characters per string value.",
  group: LIMIT_CODES,
  lead: "Azure rejects this filter",
});
