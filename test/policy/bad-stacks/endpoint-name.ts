/** An online endpoint named after the model only. */
import * as ml from "@pulumi/azure-native/machinelearningservices";

export const expected = { policy: "deploy-online-endpoint-name", level: "advisory", resource: "churn-endpoint" } as const;

export function program(): void {
  new ml.OnlineEndpoint("churn-endpoint", {
    resourceGroupName: "rg-ml",
    workspaceName: "mlw-prod",
    endpointName: "churn",
    location: "westeurope",
    identity: { type: "SystemAssigned" },
    properties: { authMode: "AADToken" },
  });
}
