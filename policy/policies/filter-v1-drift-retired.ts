import { ResourceValidationPolicy } from "@pulumi/policy";
import { ALL_AML_EVENT_TYPES } from "../../lib/events/types";
import { forEventSubscriptions, str } from "./common";

const DRIFT = "microsoft.machinelearningservices.datasetdriftdetected";

/** DatasetDriftDetected comes from v1 dataset monitors, retired on 2025-09-01. */
export const filterV1DriftRetired: ResourceValidationPolicy = {
  name: "filter-v1-drift-retired",
  description: "Subscriptions don't rely on DatasetDriftDetected: v1 data drift monitors were retired on 2025-09-01, so the subscription deploys but never fires.",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["deploy-readiness", "filters"],
  // "Data drift (preview) will be retired, and replaced by Model Monitor" (retired 09/01/2025).
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-monitor-datasets",
  remediationSteps: "Move drift detection to a v2 model monitor and subscribe to its RunStatusChanged events (filter the monitor's runs), then drop DatasetDriftDetected.",
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const types = (props.filter as { includedEventTypes?: unknown } | undefined)?.includedEventTypes;
    if (!Array.isArray(types)) args.notApplicable("No includedEventTypes");
    const listed = new Set((types as unknown[]).map((t) => str(t)?.toLowerCase()));
    if (ALL_AML_EVENT_TYPES.every((t) => listed.has(t.toLowerCase()))) {
      args.notApplicable("Every AML event type is listed (a catch-all such as a stream), so nothing relies on DatasetDriftDetected");
    }
    const drift = (types as unknown[]).filter((t) => str(t)?.toLowerCase() === DRIFT);
    if (drift.length === 0) return;
    const only = drift.length === (types as unknown[]).length;
    reportViolation(
      `Subscription ${args.name} includes ${String(drift[0])}, raised only by v1 dataset monitors, which were retired on 2025-09-01${only ? "; it will never deliver anything" : ""}. ` +
        `Fix: use a v2 model monitor and subscribe to RunStatusChanged for its runs.`,
    );
  }),
};
