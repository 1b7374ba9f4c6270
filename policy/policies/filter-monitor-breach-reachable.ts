import { ResourceValidationPolicy } from "@pulumi/policy";
import { BREACH_TAG } from "../../lib/monitoring/breachTag";
import { breachReachability, BreachFilterLike, mentionsBreach } from "./breach-reachability";
import { forEventSubscriptions } from "./common";
import { DEPLOY_READINESS } from "./deploy-common";

/** A plain copy of a value read through the engine's proxy (reading an unknown value throws there). */
function plainCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => plainCopy(v));
  return Object.fromEntries(Object.keys(value).map((k) => [k, plainCopy((value as Record<string, unknown>)[k])]));
}

/** Model-monitor breach subscriptions can match a real breach event. */
export const filterMonitorBreachReachable: ResourceValidationPolicy = {
  name: "filter-monitor-breach-reachable",
  description: `Subscriptions whose filter targets model monitoring (v2) breaches (the ${BREACH_TAG} run tag) match a real breach event: a RunStatusChanged of a run (Completed, as Azure reports it) tagged "The signal '<monitor>_<signal>' has failed due to …".`,
  // Advisory: Azure accepts the subscription; it just never delivers a breach.
  enforcementLevel: "advisory",
  severity: "high",
  tags: [DEPLOY_READINESS, "filters"],
  // "Integrate Azure Machine Learning model monitoring with Event Grid": RunStatusChanged, StringContains on
  // data.RunTags.azureml_modelmonitor_threshold_breached, a second StringContains on <monitor>_<signal> to scope.
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-monitor-model-performance#integrate-azure-machine-learning-model-monitoring-with-azure-event-grid",
  remediationSteps:
    `Subscribe to RunStatusChanged with StringContains "has failed due to one or more features violating metric thresholds" on data.runTags.${BREACH_TAG}, ` +
    "no runStatus condition (the tagged run ends Completed), and scope with StringContains \"'<monitor>_<signal>'\" (modelMonitorBreachFilter in lib/monitoring builds exactly this).",
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const filter = plainCopy(props.filter) as BreachFilterLike | undefined;
    if (filter === undefined || filter === null || !mentionsBreach(filter)) args.notApplicable("The filter doesn't target model-monitor breaches");
    let verdict: ReturnType<typeof breachReachability>;
    try {
      verdict = breachReachability(filter as BreachFilterLike);
    } catch (e) {
      args.notApplicable(`The filter can't be evaluated (filter-well-formed reports why): ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (verdict.reachable) return;
    reportViolation(
      `Subscription ${args.name} targets model-monitor breaches but no real breach can match it: ${verdict.miss.clause} rejects a Completed RunStatusChanged monitor run ` +
        `tagged ${BREACH_TAG} (${verdict.miss.reason}; ${verdict.tried} monitor/signal combination(s) tried). ` +
        `Fix: use RunStatusChanged, StringContains "has failed due to one or more features violating metric thresholds" on data.runTags.${BREACH_TAG}, ` +
        `no runStatus condition (the tagged run ends Completed), and scope with StringContains "'<monitor>_<signal>'" (the tag text quotes the signal id, monitor and signal joined by "_").`,
    );
  }),
};
