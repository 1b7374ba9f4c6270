/**
 * AVM's `customerManagedKey` interface: the plain type, validation, and the pure builders of the
 * encryption properties of the resources that accept a key (no resources here). The component never
 * creates the vault, the key, the identity or the identity's grant on the key (AVM: modules do not
 * create the dependencies of their interfaces): the user-assigned identity must already hold
 * "Key Vault Crypto Service Encryption User" on the key (or get/wrapKey/unwrapKey in an access policy).
 *
 * Sources:
 * - [schema] @pulumi/azure-native 3.28 input types: storage `encryption {keySource, keyVaultProperties
 *   {keyName, keyVaultUri, keyVersion}, encryptionIdentity {encryptionUserAssignedIdentity}, services}`
 *   and `identity {type, userAssignedIdentities: string[]}`; datafactory `encryption {vaultBaseUrl,
 *   keyName, keyVersion, identity {userAssignedIdentity}}`; eventhub `encryption {keySource,
 *   keyVaultProperties[] {keyName, keyVaultUri, keyVersion, identity}}`; no encryption input on
 *   operationalinsights.Workspace nor applicationinsights.Component.
 * - [storage-cmk] Learn, "Customer-managed keys for Azure Storage encryption"
 *   (https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview) and "Create an
 *   account that supports customer-managed keys for tables and queues"
 *   (https://learn.microsoft.com/azure/storage/common/account-encryption-key-create): queues and tables
 *   are covered only when created with the account-scoped key (`keyType: Account`) — at creation only.
 * - [eh-cmk] Learn, "Configure customer-managed keys for encrypting Azure Event Hubs data at rest"
 *   (https://learn.microsoft.com/azure/event-hubs/configure-customer-managed-key): "supported by premium
 *   and dedicated tiers"; only for new or empty namespaces.
 * - [adf-cmk] Learn, "Encrypt Azure Data Factory with customer-managed keys"
 *   (https://learn.microsoft.com/azure/data-factory/enable-customer-managed-key) and the REST model
 *   `EncryptionConfiguration` ("user assigned identity to use to authenticate to customer's key vault");
 *   a key can be set on an empty factory only.
 * - [la-cmk] Learn, "Azure Monitor customer-managed key"
 *   (https://learn.microsoft.com/azure/azure-monitor/logs/customer-managed-keys): the key is configured on
 *   a dedicated cluster (`Microsoft.OperationalInsights/clusters` `keyVaultProperties`) that workspaces
 *   are linked to; a workspace has no key of its own.
 */
import { ArgKeys, unknownArgumentProblems } from "../workspace/argKeys";
import { armIdName, armIdProblems, ArmIdShape, Where, at } from "./network";

/** A key in Azure Key Vault that encrypts the data of the resources the component creates (AVM's `customerManagedKey`). */
export interface CustomerManagedKey {
  /** ARM id of the key vault (`…/providers/Microsoft.KeyVault/vaults/{vault}`), in the public cloud (the key URI is `https://{vault}.vault.azure.net/`). */
  readonly keyVaultResourceId: string;
  /** Name of the key in that vault. */
  readonly keyName: string;
  /** Key version (32 hexadecimal characters). @default - the latest version, followed automatically on rotation */
  readonly keyVersion?: string;
  /** ARM id of the user-assigned identity that reads the key (`…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`); it must hold "Key Vault Crypto Service Encryption User" on the key. */
  readonly userAssignedIdentityResourceId: string;
}

/** The names of `CustomerManagedKey`. */
export const CUSTOMER_MANAGED_KEY_KEYS = { keyVaultResourceId: true, keyName: true, keyVersion: true, userAssignedIdentityResourceId: true } as const satisfies ArgKeys<CustomerManagedKey>;

const VAULT_ID: ArmIdShape = { type: "Microsoft.KeyVault/vaults", example: "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{vault}" };
const IDENTITY_ID: ArmIdShape = {
  type: "Microsoft.ManagedIdentity/userAssignedIdentities",
  example: "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identity}",
};

/** Key names: 1-127 letters, digits and hyphens (Key Vault object names). */
const KEY_NAME = /^[A-Za-z0-9-]{1,127}$/;
/** Key versions are 32 hexadecimal characters. */
const KEY_VERSION = /^[0-9a-fA-F]{32}$/;
/** Vault names: 3-24 letters, digits and hyphens, starting with a letter. */
const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;

/** Problems of a `customerManagedKey` value; `unsupported` is why the component can't apply one (refused with the fix). */
export function validateCustomerManagedKey(where: Where, argName: string, value: unknown, unsupported?: string): string[] {
  if (value === undefined) return [];
  if (unsupported !== undefined) return [`${at(where)}${argName} is not supported: ${unsupported}`];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at(where)}${argName} must be { keyVaultResourceId, keyName, keyVersion?, userAssignedIdentityResourceId }.`];
  const k = value as Partial<Record<keyof CustomerManagedKey, unknown>>;
  const problems = unknownArgumentProblems(value, CUSTOMER_MANAGED_KEY_KEYS, `${argName}.`).map((p) => `${at(where)}${p}`);
  if (k.keyVaultResourceId === undefined) problems.push(`${at(where)}${argName}.keyVaultResourceId is required (${VAULT_ID.example}).`);
  problems.push(...armIdProblems(where, `${argName}.keyVaultResourceId`, k.keyVaultResourceId, VAULT_ID));
  if (typeof k.keyVaultResourceId === "string" && problems.length === 0 && !VAULT_NAME.test(armIdName(k.keyVaultResourceId))) {
    problems.push(`${at(where)}${argName}.keyVaultResourceId names the vault ${JSON.stringify(armIdName(k.keyVaultResourceId))}; vault names are 3-24 letters, digits and hyphens, starting with a letter.`);
  }
  if (typeof k.keyName !== "string" || !KEY_NAME.test(k.keyName)) problems.push(`${at(where)}${argName}.keyName ${JSON.stringify(k.keyName)} is not a Key Vault key name; use 1-127 letters, digits and hyphens.`);
  if (k.keyVersion !== undefined && (typeof k.keyVersion !== "string" || !KEY_VERSION.test(k.keyVersion))) {
    problems.push(`${at(where)}${argName}.keyVersion ${JSON.stringify(k.keyVersion)} is not a key version (32 hexadecimal characters); omit it to follow the latest version.`);
  }
  if (k.userAssignedIdentityResourceId === undefined) {
    problems.push(
      `${at(where)}${argName}.userAssignedIdentityResourceId is required: the key is read by a user-assigned identity that exists before the resource (a system-assigned one is created with it, too late to unwrap its key). Pass ${IDENTITY_ID.example}.`,
    );
  }
  problems.push(...armIdProblems(where, `${argName}.userAssignedIdentityResourceId`, k.userAssignedIdentityResourceId, IDENTITY_ID));
  return problems;
}

/** `https://{vault}.vault.azure.net/` for a vault id (public cloud). */
export function keyVaultUri(keyVaultResourceId: string): string {
  return `https://${armIdName(keyVaultResourceId)}.vault.azure.net/`;
}

/** A storage account's `identity` and `encryption` for `cmk` [schema] [storage-cmk]; {} without a key. */
export function storageEncryptionProps(cmk: CustomerManagedKey | undefined): Record<string, unknown> {
  if (cmk === undefined) return {};
  const account = { enabled: true, keyType: "Account" };
  return {
    identity: { type: "UserAssigned", userAssignedIdentities: [cmk.userAssignedIdentityResourceId] },
    encryption: {
      keySource: "Microsoft.Keyvault",
      keyVaultProperties: { keyName: cmk.keyName, keyVaultUri: keyVaultUri(cmk.keyVaultResourceId), ...(cmk.keyVersion !== undefined ? { keyVersion: cmk.keyVersion } : {}) },
      encryptionIdentity: { encryptionUserAssignedIdentity: cmk.userAssignedIdentityResourceId },
      // Queues and tables take the key only with the account-scoped key type, chosen at creation [storage-cmk].
      services: { blob: account, file: account, queue: account, table: account },
    },
  };
}

/** A factory's `encryption` for `cmk` [adf-cmk]; the identity must also be on the factory (lib/retraining/isolation.ts adds it). */
export function factoryEncryptionProps(cmk: CustomerManagedKey | undefined): Record<string, unknown> {
  if (cmk === undefined) return {};
  return {
    encryption: {
      vaultBaseUrl: keyVaultUri(cmk.keyVaultResourceId),
      keyName: cmk.keyName,
      ...(cmk.keyVersion !== undefined ? { keyVersion: cmk.keyVersion } : {}),
      identity: { userAssignedIdentity: cmk.userAssignedIdentityResourceId },
    },
  };
}

/** Why a component's customer-managed key can't reach some of what it creates, said once for messages. */
export const CMK_UNSUPPORTED = {
  eventHubsStandard:
    "the namespace EventHubStream creates is Standard, and Event Hubs takes a customer-managed key on Premium and Dedicated namespaces only (Learn, \"Configure customer-managed keys for encrypting Azure Event Hubs data at rest\"). Create a Premium namespace with its key yourself and pass its hub as existingEventHubId.",
  logAnalytics:
    "a Log Analytics workspace has no key of its own: Azure Monitor applies a customer-managed key on a dedicated cluster the workspace is linked to (Learn, \"Azure Monitor customer-managed key\"). Link the workspace to such a cluster where you manage it, and pass it as logAnalytics.workspaceId.",
  noStorage: "the component creates no resource that takes a key.",
} as const;
