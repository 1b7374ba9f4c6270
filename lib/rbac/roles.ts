/**
 * Built-in Azure role definitions this library grants or guards against, by GUID.
 * GUIDs are from Microsoft's built-in roles reference and are the same in every tenant.
 */
export const BuiltInRole = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  UserAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  RoleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  AzureMLDataScientist: "f6c7c914-8db3-469d-8ca1-694a8f32e121",
  EventGridEventSubscriptionContributor: "428e0ff0-5e57-4d9c-a221-2c70d0e0a443",
  EventGridContributor: "1e241071-0855-49ea-94dc-649edcd759de",
  DataFactoryContributor: "673868aa-7521-48a0-acc6-0f60742d39f5",
  LogicAppContributor: "87a39d53-fc1b-424a-814c-f7e04687dc9e",
  StorageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  StorageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  StorageQueueDataMessageSender: "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
  StorageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  StorageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  AzureEventHubsDataSender: "2b629674-e913-4c01-ae53-ef4638d8f975",
  AzureServiceBusDataSender: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
  MonitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  StorageAccountContributor: "17d1049b-9a84-46fb-8f53-869881c3d3ab",
  WebsiteContributor: "de139f84-1756-47ae-9be6-808fbbe84772",
  ManagedIdentityOperator: "f1a07417-d97a-45cb-824c-7a7467783830",
  KeyVaultAdministrator: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  KeyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
} as const;

/** A built-in role's name, e.g. `AzureEventHubsDataSender`. */
export type BuiltInRoleName = keyof typeof BuiltInRole;

/** Roles that let a principal take over a scope; this library never grants them. */
export const PRIVILEGED_ROLES: readonly string[] = [
  BuiltInRole.Owner,
  BuiltInRole.Contributor,
  BuiltInRole.UserAccessAdministrator,
  BuiltInRole.RoleBasedAccessControlAdministrator,
];

/** The role's display name for a GUID, or undefined when it isn't one we know. */
export function builtInRoleName(guid: string): BuiltInRoleName | undefined {
  const lower = guid.toLowerCase();
  return (Object.keys(BuiltInRole) as BuiltInRoleName[]).find((k) => BuiltInRole[k] === lower);
}

/** The subscription part (`/subscriptions/{id}`) of an ARM id, or undefined. */
export function subscriptionOf(armId: string): string | undefined {
  const m = /^\/subscriptions\/([^/]+)/i.exec(armId);
  return m ? `/subscriptions/${m[1]}` : undefined;
}

/** The resource group part (`/subscriptions/{id}/resourceGroups/{name}`) of an ARM id, or undefined. */
export function resourceGroupOf(armId: string): string | undefined {
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(armId)?.[0];
}

/** The full role definition id for a role GUID, in the subscription of `scope`. */
export function roleDefinitionIdFor(scope: string, roleGuid: string): string {
  const sub = subscriptionOf(scope);
  if (sub === undefined) {
    throw new Error(`roleDefinitionIdFor: scope ${JSON.stringify(scope)} is not an ARM id under /subscriptions/…; pass a resource id.`);
  }
  return `${sub}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}
