/**
 * Two workspaces in one stack: each gets its own system topic (Azure allows one per workspace) and its
 * own capabilities; nothing is shared by accident. Production deploys tagged models and streams
 * everything; development only mails its failures.
 */
import { AmlEventType, MlEventWorkflows } from "aml-event-workflows";

const sub = "/subscriptions/00000000-0000-0000-0000-000000000000";

const prod = new MlEventWorkflows("ml-prod", {
  workspaceId: `${sub}/resourceGroups/rg-ml-prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod`,
  resourceGroupName: "rg-ml-prod",
  location: "westeurope",
  deployer: { rules: [{ models: ["churn-classifier"], tags: { stage: ["production"] }, endpointName: "contoso-churn-prod-5t8w1", instanceCount: 2 }] },
  streaming: { eventHub: { partitionCount: 8 } },
});

const dev = new MlEventWorkflows("ml-dev", {
  workspaceId: `${sub}/resourceGroups/rg-ml-dev/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev`,
  resourceGroupName: "rg-ml-dev",
  location: "northeurope",
  email: { recipients: ["ml-dev@contoso.com"], alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }] },
});

export const prodOutputs = prod.outputs;
export const devOutputs = dev.outputs;
