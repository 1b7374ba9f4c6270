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

/** A filter holding something other than JSON-like data (a function, a class instance): analysed without the cache. */
class NotData {}

/**
 * The filter's content as a string that tells every two different contents apart: types, key order,
 * -0, NaN and array holes included (JSON.stringify would merge some of them).
 * @throws whatever reading a value throws (the engine's proxy throws for a value unknown during preview); NotData.
 */
function contentKey(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "n-0" : `n${value}`;
    case "boolean":
      return value ? "t" : "f";
    case "undefined":
      return "u";
    case "object": {
      if (value === null) return "z";
      if (Array.isArray(value)) {
        const parts = new Array<string>(value.length);
        for (let i = 0; i < value.length; i++) parts[i] = i in value ? contentKey(value[i]) : "h";
        return `[${parts.join(",")}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new NotData();
      const record = value as Record<string, unknown>;
      return `{${Object.keys(record).map((k) => `${JSON.stringify(k)}:${contentKey(record[k])}`).join(",")}}`;
    }
    default:
      throw new NotData();
  }
}

/** Findings of filters analysed lately, by content; cleared when it reaches {@link RECENT_LIMIT} entries. */
const recent = new Map<string, readonly Finding[]>();
const RECENT_LIMIT = 512;

/**
 * `analyzeFilter(filter)`, shared by the filter policies: four of them analyse the same subscription's
 * filter, each on its own copy of the props, so the findings are kept by the filter's content (the
 * analysis is a pure function of it). Reading the content for the key goes through the engine's proxy:
 * when a value is unknown during preview that read throws, and the filter is then analysed directly,
 * exactly as before, so the unknown a policy reports is the one the analysis itself reads first.
 */
function findingsOf(filter: unknown): readonly Finding[] {
  let key: string;
  try {
    key = contentKey(filter);
  } catch {
    return analyzeFilter(filter);
  }
  let findings = recent.get(key);
  if (findings === undefined) {
    findings = analyzeFilter(filter);
    if (recent.size >= RECENT_LIMIT) recent.clear();
    recent.set(key, findings);
  }
  return findings;
}

/** Error findings of the given group; `rest` selects every error code not in another group (malformed filters). */
export function errorsOf(filter: unknown, group: readonly FindingCodeName[] | "rest"): Finding[] {
  const grouped: readonly string[] = [...LIMIT_CODES, ...EVENT_TYPE_CODES, ...SUBJECT_CODES];
  return findingsOf(filter).filter(
    (f) => f.severity === "error" && (group === "rest" ? !grouped.includes(f.code) : (group as readonly string[]).includes(f.code)),
  );
}

/** Warning findings, minus the codes the caller chose to ignore. */
export function warningsOf(filter: unknown, ignore: readonly string[]): Finding[] {
  return findingsOf(filter).filter((f) => f.severity === "warning" && !ignore.includes(f.code));
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
