/** A Logic App request trigger receiving batched deliveries. */
import * as eventgrid from "@pulumi/azure-native/eventgrid";

export const expected = { policy: "delivery-logic-app-batching", level: "advisory", resource: "email-alerts" } as const;

export function program(): void {
  new eventgrid.SystemTopicEventSubscription("email-alerts", {
    resourceGroupName: "rg-ml",
    systemTopicName: "mlw-prod-events",
    destination: {
      endpointType: "WebHook",
      endpointUrl: "https://prod-12.westeurope.logic.azure.com:443/workflows/4f2a/triggers/manual/paths/invoke?api-version=2016-10-01&sig=REDACTED",
      maxEventsPerBatch: 20,
      preferredBatchSizeInKilobytes: 64,
    },
    filter: { includedEventTypes: ["Microsoft.MachineLearningServices.RunCompleted"] },
  });
}
