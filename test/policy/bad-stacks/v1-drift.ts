/** A retraining trigger still subscribed to the v1 DatasetDriftDetected event. */
import * as eventgrid from "@pulumi/azure-native/eventgrid";

export const expected = { policy: "filter-v1-drift-retired", level: "advisory", resource: "drift-retrain" } as const;

export function program(): void {
  new eventgrid.SystemTopicEventSubscription("drift-retrain", {
    resourceGroupName: "rg-ml",
    systemTopicName: "mlw-prod-events",
    destination: { endpointType: "WebHook", endpointUrl: "https://hooks.contoso.com/retrain" },
    filter: { includedEventTypes: ["Microsoft.MachineLearningServices.DatasetDriftDetected"] },
  });
}
