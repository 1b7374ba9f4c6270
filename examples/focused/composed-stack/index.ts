/**
 * A larger stack composing the library with resources of its own: its own resource group, the
 * analytics team's existing Event Hub as the stream target, the tag-driven model deployer, and a
 * subscription of its own (a storage queue for registered models) on the workspace's one system topic.
 * It imports the package by name, as any stack does after `npm install aml-event-workflows`; the
 * package's consumer test installs the packed library into a separate project and plans this file there.
 */
import * as resources from "@pulumi/azure-native/resources";
import { AmlEventType, MlEventWorkflows, SAMPLE_WORKSPACE_ID, StorageQueueDestination } from "aml-event-workflows";

const analytics = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-analytics/providers";
const tags = { workload: "ml-events", managedBy: "pulumi" };

const group = new resources.ResourceGroup("rg-ml-events", { location: "westeurope", tags });

const ml = new MlEventWorkflows("composed", {
  workspaceId: SAMPLE_WORKSPACE_ID,
  resourceGroupName: group.name,
  location: "westeurope",
  tags,
  deployer: { rules: [{ models: ["sklearn_regression_model"], tags: { type: ["regression"] }, endpointName: "contoso-regression-4k9d2", trafficPercent: 100 }] },
  streaming: { existingEventHubId: `${analytics}/Microsoft.EventHub/namespaces/evhns-analytics/eventhubs/aml-events` },
});

// The stack's own subscription, on the same system topic (Azure allows one per workspace).
ml.events.subscribe("models-queue", {
  destination: new StorageQueueDestination({ queueId: `${analytics}/Microsoft.Storage/storageAccounts/stanalytics/queueServices/default/queues/aml-models` }),
  filter: { includedEventTypes: [AmlEventType.ModelRegistered] },
});

export const resourceGroupName = group.name;
export const outputs = ml.outputs;
