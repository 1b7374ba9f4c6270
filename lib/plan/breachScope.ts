/**
 * The plan's finding for breach triggers scoped to monitors the program does not declare (the monitor
 * lives in another stack): the policy `breach-monitors-declared` cannot check those names, so the plan
 * lists them for a person to compare with the monitor's own signal names.
 */
import { breachScopeValuesOf, declaredSignalIds } from "../../policy/policies/breach-monitors-declared";
import { MockedResource } from "./mocks";

const SUBSCRIPTIONS = ["azure-native:eventgrid:SystemTopicEventSubscription", "azure-native:eventgrid:EventSubscription"];

/** One finding per breach subscription whose scope no declared ModelMonitor can check (none declared). */
export function undeclaredMonitorFindings(raw: readonly MockedResource[]): string[] {
  const resources = raw.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
  const declared = declaredSignalIds(resources);
  if (declared === undefined || declared.length > 0) return []; // unknown, or declared: the policy checks them
  return resources
    .filter((r) => SUBSCRIPTIONS.includes(r.type))
    .map((r) => ({ name: r.name, values: breachScopeValuesOf(r.props.filter) }))
    .filter((s) => s.values.length > 0)
    .map(
      (s) =>
        `subscription ${s.name} retrains on breaches whose tag text contains ${s.values.map((v) => JSON.stringify(v)).join(", ")}, but this program declares no ModelMonitor to check them against: ` +
        `make sure the monitor (in another stack) names its signals exactly '<monitor>_<signal>' as listed, or declare the ModelMonitor here and pass it (modelMonitor: { monitors: [monitor] }).`,
    );
}
