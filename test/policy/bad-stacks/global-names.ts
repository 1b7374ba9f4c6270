/** Names derived from the project name alone for globally unique resources. */
import * as eventhub from "@pulumi/azure-native/eventhub";
import * as storage from "@pulumi/azure-native/storage";

export const expected = { policy: "deploy-global-name-suffix", level: "advisory", resource: "events-ns" } as const;

export function program(): void {
  new eventhub.Namespace("events-ns", { resourceGroupName: "rg-ml", namespaceName: "amlevents-prod", sku: { name: "Standard" } });
  new storage.StorageAccount("deadletter", { resourceGroupName: "rg-ml", accountName: "amleventsdeadletter", kind: "StorageV2", sku: { name: "Standard_LRS" }, allowSharedKeyAccess: false });
}
