import { eventGridToCloudEvent } from "./parse";
import { AmlEventType, AmlEventTypeName, CloudEvent, EventGridEvent } from "./types";

/** A realistic workspace id used by the samples, the examples and the offline plan. */
export const SAMPLE_WORKSPACE_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml-platform/providers/Microsoft.MachineLearningServices/workspaces/mlw-platform";

const EVENT_TIME = "2017-06-26T18:41:00.9584103Z";
const RUN_PROPERTIES = {
  runTemplate: "automl_child",
  pipeline_id: "5adc0a4fe02504a586f09a4fcbb241f9a4012062",
  training_percent: "100",
  predicted_cost: "0.062226144097381045",
  iteration: "5",
  run_template: "automl_child",
  run_preprocessor: "StandardScalerWrapper",
  run_algorithm: "LassoLars",
  model_name: "AutoMLad912b2d65",
};
const EXPERIMENT_ID = "0fa9dfaa-cba3-4fa7-b590-23e48548f5c1";
const RUN_ID = "AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5";
const DRIFT_ID = "01d29aa4-e6a4-470a-9ef3-66660d21f8ef";
const DRIFT_RUN_ID = "01d29aa4-e6a4-470a-9ef3-66660d21f8ef_1571590300380";

function envelope(workspaceId: string, eventType: AmlEventTypeName, subject: string, id: string, data: unknown): EventGridEvent {
  return { topic: workspaceId, subject, eventType, eventTime: EVENT_TIME, id, data, dataVersion: "", metadataVersion: "1" };
}

/**
 * The five sample events of Microsoft's AML event schema page, as documented: PascalCase data keys,
 * `ModelVersion` a number. Two corrections make them real: the drift subject uses the wire format
 * `datadrift/{id}/run/{runId}` (the page shows a placeholder) and the RunStatusChanged sample carries
 * its own event type (the page repeats RunCompleted).
 */
export function documentedSampleEvents(workspaceId: string = SAMPLE_WORKSPACE_ID): EventGridEvent[] {
  return [
    envelope(workspaceId, AmlEventType.ModelRegistered, "models/sklearn_regression_model:20", "831e1650-001e-001b-66ab-eeb76e069631", {
      ModelName: "sklearn_regression_model",
      ModelVersion: 20,
      ModelTags: { area: "diabetes", type: "regression" },
      ModelProperties: { type: "test" },
    }),
    envelope(workspaceId, AmlEventType.ModelDeployed, "endpoints/my-sklearn-service", "831e1650-001e-001b-66ab-eeb76e069632", {
      ServiceName: "my-sklearn-service",
      ServiceComputeType: "ACI",
      ModelIds: "sklearn_regression_model:1,sklearn_regression_model:2",
      ServiceTags: { area: "diabetes", type: "regression" },
      ServiceProperties: { type: "test" },
    }),
    envelope(workspaceId, AmlEventType.RunCompleted, `experiments/${EXPERIMENT_ID}/runs/${RUN_ID}`, "831e1650-001e-001b-66ab-eeb76e069633", {
      ExperimentId: EXPERIMENT_ID,
      ExperimentName: "automl-local-regression",
      RunId: RUN_ID,
      RunType: null,
      RunTags: {},
      RunProperties: RUN_PROPERTIES,
    }),
    envelope(workspaceId, AmlEventType.DatasetDriftDetected, `datadrift/${DRIFT_ID}/run/${DRIFT_RUN_ID}`, "831e1650-001e-001b-66ab-eeb76e069634", {
      DataDriftId: DRIFT_ID,
      DataDriftName: "myDriftMonitor",
      RunId: DRIFT_RUN_ID,
      BaseDatasetId: "3c56d136-0f64-4657-a0e8-5162089a88a3",
      TargetDatasetId: "d7e74d2e-c972-4266-b5fb-6c9c182d2a74",
      DriftCoefficient: 0.8350349068479208,
      StartTime: "2019-07-04T00:00:00+00:00",
      EndTime: "2019-07-05T00:00:00+00:00",
    }),
    envelope(workspaceId, AmlEventType.RunStatusChanged, `experiments/${EXPERIMENT_ID}/runs/${RUN_ID}`, "831e1650-001e-001b-66ab-eeb76e069635", {
      ExperimentId: EXPERIMENT_ID,
      ExperimentName: "automl-local-regression",
      RunId: RUN_ID,
      RunType: null,
      RunTags: {},
      RunProperties: RUN_PROPERTIES,
      RunStatus: "failed",
    }),
  ];
}

function camelKey(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

/**
 * The same five events as workspaces really send them: camelCase data keys, `modelVersion` a
 * string, `dataVersion` "2". Nested maps (tags, properties) keep their user-chosen keys.
 */
export function sampleEvents(workspaceId: string = SAMPLE_WORKSPACE_ID): EventGridEvent[] {
  return documentedSampleEvents(workspaceId).map((e) => {
    const data = Object.fromEntries(
      Object.entries(e.data as Record<string, unknown>).map(([k, v]) => [camelKey(k), k === "ModelVersion" ? String(v) : v]),
    );
    return { ...e, data, dataVersion: "2" };
  });
}

/** The real-casing samples in the CloudEvents 1.0 schema. */
export function sampleCloudEvents(workspaceId: string = SAMPLE_WORKSPACE_ID): CloudEvent[] {
  return sampleEvents(workspaceId).map(eventGridToCloudEvent);
}

const MONITOR_BREACH_TAG =
  "The signal 'credit-default-monitor_data-drift-signal' has failed due to one or more features violating metric thresholds.\n" +
  "The feature names and their corresponding computed metric values violating the threshold are \n" +
  `['{"group":"age","metric_value":0.3127,"metric_name":"jensen_shannon_distance","threshold_value":0.1}', ` +
  `'{"group":"credit_limit","metric_value":0.0452,"metric_name":"population_stability_index","threshold_value":0.02}']\n`;

function monitorRun(workspaceId: string, id: string, runId: string, runStatus: string, experimentName: string, runTags: Record<string, string>): EventGridEvent {
  const experimentId = "5b0e2a4c-7d1f-4c3e-9a51-2f6d8c0b7e14";
  return {
    ...envelope(workspaceId, AmlEventType.RunStatusChanged, `experiments/${experimentId}/runs/${runId}`, id, {
      experimentId,
      experimentName,
      runId,
      runType: "azureml.PipelineRun",
      runTags,
      runProperties: {},
      runStatus,
    }),
    eventTime: "2026-12-04T06:12:44.1234567Z",
    dataVersion: "2",
  };
}

/**
 * Model monitoring (v2) samples in the real camelCase payload: a threshold breach as Azure reports it
 * (the monitor's threshold-evaluation step run tags itself `azureml_modelmonitor_threshold_breached`
 * and ends Completed; Azure/azureml-assets `model_monitor_evaluate_metrics_threshold`), a later status
 * change of the same tagged run to Failed (Microsoft's Event Grid guide: a tagged run's status may change
 * between Completed and Failed; one breach, so it retrains nothing more), and an ordinary failed
 * training run (no tag).
 */
export function monitoringSampleEvents(workspaceId: string = SAMPLE_WORKSPACE_ID): EventGridEvent[] {
  const tag = { azureml_modelmonitor_threshold_breached: MONITOR_BREACH_TAG };
  const evaluateRun = "credit-default-monitor-20261204061000-evaluate-data-drift-signal";
  return [
    monitorRun(workspaceId, "6f1d2c8e-3b4a-4e59-8c71-0a9b2d3e4f51", evaluateRun, "Completed", "azureml-monitoring", tag),
    monitorRun(workspaceId, "6f1d2c8e-3b4a-4e59-8c71-0a9b2d3e4f52", evaluateRun, "Failed", "azureml-monitoring", tag),
    monitorRun(workspaceId, "6f1d2c8e-3b4a-4e59-8c71-0a9b2d3e4f53", "train-credit-default-20261204", "Failed", "train-credit-default", { "mlflow.user": "ana" }),
  ];
}
