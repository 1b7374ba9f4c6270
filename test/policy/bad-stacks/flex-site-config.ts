/** A Flex Consumption Function App declared the usual way: a siteConfig with app settings. */
import * as web from "@pulumi/azure-native/web";

export const expected = { policy: "deploy-flex-site-config", level: "mandatory", resource: "orders-func" } as const;

export function program(): void {
  const plan = new web.AppServicePlan("orders-plan", { resourceGroupName: "rg-ml", kind: "functionapp", reserved: true, sku: { tier: "FlexConsumption", name: "FC1" } });
  // No netFrameworkVersion here: azure-native's WebApp adds "v4.6" to any siteConfig, which Flex rejects.
  new web.WebApp("orders-func", {
    resourceGroupName: "rg-ml",
    kind: "functionapp,linux",
    serverFarmId: plan.id,
    siteConfig: { appSettings: [{ name: "AzureWebJobsStorage__accountName", value: "stordersfunc4k2" }] },
    functionAppConfig: {
      runtime: { name: "node", version: "20" },
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 },
      deployment: { storage: { type: "blobContainer", value: "https://stordersfunc4k2.blob.core.windows.net/package", authentication: { type: "SystemAssignedIdentity" } } },
    },
  });
}
