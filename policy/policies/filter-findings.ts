/**
 * How the filter policies share the filter analyzer (`analyzeFilter` in lib/filters): each policy
 * reports one group of the analyzer's stable finding codes.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { analyzeFilter, Finding, FindingCode, FindingCodeName } from "../../lib/filters";
import { forEventSubscriptions } from "./common";

/** Codes for values Azure rejects because they exceed Event Grid's filter limits. */
export const LIMIT_CODES: readonly FindingCodeName[] = [FindingCode.TooManyAdvancedFilters, FindingCode.TooManyValues, FindingCode.StringValueTooLong];

/** Codes for event-type problems; `filter-event-types-allowed` checks those against its configurable allow-list instead. */
export const EVENT_TYPE_CODES: readonly FindingCodeName[] = [FindingCode.UnknownEventType, FindingCode.EmptyEventTypes];

/** Codes for subject filters that no included event type's subject can match. */
export const SUBJECT_CODES: readonly FindingCodeName[] = [FindingCode.SubjectLeadingSlash, FindingCode.SubjectNeverMatches];

/** Error findings of the given group; `rest` selects every error code not in another group (malformed filters). */
export function errorsOf(filter: unknown, group: readonly FindingCodeName[] | "rest"): Finding[] {
  const grouped: readonly string[] = [...LIMIT_CODES, ...EVENT_TYPE_CODES, ...SUBJECT_CODES];
  return analyzeFilter(filter).filter(
    (f) => f.severity === "error" && (group === "rest" ? !grouped.includes(f.code) : (group as readonly string[]).includes(f.code)),
  );
}

/** Warning findings, minus the codes the caller chose to ignore. */
export function warningsOf(filter: unknown, ignore: readonly string[]): Finding[] {
  return analyzeFilter(filter).filter((f) => f.severity === "warning" && !ignore.includes(f.code));
}

/** A finding as a violation message line: `[code] message`. */
export function line(f: Finding): string {
  return `[${f.code}] ${f.message}`;
}

/** What sets one mandatory error-group filter policy apart from the others. */
export interface FindingPolicySpec {
  /** The policy's kebab-case name. */
  readonly name: string;
  /** One sentence: what the policy enforces. */
  readonly description: string;
  /** The analyzer error codes it reports, or `rest` for every error code no other group claims. */
  readonly group: readonly FindingCodeName[] | "rest";
  /** What the finding means for the subscription, the start of each violation message. */
  readonly lead: string;
}

/**
 * A mandatory policy reporting one group of the analyzer's error findings on every Event Grid
 * subscription with a filter: `<lead>: [code] message` per finding.
 */
export function findingPolicy(spec: FindingPolicySpec): ResourceValidationPolicy {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: forEventSubscriptions((props, _args, reportViolation) => {
      if (props.filter === undefined) return;
      for (const finding of errorsOf(props.filter, spec.group)) reportViolation(`${spec.lead}: ${line(finding)}`);
    }),
  };
}
