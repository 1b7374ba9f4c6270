/** A system topic with a lock declared right after the topic, before the subscriptions. */
import * as authorization from "@pulumi/azure-native/authorization";
import * as eventgrid from "@pulumi/azure-native/eventgrid";

export const expected = { policy: "deploy-lock-after-subscriptions", level: "advisory", resource: "topic-lock" } as const;

const WORKSPACE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod";

export function program(): void {
  const topic = new eventgrid.SystemTopic("mlw-events", { resourceGroupName: "rg-ml", source: WORKSPACE, topicType: "Microsoft.MachineLearningServices.Workspaces", identity: { type: "SystemAssigned" } });
  new authorization.ManagementLockByScope("topic-lock", { scope: topic.id, level: "CanNotDelete", notes: "keep the topic" });
  new eventgrid.SystemTopicEventSubscription("model-registered", {
    resourceGroupName: "rg-ml",
    systemTopicName: topic.name,
    destination: { endpointType: "WebHook", endpointUrl: "https://hooks.contoso.com/aml" },
    filter: { includedEventTypes: ["Microsoft.MachineLearningServices.ModelRegistered"] },
  });
}
