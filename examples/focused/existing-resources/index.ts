/**
 * Inside a larger estate: adopt the workspace's existing system topic (created earlier by hand or by
 * another tool — Azure allows only one), dead-letter into the platform's own storage container, and
 * stream to an Event Hub the analytics team already runs. The component creates only what it owns:
 * the subscriptions and their least-privilege role grants.
 */
import { EventHubStream, SAMPLE_WORKSPACE_ID, WorkspaceEvents } from "aml-event-workflows";

const platform = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-platform/providers";

const events = new WorkspaceEvents("adopted", {
  workspaceId: SAMPLE_WORKSPACE_ID,
  resourceGroupName: "rg-ml-platform",
  location: "westeurope",
  existingSystemTopic: { name: "mlw-platform-events" },
  deadLetter: { storageAccountId: `${platform}/Microsoft.Storage/storageAccounts/stplatformdl`, containerName: "aml-deadletter" },
});

const stream = new EventHubStream("adopted-stream", {
  events,
  existingEventHubId: `${platform}/Microsoft.EventHub/namespaces/evhns-analytics/eventhubs/aml-events`,
  eventDeliverySchema: "CloudEventSchemaV1_0",
});

export const eventHubId = stream.eventHubId;
