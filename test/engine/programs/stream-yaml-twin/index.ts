/** The TypeScript twin of examples/yaml: the same EventHubStream with the same plain-data args. */
import { EventHubStream } from "aml-event-workflows";

const stream = new EventHubStream("stream", {
  workspace: {
    workspaceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-demo",
    resourceGroupName: "rg-ml",
    location: "westeurope",
  },
  includedEventTypes: ["Microsoft.MachineLearningServices.ModelRegistered", "Microsoft.MachineLearningServices.RunStatusChanged"],
  eventHub: { partitionCount: 8 },
});
export const eventHubId = stream.eventHubId;
