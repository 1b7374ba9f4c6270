/** ARM ids the network isolation tests share (realistic shapes; nothing here exists). */
export const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers";
export const SUBNET = `${SUB}/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-pe`;
export const VAULT = `${SUB}/Microsoft.KeyVault/vaults/kv-ml-keys`;
export const IDENTITY = `${SUB}/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk`;
/** The id of a private DNS zone named `name`. */
export const zone = (name: string): string => `${SUB}/Microsoft.Network/privateDnsZones/${name}`;
