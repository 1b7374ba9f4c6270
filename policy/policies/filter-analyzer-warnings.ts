import { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, forEventSubscriptions } from "./common";
import { line, warningsOf } from "./filter-findings";

/** Knobs of {@link filterAnalyzerWarnings}. */
export interface FilterAnalyzerWarningsConfig {
  /** Finding codes not to report (e.g. `run-status-changed-without-status-filter`). */
  readonly ignoreCodes: string[];
}

/** Filters that work but probably not as intended (the analyzer's warnings). */
export const filterAnalyzerWarnings: ResourceValidationPolicy = {
  name: "filter-analyzer-warnings",
  description: "Filters that Azure accepts but that probably don't do what was meant (wrong key casing, type mismatches, substring tag matches, unfiltered RunStatusChanged).",
  enforcementLevel: "advisory",
  severity: "low",
  configSchema: {
    properties: {
      ignoreCodes: { type: "array", items: { type: "string" }, default: [], description: "Analyzer warning codes not to report." },
    },
  },
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    if (props.filter === undefined) return;
    const config = configOf<FilterAnalyzerWarningsConfig>(args, filterAnalyzerWarnings.configSchema!);
    for (const finding of warningsOf(props.filter, config.ignoreCodes)) {
      reportViolation(line(finding));
    }
  }),
};
