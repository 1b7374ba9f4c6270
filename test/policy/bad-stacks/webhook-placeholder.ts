/** A webhook subscription still pointing at the documentation placeholder. */
import * as eventgrid from "@pulumi/azure-native/eventgrid";

export const expected = { policy: "deploy-webhook-validatable-host", level: "mandatory", resource: "run-failed" } as const;

export function program(): void {
  new eventgrid.SystemTopicEventSubscription("run-failed", {
    resourceGroupName: "rg-ml",
    systemTopicName: "mlw-prod-events",
    destination: { endpointType: "WebHook", endpointUrl: "https://www.example.com/api/aml-events" },
    filter: { includedEventTypes: ["Microsoft.MachineLearningServices.RunStatusChanged"] },
  });
}
