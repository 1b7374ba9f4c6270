import { deterministicGuid } from "../rbac/guid";

/**
 * What Azure Resource Manager answers for the resources and invokes this library uses, faked
 * deterministically: ARM-shaped ids, principal ids of system-assigned identities, endpoints, host
 * names, Logic App callback URLs with a placeholder `sig`. One table for the offline plan's mock
 * engine (lib/plan/mocks.ts) and the provider plugin the real-engine tests install (test/engine).
 */

/** The subscription id the mock engine puts in every ARM id. */
export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
/** The tenant id the mock engine reports for managed identities. */
export const MOCK_TENANT_ID = "11111111-1111-1111-1111-111111111111";
/** Pulumi's marker of a value not known to the plan: unknown in a preview, or a secret exported as ciphertext. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Placeholder the mock engine uses for the `sig` of Logic App callback URLs. */
export const REDACTED_SIG = "REDACTED";

export type Inputs = Record<string, unknown>;
const text = (v: unknown, fallback: string): string => (typeof v === "string" && v !== "" ? v : fallback);

/**
 * ARM id templates per azure-native type; `{x}` reads input `x` (the last one is the resource's own name
 * input: its explicit physical name, else the logical name), `{$sub}` the subscription.
 */
export const ARM_IDS: Readonly<Record<string, string>> = {
  // The group's own name input, so an explicit (composed) resourceGroupName is its ARM name, not the logical name.
  "azure-native:resources:ResourceGroup": "/subscriptions/{$sub}/resourceGroups/{resourceGroupName}",
  "azure-native:eventgrid:SystemTopic": "{rg}/providers/Microsoft.EventGrid/systemTopics/{systemTopicName}",
  "azure-native:eventgrid:SystemTopicEventSubscription":
    "{rg}/providers/Microsoft.EventGrid/systemTopics/{systemTopicName}/eventSubscriptions/{eventSubscriptionName}",
  "azure-native:storage:StorageAccount": "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}",
  "azure-native:storage:BlobContainer": "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}",
  "azure-native:storage:Queue": "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/queueServices/default/queues/{queueName}",
  "azure-native:eventhub:Namespace": "{rg}/providers/Microsoft.EventHub/namespaces/{namespaceName}",
  "azure-native:eventhub:EventHub": "{rg}/providers/Microsoft.EventHub/namespaces/{namespaceName}/eventhubs/{eventHubName}",
  "azure-native:servicebus:Namespace": "{rg}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}",
  "azure-native:servicebus:Queue": "{rg}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}/queues/{queueName}",
  "azure-native:servicebus:Topic": "{rg}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}/topics/{topicName}",
  "azure-native:logic:Workflow": "{rg}/providers/Microsoft.Logic/workflows/{workflowName}",
  "azure-native:web:AppServicePlan": "{rg}/providers/Microsoft.Web/serverfarms/{name}",
  "azure-native:web:WebApp": "{rg}/providers/Microsoft.Web/sites/{name}",
  "azure-native:web:Connection": "{rg}/providers/Microsoft.Web/connections/{connectionName}",
  "azure-native:insights:Component": "{rg}/providers/Microsoft.Insights/components/{resourceName}",
  "azure-native:applicationinsights:Component": "{rg}/providers/Microsoft.Insights/components/{resourceName}",
  "azure-native:operationalinsights:Workspace": "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}",
  "azure-native:datafactory:Factory": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}",
  "azure-native:datafactory:LinkedService": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}/linkedservices/{linkedServiceName}",
  "azure-native:datafactory:Pipeline": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}/pipelines/{pipelineName}",
  "azure-native:datafactory:Dataset": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}/datasets/{datasetName}",
  "azure-native:communication:CommunicationService": "{rg}/providers/Microsoft.Communication/communicationServices/{communicationServiceName}",
  "azure-native:communication:EmailService": "{rg}/providers/Microsoft.Communication/emailServices/{emailServiceName}",
  "azure-native:communication:Domain": "{rg}/providers/Microsoft.Communication/emailServices/{emailServiceName}/domains/{domainName}",
  "azure-native:machinelearningservices:Workspace": "{rg}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}",
  "azure-native:managedidentity:UserAssignedIdentity": "{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
  "azure-native:authorization:RoleAssignment": "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
  "azure-native:authorization:RoleDefinition": "{scope}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}",
  "azure-native:authorization:ManagementLockByScope": "{scope}/providers/Microsoft.Authorization/locks/{lockName}",
  // Network isolation (lib/interfaces): endpoints, their zone groups, a namespace's rule set, the factory's runtime and generic resource.
  "azure-native:network:PrivateEndpoint": "{rg}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}",
  "azure-native:network:PrivateDnsZoneGroup": "{rg}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}",
  "azure-native:eventhub:NamespaceNetworkRuleSet": "{rg}/providers/Microsoft.EventHub/namespaces/{namespaceName}/networkRuleSets/default",
  "azure-native:datafactory:IntegrationRuntime": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}/integrationRuntimes/{integrationRuntimeName}",
  "azure-native:datafactory:CredentialOperation": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}/credentials/{credentialName}",
  "azure-native:resources:Resource": "{rg}/providers/{resourceProviderNamespace}/{parentResourcePath}/{resourceType}/{resourceName}",
};

/** The resource-name input of each type (what Azure calls the resource), for auto-naming under mocks. */
export function nameInput(template: string): string | undefined {
  const names = [...template.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).filter((n) => n !== "rg" && n !== "scope");
  return names[names.length - 1];
}

/** Builds a realistic ARM id for a mocked resource, in `subscriptionId` (its provider's subscription). */
export function mockArmId(type: string, name: string, inputs: Inputs, subscriptionId: string = MOCK_SUBSCRIPTION_ID): string {
  const template = ARM_IDS[type];
  const rg = `/subscriptions/${subscriptionId}/resourceGroups/${text(inputs.resourceGroupName, "rg-mock")}`;
  if (template === undefined) {
    const [, mod, kind] = type.split(":");
    return `${rg}/providers/Microsoft.${mod}/${kind}/${name}`;
  }
  const own = nameInput(template);
  return template
    .replace("{rg}", rg)
    .replace("{$sub}", subscriptionId)
    .replace(/\{([A-Za-z]+)\}/g, (_, key: string) => text(inputs[key], key === own ? name : `${key}-unset`));
}

function identityOutputs(inputs: Inputs, seed: string): Inputs {
  const identity = inputs.identity;
  if (typeof identity !== "object" || identity === null) return {};
  const type = String((identity as Inputs).type ?? "");
  if (!/SystemAssigned/i.test(type)) return { identity };
  return { identity: { ...(identity as Inputs), principalId: deterministicGuid("principal", seed), tenantId: MOCK_TENANT_ID } };
}

/**
 * An email domain as ARM returns it: an Azure-managed one sends from a `{guid}.azurecomm.net` domain;
 * a customer-managed one from its own name, with the DNS records to verify it (shapes of Microsoft
 * Learn "Quickstart: How to add custom verified email domains": TXT ownership and SPF, CNAME DKIM/DKIM2).
 */
function domainOutputs(id: string, inputs: Inputs): Inputs {
  if (inputs.domainManagement !== "CustomerManaged") {
    const managed = `${deterministicGuid("domain", id)}.azurecomm.net`;
    return { fromSenderDomain: managed, mailFromSenderDomain: managed, dataLocation: "Europe" };
  }
  const domain = text(inputs.domainName, "contoso.com");
  const record = (type: string, name: string, value: string) => ({ type, name, value, ttl: 3600 });
  return {
    fromSenderDomain: domain,
    mailFromSenderDomain: domain,
    dataLocation: "Europe",
    verificationRecords: {
      domain: record("TXT", domain, `ms-domain-verification=${deterministicGuid("verify", id)}`),
      sPF: record("TXT", domain, "v=spf1 include:spf.protection.outlook.com -all"),
      dKIM: record("CNAME", `selector1-azurecomm-prod-net._domainkey.${domain}`, `selector1-azurecomm-prod-net._domainkey.azurecomm.net`),
      dKIM2: record("CNAME", `selector2-azurecomm-prod-net._domainkey.${domain}`, `selector2-azurecomm-prod-net._domainkey.azurecomm.net`),
    },
  };
}

/** Output-only properties Azure would return, per type. */
function typeOutputs(type: string, name: string, id: string, inputs: Inputs): Inputs {
  switch (type) {
    case "azure-native:storage:StorageAccount": {
      const account = text(inputs.accountName, name);
      return {
        primaryEndpoints: {
          blob: `https://${account}.blob.core.windows.net/`,
          queue: `https://${account}.queue.core.windows.net/`,
          table: `https://${account}.table.core.windows.net/`,
        },
      };
    }
    case "azure-native:logic:Workflow":
      return { accessEndpoint: `https://prod-00.westeurope.logic.azure.com:443/workflows/${deterministicGuid(id).replace(/-/g, "")}` };
    case "azure-native:communication:CommunicationService":
      return { hostName: `${text(inputs.communicationServiceName, name)}.europe.communication.azure.com` };
    case "azure-native:communication:Domain":
      return domainOutputs(id, inputs);
    case "azure-native:web:WebApp":
      return { defaultHostName: `${text(inputs.name, name)}.azurewebsites.net` };
    case "azure-native:insights:Component":
    case "azure-native:applicationinsights:Component":
      return {
        connectionString: `InstrumentationKey=${deterministicGuid("ikey", id)};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`,
        instrumentationKey: deterministicGuid("ikey", id),
      };
    case "random:index/randomString:RandomString": {
      // A deterministic stand-in for the random provider: lowercase letters and digits of the asked length.
      const length = typeof inputs.length === "number" ? inputs.length : 8;
      return { result: deterministicGuid("random", name).replace(/-/g, "").slice(0, length) };
    }
    case "azure-native:eventhub:Namespace":
      return { serviceBusEndpoint: `https://${text(inputs.namespaceName, name)}.servicebus.windows.net:443/` };
    default:
      return {};
  }
}

/** The state Azure would return after creating `type` named `name` (Pulumi's name) from `inputs`. */
export function createdState(type: string, name: string, id: string, inputs: Inputs): Inputs {
  const template = ARM_IDS[type];
  const own = template === undefined ? undefined : nameInput(template);
  const azureName = own !== undefined ? text(inputs[own], name) : name;
  return {
    ...inputs,
    ...(own !== undefined && inputs[own] === undefined ? { [own]: azureName } : {}),
    name: text(inputs.name, azureName),
    ...identityOutputs(inputs, id),
    ...typeOutputs(type, name, id, inputs),
  };
}

/** The azure-native invokes this library calls, answered like ARM; `undefined` for any other token. */
export function invokeResult(token: string, inputs: Inputs): Inputs | undefined {
  switch (token) {
    case "azure-native:logic:listWorkflowTriggerCallbackUrl": {
      const workflow = text(inputs.workflowName, "workflow");
      const trigger = text(inputs.triggerName, "manual");
      const base = `https://prod-00.westeurope.logic.azure.com/workflows/${deterministicGuid(workflow).replace(/-/g, "")}/triggers/${trigger}/paths/invoke`;
      return {
        value: `${base}?api-version=2019-05-01&sp=%2Ftriggers%2F${trigger}%2Frun&sv=1.0&sig=${REDACTED_SIG}`,
        basePath: base,
        method: "POST",
        queries: { apiVersion: "2019-05-01", sp: `/triggers/${trigger}/run`, sv: "1.0", sig: REDACTED_SIG },
      };
    }
    case "azure-native:managedidentity:getUserAssignedIdentity": {
      // A user-assigned identity passed by id (managedIdentities): stable principal and client ids per identity.
      const id = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${text(inputs.resourceGroupName, "rg")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${text(inputs.resourceName, "identity")}`;
      return { ...inputs, id, name: text(inputs.resourceName, "identity"), principalId: deterministicGuid("principal", id.toLowerCase()), clientId: deterministicGuid("client", id.toLowerCase()), tenantId: MOCK_TENANT_ID };
    }
    case "azure-native:authorization:getClientToken":
      return { token: "mock-arm-token" };
    case "azure-native:authorization:getClientConfig":
      return { clientId: deterministicGuid("client"), objectId: deterministicGuid("object"), subscriptionId: MOCK_SUBSCRIPTION_ID, tenantId: MOCK_TENANT_ID };
    default:
      return readExisting(token, inputs);
  }
}

/** Answers `get<Type>` invokes for types with a known ARM id, as if the resource existed. */
function readExisting(token: string, inputs: Inputs): Inputs | undefined {
  const m = /^(azure-native:[a-z]+:)get([A-Za-z]+)$/.exec(token);
  const type = m ? `${m[1]}${m[2]}` : "";
  const template = ARM_IDS[type];
  if (template === undefined) return undefined;
  const own = nameInput(template) ?? "name";
  const name = text(inputs[own], "existing");
  const id = mockArmId(type, name, inputs);
  // An existing domain named other than AzureManagedDomain is a customer domain sending from its own name.
  const managed = name.toLowerCase() === "azuremanageddomain" ? "AzureManaged" : "CustomerManaged";
  const extra = type === "azure-native:communication:Domain" ? domainOutputs(id, { domainManagement: managed, domainName: name }) : {};
  return { ...inputs, id, name, ...extra, identity: { type: "SystemAssigned", principalId: deterministicGuid("principal", id), tenantId: MOCK_TENANT_ID } };
}
