import { AmlEventType } from "../events/types";
import { advanced } from "../filters/builders";
import { AdvancedFilter, EventFilter } from "../filters/types";
import { BREACH_TAG } from "./breachTag";

/** A declared model monitor's names, as a breach trigger needs them (a `ModelMonitor` has both). */
export interface MonitorSignals {
  /** The monitor's name in the workspace. */
  readonly monitorName: string;
  /** Its signal names (the part after `<monitorName>_`). */
  readonly signalNames: string[];
}

/** Which model monitors (v2) and signals a breach subscription listens to. */
export interface ModelMonitorSource {
  /**
   * The monitors themselves (e.g. `[monitor]` for a `ModelMonitor`): exactly their `<monitorName>_<signal>`
   * signals retrain. Give this or the names, not both. @default - use `monitorNames`/`signalNames`
   */
  readonly monitors?: MonitorSignals[];
  /** Monitor (schedule) names; breaches of any monitor when omitted. @default all monitors */
  readonly monitorNames?: string[];
  /** Signal names inside those monitors; every signal when omitted. @default all signals */
  readonly signalNames?: string[];
}

/** The documented head fragment every breach tag contains (Microsoft Learn, model monitoring + Event Grid). */
export const BREACH_HEAD_FRAGMENT = "has failed due to one or more features violating metric thresholds";

/** Event Grid allows at most 25 filter values across all advanced filters of one subscription. */
const MAX_SCOPE_VALUES = 20;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function checkNames(arg: string, names: readonly string[] | undefined): void {
  if (names === undefined) return;
  if (names.length === 0) throw new Error(`${arg}: got an empty list; expected at least one name, or omit ${arg} to listen to all.`);
  for (const n of names) {
    if (!NAME.test(n)) throw new Error(`${arg}: got ${JSON.stringify(n)}; expected a monitor/signal name of letters, digits, '_', '.', '-'. Use the name shown in Azure ML studio.`);
  }
}

/** The exact `<monitor>_<signal>` ids of `monitors`. */
function monitorIds(monitors: readonly MonitorSignals[]): string[] {
  return monitors.flatMap((m) => m.signalNames.map((s) => `${m.monitorName}_${s}`));
}

function checkMonitors(source: ModelMonitorSource): void {
  if (source.monitors === undefined) return;
  if (source.monitorNames !== undefined || source.signalNames !== undefined) {
    throw new Error("modelMonitor: got monitors and monitorNames/signalNames; give the monitors (modelMonitor: { monitors: [monitor] }) or the names, not both.");
  }
  if (!Array.isArray(source.monitors) || source.monitors.length === 0) throw new Error("modelMonitor.monitors: got an empty list; pass at least one ModelMonitor, or omit it to listen to all.");
  source.monitors.forEach((m, i) => {
    checkNames(`modelMonitor.monitors[${i}].monitorName`, typeof m?.monitorName === "string" ? [m.monitorName] : [String(m?.monitorName)]);
    checkNames(`modelMonitor.monitors[${i}].signalNames`, Array.isArray(m?.signalNames) ? [...m.signalNames] : []);
  });
}

/** `StringContains` values scoping to `<monitor>_<signal>` (or one side only when the other is omitted). */
export function breachScopeValues(source: ModelMonitorSource): string[] {
  if (source.monitors !== undefined) return monitorIds(source.monitors).map((id) => `'${id}'`);
  const { monitorNames: monitors, signalNames: signals } = source;
  if (monitors !== undefined && signals !== undefined) return monitors.flatMap((m) => signals.map((s) => `'${m}_${s}'`));
  if (monitors !== undefined) return monitors.map((m) => `'${m}_`);
  return (signals ?? []).map((s) => `_${s}'`);
}

/**
 * How a trigger's lists scope the PARSED `<monitor>_<signal>` id (the text between the tag's leading
 * `The signal '` and the next `'`): one of the listed ids exactly (monitors × signals), an id starting
 * `<monitor>_` (monitors only), an id ending `_<signal>` (signals only), or any id (neither). Event Grid
 * can only test `StringContains` on the whole tag, so a forged tag naming the scope elsewhere in its text
 * passes Event Grid; this exact comparison is what decides. Case is ignored, as Event Grid ignores it.
 */
export type BreachScope =
  | { readonly kind: "any" }
  | { readonly kind: "exact"; readonly values: readonly string[] }
  | { readonly kind: "prefix"; readonly values: readonly string[] }
  | { readonly kind: "suffix"; readonly values: readonly string[] };

/** The scope of a breach subscription's lists (see {@link BreachScope}); values lower-cased. */
export function breachScope(source: ModelMonitorSource = {}): BreachScope {
  const lower = (xs: readonly string[]): string[] => xs.map((x) => x.toLowerCase());
  if (source.monitors !== undefined) return { kind: "exact", values: lower(monitorIds(source.monitors)) };
  const { monitorNames: monitors, signalNames: signals } = source;
  if (monitors !== undefined && signals !== undefined) return { kind: "exact", values: lower(monitors.flatMap((m) => signals.map((s) => `${m}_${s}`))) };
  if (monitors !== undefined) return { kind: "prefix", values: lower(monitors.map((m) => `${m}_`)) };
  if (signals !== undefined) return { kind: "suffix", values: lower(signals.map((s) => `_${s}`)) };
  return { kind: "any" };
}

/** True when the parsed signal id is in the scope (the same rule the workflow applies). */
export function signalIdInScope(signalId: string, source: ModelMonitorSource = {}): boolean {
  const scope = breachScope(source);
  const id = signalId.toLowerCase();
  switch (scope.kind) {
    case "any":
      return true;
    case "exact":
      return scope.values.includes(id);
    case "prefix":
      return scope.values.some((v) => id.startsWith(v) && id.length > v.length);
    case "suffix":
      return scope.values.some((v) => id.endsWith(v) && id.length > v.length);
    default: {
      const never: never = scope;
      throw new Error(`unknown breach scope ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The RunStatusChanged subscription filter for model monitoring (v2) breaches, as Microsoft's guide
 * "Integrate Azure Machine Learning model monitoring with Event Grid" documents it: `StringContains`
 * the head fragment on the breach tag and, to scope, a second `StringContains` on `<monitor>_<signal>`,
 * with NO condition on `runStatus`: the guide filters on the tag alone, and the run that carries the tag
 * (the monitor's `evaluate_metric_thresholds` step, one per breached signal) tags itself and ends
 * Completed (Azure/azureml-assets, `model_monitor_evaluate_metrics_threshold`; PR #1982 "Add tag to identify
 * run completed with drift"). The guide also says the status of a tagged run may later change (Completed
 * ⇄ Failed): every such event is delivered, and the workflow starts one run per tagged run id.
 * Event Grid can only test `contains`; the workflow compares the parsed signal id exactly
 * (breachDefinition.ts). Keys are written in the payload's real (camelCase) casing.
 */
export function modelMonitorBreachFilter(source: ModelMonitorSource = {}): EventFilter {
  checkNames("modelMonitor.monitorNames", source.monitorNames);
  checkNames("modelMonitor.signalNames", source.signalNames);
  checkMonitors(source);
  const key = `data.runTags.${BREACH_TAG}`;
  const scope = breachScopeValues(source);
  if (scope.length > MAX_SCOPE_VALUES) {
    throw new Error(`modelMonitor: ${scope.length} monitor×signal combinations; Event Grid allows 25 filter values per subscription, so at most ${MAX_SCOPE_VALUES} here. Split into several triggers.`);
  }
  const filters: AdvancedFilter[] = [advanced.stringContains(key, BREACH_HEAD_FRAGMENT)];
  if (scope.length > 0) filters.push(advanced.stringContains(key, ...scope));
  return { includedEventTypes: [AmlEventType.RunStatusChanged], advancedFilters: filters };
}
