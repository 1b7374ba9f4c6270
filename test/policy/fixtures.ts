/** Realistic resources for the policy tests, in the shape the engine hands to policies. */
import { PolicyResourceInput, UNKNOWN_VALUE } from "../../policy/api";
import { AML_TOPIC_TYPE, AmlEventType } from "../../lib/events/types";
import { leastPrivilegeRoleGuid, LeastPrivilegeRoleKey } from "../../lib/rbac/customRoles";
import { BuiltInRole, BuiltInRoleName } from "../../lib/rbac/roles";

export const SUB = "00000000-0000-0000-0000-000000000000";
export const RG = `/subscriptions/${SUB}/resourceGroups/rg-ml`;
export const WORKSPACE = `${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod`;
export const HUB = `${RG}/providers/Microsoft.EventHub/namespaces/evhns-aml/eventhubs/aml-events`;
export const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/stamldeadletter`;
export const FACTORY = `${RG}/providers/Microsoft.DataFactory/factories/adf-retrain`;
export const TOPIC_PRINCIPAL = "5f1c8e0a-3b7d-4c2e-9a61-2d4b8f0e7c13";

/** A role definition id for a built-in role. */
export function roleDefinition(role: BuiltInRoleName): string {
  return `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BuiltInRole[role]}`;
}

type Props = Record<string, unknown>;

export function topic(name: string, props: Props = {}): PolicyResourceInput {
  return {
    type: "azure-native:eventgrid:SystemTopic",
    name,
    props: { identity: { type: "SystemAssigned" }, location: "westeurope", resourceGroupName: "rg-ml", source: WORKSPACE, systemTopicName: name, topicType: AML_TOPIC_TYPE, ...props },
  };
}

/** A subscription that passes every policy: RunCompleted to an https webhook, dead-letter with identity, bounded retry. */
export function subscription(name: string, props: Props = {}, type = "azure-native:eventgrid:SystemTopicEventSubscription"): PolicyResourceInput {
  return {
    type,
    name,
    props: {
      deadLetterWithResourceIdentity: {
        deadLetterDestination: { blobContainerName: "deadletter", endpointType: "StorageBlob", resourceId: STORAGE },
        identity: { type: "SystemAssigned" },
      },
      destination: { endpointType: "WebHook", endpointUrl: "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=REDACTED" },
      eventSubscriptionName: name,
      filter: { includedEventTypes: [AmlEventType.RunCompleted] },
      labels: ["aml-events"],
      resourceGroupName: "rg-ml",
      retryPolicy: { eventTimeToLiveInMinutes: 1440, maxDeliveryAttempts: 10 },
      systemTopicName: "mlw-prod-events",
      ...props,
    },
  };
}

/** Identity delivery to the Event Hub. */
export function hubSubscription(name: string, props: Props = {}): PolicyResourceInput {
  return subscription(name, {
    destination: undefined,
    deliveryWithResourceIdentity: { destination: { endpointType: "EventHub", resourceId: HUB }, identity: { type: "SystemAssigned" } },
    filter: { includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.ModelDeployed] },
    ...props,
  });
}

export function roleAssignment(name: string, role: BuiltInRoleName, scope: string, props: Props = {}): PolicyResourceInput {
  return {
    type: "azure-native:authorization:RoleAssignment",
    name,
    props: { principalId: TOPIC_PRINCIPAL, principalType: "ServicePrincipal", roleDefinitionId: roleDefinition(role), scope, ...props },
  };
}

export function functionApp(name: string, props: Props = {}): PolicyResourceInput {
  return {
    type: "azure-native:web:WebApp",
    name,
    props: {
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
      kind: "functionapp,linux",
      resourceGroupName: "rg-ml",
      siteConfig: { ftpsState: "Disabled", minTlsVersion: "1.2" },
      ...props,
    },
  };
}

export function workflow(name: string, props: Props = {}): PolicyResourceInput {
  return {
    type: "azure-native:logic:Workflow",
    name,
    props: {
      definition: {
        $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json",
        actions: {},
        contentVersion: "1.0.0.0",
        triggers: { manual: { inputs: { schema: {} }, kind: "Http", type: "Request" } },
      },
      identity: { type: "SystemAssigned" },
      resourceGroupName: "rg-ml",
      tags: { "aml-events:trigger-auth": "sas" },
      ...props,
    },
  };
}

export function factory(name: string, props: Props = {}): PolicyResourceInput {
  return {
    type: "azure-native:datafactory:Factory",
    name,
    props: { identity: { type: "SystemAssigned" }, publicNetworkAccess: "Disabled", resourceGroupName: "rg-ml", ...props },
  };
}

export function workspace(name: string, props: Props = {}): PolicyResourceInput {
  return {
    type: "azure-native:machinelearningservices:Workspace",
    name,
    props: {
      applicationInsights: `${RG}/providers/Microsoft.Insights/components/appi-ml`,
      identity: { type: "SystemAssigned" },
      resourceGroupName: "rg-ml",
      workspaceName: name,
      ...props,
    },
  };
}

/** The role definition id of one of our identities' least-privilege custom roles on `target`. */
export function ownRole(key: LeastPrivilegeRoleKey, target: string): string {
  return `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${leastPrivilegeRoleGuid(key, target)}`;
}

/** A small stack that passes every policy, advisory ones included. */
export function goodStack(): PolicyResourceInput[] {
  return [
    topic("mlw-prod-events"),
    subscription("run-completed-alerts"),
    hubSubscription("stream-models"),
    roleAssignment("stream-models-sender", "AzureEventHubsDataSender", HUB),
    roleAssignment("dead-letter-writer", "StorageBlobDataContributor", `${STORAGE}/blobServices/default/containers/deadletter`),
    roleAssignment("retrain-adf", "DataFactoryContributor", FACTORY, { principalId: "0b2a4c6e-8d1f-4a3b-9c5d-7e9f1a2b3c4d", roleDefinitionId: ownRole("retrainWorkflow", FACTORY) }),
    functionApp("deployer-func", { publicNetworkAccess: "Disabled" }),
    workflow("email-alerts"),
    factory("adf-retrain", { publicNetworkAccess: "Disabled" }),
    workspace("mlw-prod"),
    // The waf-aligned profile's policies: the topic locked after its subscriptions, diagnostics on each resource that has them.
    {
      type: "azure-native:authorization:ManagementLockByScope",
      name: "mlw-prod-events-lock",
      props: { level: "CanNotDelete", lockName: "mlw-prod-events-lock", scope: `${RG}/providers/Microsoft.EventGrid/systemTopics/mlw-prod-events` },
      dependencies: ["run-completed-alerts", "stream-models"].map((n) => `${URN}azure-native:eventgrid:SystemTopicEventSubscription::${n}`),
    },
    ...([["azure-native:eventgrid:SystemTopic", "mlw-prod-events"], ["azure-native:web:WebApp", "deployer-func"], ["azure-native:logic:Workflow", "email-alerts"], ["azure-native:datafactory:Factory", "adf-retrain"]] as const).map(([type, name]) => ({
      type: "azure-native:monitor:DiagnosticSetting",
      name: `${name}-diag-0`,
      props: { name: `${name}-diag-0`, resourceUri: UNKNOWN_VALUE, workspaceId: `${RG}/providers/Microsoft.OperationalInsights/workspaces/log-ml`, logs: [{ categoryGroup: "allLogs", enabled: true }] },
      dependencies: [`${URN}${type}::${name}`],
    })),
  ];
}

const URN = "urn:pulumi:offline::aml-event-workflows::";
