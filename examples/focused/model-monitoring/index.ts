/**
 * Model monitoring (v2) end to end: the monitor itself (a `ModelMonitor` schedule on a deployment), its
 * breaches retraining through Data Factory and a batch endpoint, and the retrained model deployed by a
 * tag rule. The retrain trigger listens to exactly the monitor and signals the component declares, so
 * the breach tag `'<monitor>_<signal>'` and the filter cannot drift apart.
 */
import { DriftRetrainTrigger, ModelDeployer, ModelMonitor, SAMPLE_WORKSPACE_ID, WorkspaceEvents } from "aml-event-workflows";

const workspaceId = SAMPLE_WORKSPACE_ID;
// Data inputs as the REST API takes them: a data version's ARM id (`azureml:<name>:<version>` is the Python SDK's short form).
const data = (name: string, version: number): string => `${workspaceId}/data/${name}/versions/${version}`;
const events = new WorkspaceEvents("monitoring", { workspaceId, resourceGroupName: "rg-ml-platform", location: "westeurope" });

// The monitor's name and signal names are what the breach tag carries (the plan's sample breach is this one).
const monitor = new ModelMonitor("credit-default-monitor", {
  workspaceId,
  taskType: "Classification",
  deploymentId: `${workspaceId}/onlineEndpoints/credit-default/deployments/main`,
  signals: {
    "data-drift-signal": {
      kind: "dataDrift",
      features: { top: 10 },
      productionData: { uri: data("credit-default-main-model_inputs", 1), type: "uri_folder", windowSize: "P7D" },
      // Feature importance (top 10) needs the training data's target column.
      referenceData: { uri: data("credit-reference", 1), type: "mltable", dataContext: "training", columns: { target_column: "DEFAULT_NEXT_MONTH" } },
    },
    "data-quality": {
      kind: "dataQuality",
      productionData: { uri: data("credit-default-main-model_inputs", 1), type: "uri_folder", windowSize: "P7D" },
      referenceData: { uri: data("credit-reference", 1), type: "mltable" },
    },
  },
  alertEmails: ["ml-oncall@contoso.com"],
});

new DriftRetrainTrigger("credit-retrain", {
  events,
  modelMonitor: { monitorNames: [monitor.monitorName], signalNames: monitor.signalNames },
  coolDownHours: 12,
  retrainedModel: { name: "credit-default", tags: { type: "classification" } },
  createPipeline: { batchEndpoint: { endpointName: "retrain-credit-default", region: "westeurope", experimentName: "retrain-on-breach" } },
});

new ModelDeployer("credit-deployer", {
  events,
  resourceGroupName: "rg-ml-platform",
  location: "westeurope",
  rules: [{ models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "contoso-credit-7m3q8", instanceType: "Standard_DS3_v2", instanceCount: 1, trafficPercent: 100 }],
});

export const monitorScheduleId = monitor.scheduleId;
