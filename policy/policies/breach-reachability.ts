/**
 * Pure reasoning for `filter-monitor-breach-reachable`: does an Event Grid filter written for model
 * monitoring (v2) breaches match at least one real breach event? Real breaches come from
 * `monitoringSampleEvents` (a monitor run that ended Completed with the `azureml_modelmonitor_threshold_breached`
 * tag); the filter's own scoping values name the monitors and signals a breach may come from, so a
 * candidate breach is built for each plausible `<monitor>_<signal>` and routed through `evaluateFilter`.
 */
import { monitoringSampleEvents } from "../../lib/events/samples";
import { EventGridEvent } from "../../lib/events/types";
import { evaluateFilter, explainFilter, FilterMiss } from "../../lib/filters";
import { BREACH_TAG } from "../../lib/monitoring/breachTag";

/** The advanced-filter fields this module reads. */
interface AdvancedLike {
  readonly operatorType?: unknown;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly values?: unknown;
}

/** The filter fields this module reads (the azure-native `EventSubscriptionFilter` shape). */
export interface BreachFilterLike {
  readonly includedEventTypes?: unknown;
  readonly subjectBeginsWith?: unknown;
  readonly subjectEndsWith?: unknown;
  readonly advancedFilters?: unknown;
}

const SAMPLE_SIGNAL_ID = "credit-default-monitor_data-drift-signal";
const SAMPLE_MONITOR = "credit-default-monitor";
const SAMPLE_SIGNAL = "data-drift-signal";
const MONITOR_WORDS = /has failed due to|violating metric thresholds/i;

function advancedOf(filter: BreachFilterLike): AdvancedLike[] {
  return Array.isArray(filter.advancedFilters) ? (filter.advancedFilters as AdvancedLike[]) : [];
}

function stringValues(f: AdvancedLike): string[] {
  const all = Array.isArray(f.values) ? (f.values as unknown[]) : [f.value];
  return all.filter((v): v is string => typeof v === "string");
}

/**
 * True when the filter is written for monitor breaches: a key or value names the breach tag (or
 * `azureml_modelmonitor…`), or a `runTags` key is compared with the breach text.
 */
export function mentionsBreach(filter: BreachFilterLike): boolean {
  return advancedOf(filter).some((f) => {
    const key = typeof f.key === "string" ? f.key : "";
    const values = stringValues(f);
    if (/azureml_modelmonitor/i.test(key) || values.some((v) => /azureml_modelmonitor/i.test(v))) return true;
    return /runtags/i.test(key) && values.some((v) => MONITOR_WORDS.test(v));
  });
}

/** Monitor names, signal names and whole `<monitor>_<signal>` ids a scoping value can stand for. */
interface Scope {
  readonly monitors: Set<string>;
  readonly signals: Set<string>;
  readonly ids: Set<string>;
}

function addScope(scope: Scope, raw: string): void {
  const v = raw.trim();
  if (v === "" || MONITOR_WORDS.test(v) || v.length > 200) return;
  const quotedBoth = /^'[^']+'$/.test(v);
  const inner = v.replace(/^'|'$/g, "");
  const cut = inner.indexOf("_");
  if (v.startsWith("'") && v.endsWith("_") && !quotedBoth) scope.monitors.add(inner.slice(0, -1));
  else if (v.startsWith("_") && v.endsWith("'")) scope.signals.add(inner.slice(1));
  else if (cut > 0 && cut < inner.length - 1) {
    scope.ids.add(inner);
    scope.monitors.add(inner.slice(0, cut));
    scope.signals.add(inner.slice(cut + 1));
  } else if (!quotedBoth && !/[' ]/.test(inner)) {
    // A bare name: a monitor or a signal (both are contained in the tag text).
    scope.monitors.add(inner);
    scope.signals.add(inner);
  }
}

/** The `<monitor>_<signal>` ids a breach reaching this filter could carry, the sample's first. */
export function candidateSignalIds(filter: BreachFilterLike): string[] {
  const scope: Scope = { monitors: new Set([SAMPLE_MONITOR]), signals: new Set([SAMPLE_SIGNAL]), ids: new Set([SAMPLE_SIGNAL_ID]) };
  for (const f of advancedOf(filter)) {
    if (typeof f.key === "string" && /runtags|azureml_modelmonitor/i.test(f.key)) for (const v of stringValues(f)) addScope(scope, v);
  }
  const ids = new Set(scope.ids);
  for (const m of scope.monitors) for (const s of scope.signals) ids.add(`${m}_${s}`);
  return [...ids];
}

/** The sample breach (a Completed run with the breach tag, as Azure reports it) re-issued for `signalId`. */
export function breachEvent(signalId: string): EventGridEvent {
  const sample = monitoringSampleEvents()[0];
  const data = sample.data as { runTags: Record<string, string> };
  const tag = data.runTags[BREACH_TAG].replace(SAMPLE_SIGNAL_ID, signalId);
  return { ...sample, data: { ...data, runTags: { ...data.runTags, [BREACH_TAG]: tag } } };
}

/**
 * Subject filters are left out: a monitor run's experiment id isn't known before the monitor runs, and
 * `filter-subject-reachable` already checks subject filters against the event types' subject formats.
 */
function withoutSubject(filter: BreachFilterLike): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...filter };
  delete rest.subjectBeginsWith;
  delete rest.subjectEndsWith;
  return rest;
}

/** The verdict: reachable, or why the sample breach is rejected. */
export type BreachReachability = { readonly reachable: true; readonly signalId: string } | { readonly reachable: false; readonly miss: FilterMiss; readonly tried: number };

/** Routes a candidate breach for every plausible signal id through the filter (subject filters aside). */
export function breachReachability(filter: BreachFilterLike): BreachReachability {
  const f = withoutSubject(filter);
  const ids = candidateSignalIds(filter);
  const hit = ids.find((id) => evaluateFilter(f, breachEvent(id)));
  if (hit !== undefined) return { reachable: true, signalId: hit };
  const miss = explainFilter(f, breachEvent(ids[ids.length - 1])) ?? { clause: "filter", reason: "rejects the breach" };
  return { reachable: false, miss, tried: ids.length };
}
