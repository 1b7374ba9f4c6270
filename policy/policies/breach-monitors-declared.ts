import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { BREACH_HEAD_FRAGMENT } from "../../lib/monitoring/breachFilter";
import { BREACH_TAG } from "../../lib/monitoring/breachTag";
import { known, UNKNOWN } from "./common";

const SCHEDULE = "azure-native:machinelearningservices:Schedule";
const SUBSCRIPTIONS = ["azure-native:eventgrid:SystemTopicEventSubscription", "azure-native:eventgrid:EventSubscription"];
const TAG_KEY = `data.runtags.${BREACH_TAG}`.toLowerCase();

/** One breach-scope value of a subscription that no declared monitor's signal can produce. */
export interface UnmatchedBreachScope {
  readonly subscription: string;
  /** The `StringContains` value as written, e.g. `'pd-monitor_feature_drift'`. */
  readonly value: string;
}

/**
 * The signal ids (`<monitor>_<signal>`, lower-cased) of the stack's model monitors: the keys of each
 * `CreateMonitor` schedule's `monitorDefinition.signals` (ModelMonitor sends them in that form). Undefined
 * while a schedule's signals are unknown (preview), so nothing is judged on a guess.
 */
export function declaredSignalIds(resources: readonly Pick<PolicyResource, "type" | "props">[]): string[] | undefined {
  const ids: string[] = [];
  for (const r of resources.filter((x) => x.type === SCHEDULE)) {
    const signals = known(() => {
      const action = (r.props.properties as { action?: { actionType?: unknown; monitorDefinition?: { signals?: unknown } } } | undefined)?.action;
      return String(action?.actionType) === "CreateMonitor" ? action?.monitorDefinition?.signals : null;
    });
    if (signals === null) continue;
    // Unknown during preview, or not a map of signals: nothing is judged on a guess.
    if (signals === UNKNOWN || typeof signals !== "object") return undefined;
    ids.push(...Object.keys(signals).map((k) => k.toLowerCase()));
  }
  return [...new Set(ids)];
}

/** The scoping values (`'<m>_<s>'`, `'<m>_`, `_<s>'`) of a subscription's breach filter: StringContains on the tag, the head fragment left out. */
export function breachScopeValuesOf(filter: unknown): string[] {
  const advanced = (filter as { advancedFilters?: unknown } | undefined)?.advancedFilters;
  if (!Array.isArray(advanced)) return [];
  const head = BREACH_HEAD_FRAGMENT.toLowerCase();
  return (advanced as { operatorType?: unknown; key?: unknown; values?: unknown }[])
    .filter((f) => String(f?.operatorType) === "StringContains" && String(f?.key).toLowerCase() === TAG_KEY && Array.isArray(f.values))
    .flatMap((f) => (f.values as unknown[]).filter((v): v is string => typeof v === "string"))
    .filter((v) => !v.toLowerCase().includes(head));
}

/** True when a declared signal id's quoted tag text `'<id>'` contains the scope value (Event Grid compares ignoring case). */
export function scopeMatchesSome(value: string, signalIds: readonly string[]): boolean {
  const v = value.toLowerCase();
  return signalIds.some((id) => `'${id}'`.includes(v));
}

/** Every breach-scope value of the stack's subscriptions that no declared signal id matches. */
export function unmatchedBreachScopes(resources: readonly Pick<PolicyResource, "type" | "props" | "name">[], signalIds: readonly string[]): UnmatchedBreachScope[] {
  return resources
    .filter((r) => SUBSCRIPTIONS.includes(r.type))
    .flatMap((r) => {
      const filter = known(() => JSON.parse(JSON.stringify(r.props.filter ?? null)) as unknown);
      if (filter === UNKNOWN) return [];
      return breachScopeValuesOf(filter)
        .filter((value) => !scopeMatchesSome(value, signalIds))
        .map((value) => ({ subscription: r.name, value }));
    });
}

/** A breach trigger scoped to monitors/signals names only what the program's ModelMonitors declare. */
export const breachMonitorsDeclared: StackValidationPolicy = {
  name: "breach-monitors-declared",
  description:
    "When the program declares model monitors (ModelMonitor), every monitor/signal a breach subscription scopes to ('<monitor>_<signal>' in its filter) is one of theirs: a name no monitor has never matches a breach, and retraining silently never happens.",
  // Mandatory: a misspelt monitor or signal name is never right; the fix is in this program.
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["filters"],
  // "Integrate Azure Machine Learning model monitoring with Event Grid": scope a breach subscription with StringContains on '<monitor>_<signal>'.
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-monitor-model-performance#integrate-azure-machine-learning-model-monitoring-with-azure-event-grid",
  remediationSteps:
    "Pass the monitor itself to the trigger (modelMonitor: { monitors: [monitor] }) or copy the monitor's name and signal names exactly; when the monitor lives in another stack, declare no ModelMonitor here and check the names by hand.",
  validateStack: (args, reportViolation) => {
    const ids = declaredSignalIds(args.resources);
    if (ids === undefined) return; // a schedule's signals are unknown during preview: judge nothing on a guess
    if (ids.length === 0) args.notApplicable("The program declares no model monitor (a monitor in another stack is checked by hand)");
    for (const u of unmatchedBreachScopes(args.resources, ids)) {
      reportViolation(
        `Subscription ${u.subscription} scopes model monitor breaches to ${JSON.stringify(u.value)}, which no ModelMonitor of this program has (its signals: ${ids.map((i) => `'${i}'`).join(", ")}). ` +
          `Fix: pass the monitor to the trigger (modelMonitor: { monitors: [monitor] }) or correct the trigger's monitor and signal names to those.`,
      );
    }
  },
};
