/** A storage account left with Azure's default: Shared Key allowed. */
import * as storage from "@pulumi/azure-native/storage";

export const expected = { policy: "hardening-storage-shared-key", level: "advisory", resource: "deployer-storage" } as const;

export function program(): void {
  new storage.StorageAccount("deployer-storage", { resourceGroupName: "rg-ml", kind: "StorageV2", sku: { name: "Standard_LRS" } });
}
