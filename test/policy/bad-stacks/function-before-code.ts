/** A Flex app, its package uploaded as a blob, and an AzureFunction subscription that waits only for the app. */
import * as pulumi from "@pulumi/pulumi";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";

export const expected = { policy: "deploy-function-destination-after-code", level: "mandatory", resource: "on-model-registered" } as const;
/** The same stack also hits the Flex container-only pitfall. */
export const alsoExpected = { policy: "deploy-flex-code-deployed", level: "advisory", resource: "deployer-app" } as const;

export function program(): void {
  const account = new storage.StorageAccount("deployer-st", { resourceGroupName: "rg-ml", kind: "StorageV2", sku: { name: "Standard_LRS" }, allowSharedKeyAccess: false });
  const container = new storage.BlobContainer("package", { resourceGroupName: "rg-ml", accountName: account.name, containerName: "package" });
  const app = new web.WebApp("deployer-app", {
    resourceGroupName: "rg-ml",
    name: "deployer-app-7k2q9",
    kind: "functionapp,linux",
    functionAppConfig: {
      runtime: { name: "node", version: "20" },
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 },
      deployment: { storage: { type: "blobContainer", value: pulumi.interpolate`https://${account.name}.blob.core.windows.net/package`, authentication: { type: "SystemAssignedIdentity" } } },
    },
  });
  new storage.Blob("code", { resourceGroupName: "rg-ml", accountName: account.name, containerName: container.name, blobName: "released-package.zip", source: new pulumi.asset.StringAsset("zip") }, { dependsOn: [app] });
  new eventgrid.SystemTopicEventSubscription("on-model-registered", {
    resourceGroupName: "rg-ml",
    systemTopicName: "mlw-prod-events",
    destination: { endpointType: "AzureFunction", resourceId: pulumi.interpolate`${app.id}/functions/deployOnModelRegistered` },
    filter: { includedEventTypes: ["Microsoft.MachineLearningServices.ModelRegistered"] },
  });
}
