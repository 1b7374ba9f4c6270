import { AmlEventType } from "../events/types";
import { advanced } from "../filters/builders";
import { AdvancedFilter, EventFilter } from "../filters/types";
import { BREACH_TAG } from "./breachTag";

/** Which model monitors (v2) and signals a breach subscription listens to. */
export interface ModelMonitorSource {
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

/** `StringContains` values scoping to `<monitor>_<signal>` (or one side only when the other is omitted). */
export function breachScopeValues(source: ModelMonitorSource): string[] {
  const { monitorNames: monitors, signalNames: signals } = source;
  if (monitors !== undefined && signals !== undefined) return monitors.flatMap((m) => signals.map((s) => `'${m}_${s}'`));
  if (monitors !== undefined) return monitors.map((m) => `'${m}_`);
  return (signals ?? []).map((s) => `_${s}'`);
}

/**
 * The RunStatusChanged subscription filter for model monitoring (v2) breaches, as Microsoft's guide
 * "Integrate Azure Machine Learning model monitoring with Event Grid" documents it: `StringContains`
 * the head fragment on the breach tag and, to scope, a second `StringContains` on `<monitor>_<signal>`.
 * The tag stays set when a run goes back to Completed, so `runStatus` is also required to be Failed.
 * Keys are written in the payload's real (camelCase) casing.
 */
export function modelMonitorBreachFilter(source: ModelMonitorSource = {}): EventFilter {
  checkNames("modelMonitor.monitorNames", source.monitorNames);
  checkNames("modelMonitor.signalNames", source.signalNames);
  const key = `data.runTags.${BREACH_TAG}`;
  const scope = breachScopeValues(source);
  if (scope.length > MAX_SCOPE_VALUES) {
    throw new Error(`modelMonitor: ${scope.length} monitor×signal combinations; Event Grid allows 25 filter values per subscription, so at most ${MAX_SCOPE_VALUES} here. Split into several triggers.`);
  }
  const filters: AdvancedFilter[] = [advanced.stringContains(key, BREACH_HEAD_FRAGMENT), advanced.stringIn("data.runStatus", "Failed")];
  if (scope.length > 0) filters.push(advanced.stringContains(key, ...scope));
  return { includedEventTypes: [AmlEventType.RunStatusChanged], advancedFilters: filters };
}
