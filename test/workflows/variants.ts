/** Every variant of the workflows this library builds, for limit checks (depth, variables, response time). */
import { buildEmailAlertsDefinition, LEGACY_DRIFT_ALERT } from "../../lib/notifications";
import { DEFAULT_BREACH_MAPPING } from "../../lib/monitoring/breachFields";
import { buildBreachRetrainDefinition, buildDriftRetrainDefinition, DEFAULT_PARAMETER_MAPPING } from "../../lib/retraining";
import { WorkflowDefinition } from "../../lib/workflows";

const retrainedModel = { "retrainedModelName": "credit-default", "retrainedModelTags": "{}" };

/** Name → definition, one per route: email (both channels), breach retrain (each pipeline route, with/without cool-down), legacy drift. */
export function workflowVariants(): Record<string, WorkflowDefinition> {
  const breach = { mapping: DEFAULT_BREACH_MAPPING, runIdParameter: "monitorRunId" };
  const coolDown = { hours: 6, parameter: "monitorSignal" };
  return {
    "email alerts (Communication Services, defaults)": buildEmailAlertsDefinition({ recipients: ["ops@example.com"] }),
    "email alerts (Office 365, legacy drift too)": buildEmailAlertsDefinition({ recipients: ["ops@example.com"], channel: "office365", alerts: [LEGACY_DRIFT_ALERT] }),
    "breach retrain (own pipeline)": buildBreachRetrainDefinition(breach),
    "breach retrain (own pipeline, scoped, cool-down)": buildBreachRetrainDefinition({ ...breach, monitor: { monitorNames: ["credit-monitor"] }, coolDown }),
    "breach retrain (batch endpoint pipeline, registered model, cool-down)": buildBreachRetrainDefinition({ ...breach, coolDown, literalParameters: retrainedModel }),
    "legacy drift retrain": buildDriftRetrainDefinition({ mapping: DEFAULT_PARAMETER_MAPPING }),
    "legacy drift retrain (filters, cool-down, registered model)": buildDriftRetrainDefinition({
      mapping: DEFAULT_PARAMETER_MAPPING,
      driftMonitorNames: ["m"],
      minimumDriftCoefficient: 0.3,
      coolDown: { hours: 6, parameter: "dataDriftId" },
      literalParameters: retrainedModel,
    }),
  };
}
