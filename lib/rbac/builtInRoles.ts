/**
 * The built-in roles the policy pack classifies, with each role's permissions as Microsoft lists them in the
 * role JSON on Learn's built-in roles pages (one page per category; the page of each role is in
 * {@link BUILT_IN_ROLE_PAGES}). GUIDs are the same in every tenant. Lists are copied as data (action
 * strings), in Microsoft's order; a role Microsoft later widens must be updated here, and
 * test/rbac/privilege.test.ts pins the verdict of each.
 *
 * Checked against the role JSON Learn publishes (December 2026 pass): Owner, Contributor (notActions now
 * include the deployment-stack deny setting and subscription cancel/enable), Storage Account Contributor,
 * Website Contributor, Logic App Contributor, Managed Identity Operator, Key Vault Administrator, Data
 * Factory Contributor (now with Microsoft.ResourceHealth/availabilityStatuses/read), AzureML Data
 * Scientist, EventGrid EventSubscription Contributor. The others (the data roles, User Access
 * Administrator, Role Based Access Control Administrator, EventGrid Contributor, Monitoring Metrics
 * Publisher, Key Vault Secrets User) are as first copied from the same pages and were not re-read in that
 * pass; their verdicts do not depend on lists this short changing (a data role gains no control-plane
 * escalation without a new action name, which the pinned verdict test would show).
 */
import { BuiltInRole, BuiltInRoleName } from "./roles";

/** A role's permission block, in the shape of role definition JSON and azure-native's `Permission`. */
export interface RolePermissions {
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly dataActions?: readonly string[];
  readonly notDataActions?: readonly string[];
}

/** One classified built-in role. */
export interface BuiltInRoleEntry {
  readonly name: BuiltInRoleName;
  readonly guid: string;
  readonly permissions: RolePermissions;
}

const PAGE = "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles";

/** The Learn page (and anchor) that lists each classified role's JSON. */
export const BUILT_IN_ROLE_PAGES: Readonly<Record<BuiltInRoleName, string>> = {
  Owner: `${PAGE}/privileged#owner`,
  Contributor: `${PAGE}/privileged#contributor`,
  UserAccessAdministrator: `${PAGE}/privileged#user-access-administrator`,
  RoleBasedAccessControlAdministrator: `${PAGE}/privileged#role-based-access-control-administrator`,
  AzureMLDataScientist: `${PAGE}/ai-machine-learning#azureml-data-scientist`,
  EventGridEventSubscriptionContributor: `${PAGE}/integration#eventgrid-eventsubscription-contributor`,
  EventGridContributor: `${PAGE}/integration#eventgrid-contributor`,
  DataFactoryContributor: `${PAGE}/analytics#data-factory-contributor`,
  LogicAppContributor: `${PAGE}/integration#logic-app-contributor`,
  StorageBlobDataContributor: `${PAGE}/storage#storage-blob-data-contributor`,
  StorageBlobDataOwner: `${PAGE}/storage#storage-blob-data-owner`,
  StorageQueueDataMessageSender: `${PAGE}/storage#storage-queue-data-message-sender`,
  StorageQueueDataContributor: `${PAGE}/storage#storage-queue-data-contributor`,
  StorageTableDataContributor: `${PAGE}/storage#storage-table-data-contributor`,
  AzureEventHubsDataSender: `${PAGE}/analytics#azure-event-hubs-data-sender`,
  AzureServiceBusDataSender: `${PAGE}/integration#azure-service-bus-data-sender`,
  MonitoringMetricsPublisher: `${PAGE}/monitor#monitoring-metrics-publisher`,
  StorageAccountContributor: `${PAGE}/storage#storage-account-contributor`,
  WebsiteContributor: `${PAGE}/web-and-mobile#website-contributor`,
  ManagedIdentityOperator: `${PAGE}/identity#managed-identity-operator`,
  KeyVaultAdministrator: `${PAGE}/security#key-vault-administrator`,
  KeyVaultSecretsUser: `${PAGE}/security#key-vault-secrets-user`,
};

/** Permissions per built-in role, as Microsoft lists them (page per role in {@link BUILT_IN_ROLE_PAGES}). */
export const BUILT_IN_ROLE_PERMISSIONS: Readonly<Record<BuiltInRoleName, RolePermissions>> = {
  Owner: { actions: ["*"] },
  Contributor: {
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
      "Microsoft.Blueprint/blueprintAssignments/write",
      "Microsoft.Blueprint/blueprintAssignments/delete",
      "Microsoft.Compute/galleries/share/action",
      "Microsoft.Purview/consents/write",
      "Microsoft.Purview/consents/delete",
      "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
      "Microsoft.Subscription/cancel/action",
      "Microsoft.Subscription/enable/action",
    ],
  },
  UserAccessAdministrator: { actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"] },
  RoleBasedAccessControlAdministrator: {
    actions: ["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*"],
  },
  StorageAccountContributor: {
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Insights/diagnosticSettings/*",
      "Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action",
      "Microsoft.ResourceHealth/availabilityStatuses/read",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Storage/storageAccounts/*",
      "Microsoft.Support/*",
    ],
  },
  WebsiteContributor: {
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Insights/components/*",
      "Microsoft.ResourceHealth/availabilityStatuses/read",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Support/*",
      "Microsoft.Web/certificates/*",
      "Microsoft.Web/listSitesAssignedToHostName/read",
      "Microsoft.Web/serverFarms/join/action",
      "Microsoft.Web/serverFarms/read",
      "Microsoft.Web/sites/*",
    ],
  },
  ManagedIdentityOperator: {
    actions: [
      "Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
      "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Support/*",
    ],
  },
  KeyVaultAdministrator: {
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Support/*",
      "Microsoft.KeyVault/checkNameAvailability/read",
      "Microsoft.KeyVault/deletedVaults/read",
      "Microsoft.KeyVault/locations/*/read",
      "Microsoft.KeyVault/vaults/*/read",
      "Microsoft.KeyVault/operations/read",
    ],
    dataActions: ["Microsoft.KeyVault/vaults/*"],
  },
  KeyVaultSecretsUser: { dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"] },
  DataFactoryContributor: {
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.DataFactory/dataFactories/*",
      "Microsoft.DataFactory/factories/*",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.ResourceHealth/availabilityStatuses/read",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Support/*",
      "Microsoft.EventGrid/eventSubscriptions/write",
    ],
  },
  LogicAppContributor: {
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.ClassicStorage/storageAccounts/listKeys/action",
      "Microsoft.ClassicStorage/storageAccounts/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Insights/metricAlerts/*",
      "Microsoft.Insights/diagnosticSettings/*",
      "Microsoft.Insights/logdefinitions/*",
      "Microsoft.Insights/metricDefinitions/*",
      "Microsoft.Logic/*",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/operationresults/read",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Storage/storageAccounts/listkeys/action",
      "Microsoft.Storage/storageAccounts/read",
      "Microsoft.Support/*",
      "Microsoft.Web/connectionGateways/*",
      "Microsoft.Web/connections/*",
      "Microsoft.Web/customApis/*",
      "Microsoft.Web/serverFarms/join/action",
      "Microsoft.Web/serverFarms/read",
      "Microsoft.Web/sites/functions/listSecrets/action",
    ],
  },
  AzureMLDataScientist: {
    actions: [
      "Microsoft.MachineLearningServices/workspaces/*/read",
      "Microsoft.MachineLearningServices/workspaces/*/action",
      "Microsoft.MachineLearningServices/workspaces/*/delete",
      "Microsoft.MachineLearningServices/workspaces/*/write",
    ],
    notActions: [
      "Microsoft.MachineLearningServices/workspaces/delete",
      "Microsoft.MachineLearningServices/workspaces/write",
      "Microsoft.MachineLearningServices/workspaces/computes/*/write",
      "Microsoft.MachineLearningServices/workspaces/computes/*/delete",
      "Microsoft.MachineLearningServices/workspaces/computes/listKeys/action",
      "Microsoft.MachineLearningServices/workspaces/listKeys/action",
      "Microsoft.MachineLearningServices/workspaces/hubs/write",
      "Microsoft.MachineLearningServices/workspaces/hubs/delete",
      "Microsoft.MachineLearningServices/workspaces/featurestores/write",
      "Microsoft.MachineLearningServices/workspaces/featurestores/delete",
    ],
  },
  EventGridEventSubscriptionContributor: {
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.EventGrid/eventSubscriptions/*",
      "Microsoft.EventGrid/topicTypes/eventSubscriptions/read",
      "Microsoft.EventGrid/locations/eventSubscriptions/read",
      "Microsoft.EventGrid/locations/topicTypes/eventSubscriptions/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Support/*",
    ],
  },
  EventGridContributor: {
    actions: ["Microsoft.Authorization/*/read", "Microsoft.EventGrid/*", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*"],
  },
  StorageBlobDataContributor: {
    actions: [
      "Microsoft.Storage/storageAccounts/blobServices/containers/delete",
      "Microsoft.Storage/storageAccounts/blobServices/containers/read",
      "Microsoft.Storage/storageAccounts/blobServices/containers/write",
      "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    ],
    dataActions: [
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
    ],
  },
  StorageBlobDataOwner: {
    actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/*", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"],
    dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
  },
  StorageQueueDataMessageSender: { dataActions: ["Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action"] },
  StorageQueueDataContributor: {
    actions: [
      "Microsoft.Storage/storageAccounts/queueServices/queues/delete",
      "Microsoft.Storage/storageAccounts/queueServices/queues/read",
      "Microsoft.Storage/storageAccounts/queueServices/queues/write",
    ],
    dataActions: [
      "Microsoft.Storage/storageAccounts/queueServices/queues/messages/delete",
      "Microsoft.Storage/storageAccounts/queueServices/queues/messages/read",
      "Microsoft.Storage/storageAccounts/queueServices/queues/messages/write",
      "Microsoft.Storage/storageAccounts/queueServices/queues/messages/process/action",
    ],
  },
  StorageTableDataContributor: {
    actions: ["Microsoft.Storage/storageAccounts/tableServices/tables/read", "Microsoft.Storage/storageAccounts/tableServices/tables/write", "Microsoft.Storage/storageAccounts/tableServices/tables/delete"],
    dataActions: [
      "Microsoft.Storage/storageAccounts/tableServices/tables/entities/read",
      "Microsoft.Storage/storageAccounts/tableServices/tables/entities/write",
      "Microsoft.Storage/storageAccounts/tableServices/tables/entities/delete",
      "Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action",
      "Microsoft.Storage/storageAccounts/tableServices/tables/entities/update/action",
    ],
  },
  AzureEventHubsDataSender: { actions: ["Microsoft.EventHub/*/eventhubs/read"], dataActions: ["Microsoft.EventHub/*/send/action"] },
  AzureServiceBusDataSender: { actions: ["Microsoft.ServiceBus/*/queues/read", "Microsoft.ServiceBus/*/topics/read", "Microsoft.ServiceBus/*/topics/subscriptions/read"], dataActions: ["Microsoft.ServiceBus/*/send/action"] },
  MonitoringMetricsPublisher: {
    actions: ["Microsoft.Insights/Register/Action", "Microsoft.Support/*", "Microsoft.Resources/subscriptions/resourceGroups/read"],
    dataActions: ["Microsoft.Insights/Metrics/Write", "Microsoft.Insights/Telemetry/Write"],
  },
};

/** The classified built-in role with this GUID (any case), or undefined. */
export function builtInRoleEntry(guid: string): BuiltInRoleEntry | undefined {
  const lower = guid.toLowerCase();
  const name = (Object.keys(BuiltInRole) as BuiltInRoleName[]).find((k) => BuiltInRole[k] === lower);
  return name === undefined ? undefined : { name, guid: lower, permissions: BUILT_IN_ROLE_PERMISSIONS[name] };
}

