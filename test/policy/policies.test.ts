import * as assert from "assert";
import { analyzeResources, PolicyResourceInput, policies, UNKNOWN_VALUE } from "../../policy/api";
import { AmlEventType } from "../../lib/events/types";
import { modelMonitorBreachFilter } from "../../lib/monitoring/breachFilter";
import { BREACH_TAG } from "../../lib/monitoring/breachTag";
import { AML_RUN_STATUSES, buildEmailAlertsDefinition } from "../../lib/notifications/definition";
import {
  factory,
  FACTORY,
  ownRole,
  functionApp,
  HUB,
  hubSubscription,
  RG,
  roleAssignment,
  STORAGE,
  SUB,
  subscription,
  topic,
  TOPIC_PRINCIPAL,
  WORKSPACE,
  workflow,
  workspace,
} from "./fixtures";

const U = UNKNOWN_VALUE;
const ACS = `${RG}/providers/Microsoft.Communication/communicationServices/acs-mail`;

function customRole(name: string, props: Record<string, unknown>): PolicyResourceInput {
  return { type: "azure-native:authorization:RoleDefinition", name, props: { roleName: `${name}-role`, scope: ACS, ...props } };
}
const deadLetterRole = roleAssignment("dead-letter-writer", "StorageBlobDataContributor", `${STORAGE}/blobServices/default/containers/deadletter`);

/** Per policy: resources that pass, that fail (and a phrase the message must contain), that it doesn't apply to, and with an unknown value it reads. */
interface Case {
  readonly pass: PolicyResourceInput[];
  readonly fail: PolicyResourceInput[];
  readonly failIncludes: string;
  readonly notApplicable: PolicyResourceInput[];
  readonly unknown: PolicyResourceInput[];
  /**
   * Resource policies can't run on an unknown they read (advisory diagnostic); stack policies, and the RBAC
   * policies that decide on the fields they know, skip a value they can't judge yet (the pack runs again at `up`).
   */
  readonly unknownOutcome: "cannot-run" | "skipped";
}

const manyFilters = Array.from({ length: 26 }, (_, i) => ({ key: `data.runTags.t${i}`, operatorType: "IsNotNull" }));

const TOPIC_ID = `${RG}/providers/Microsoft.EventGrid/systemTopics/mlw-prod-events`;
const FLEX = { functionAppConfig: { runtime: { name: "node", version: "20" } } };
const lock = (name: string, dependencies: string[], props: Record<string, unknown> = {}): PolicyResourceInput => ({
  type: "azure-native:authorization:ManagementLockByScope",
  name,
  props: { scope: TOPIC_ID, level: "CanNotDelete", lockName: name, ...props },
  dependencies,
});
const onTopic = (name: string): PolicyResourceInput => subscription(name, { systemTopicName: "mlw-prod-events" });
const urnOf = (name: string): string => `urn:pulumi:offline::aml-event-workflows::azure-native:eventgrid:SystemTopicEventSubscription::${name}`;
const endpoint = (name: string, props: Record<string, unknown> = {}): PolicyResourceInput => ({
  type: "azure-native:machinelearningservices:OnlineEndpoint",
  name,
  props: { resourceGroupName: "rg-ml", workspaceName: "mlw-prod", location: "westeurope", properties: { authMode: "AADToken" }, ...props },
});
const logicAppUrl = "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=REDACTED";

const DOMAIN_URN = "urn:pulumi:offline::aml-event-workflows::azure-native:communication:Domain::mail-domain";
const ACS_URN = "urn:pulumi:offline::aml-event-workflows::azure-native:communication:CommunicationService::mail-acs";
const MAIL_WF_URN = "urn:pulumi:offline::aml-event-workflows::azure-native:logic:Workflow::mail-workflow";
/** An ACS email stack on an Azure-managed domain whose workflow has `rules` alert rules (RunStatusChanged per status, the real definition builder). */
function emailStack(rules: number): PolicyResourceInput[] {
  const statuses = Array.from({ length: rules }, (_, i) => AML_RUN_STATUSES[i % AML_RUN_STATUSES.length]);
  const definition = buildEmailAlertsDefinition({ recipients: ["ml-oncall@contoso.com"], alerts: statuses.map((s) => ({ eventType: AmlEventType.RunStatusChanged, runStatuses: [s] })) });
  return [
    { type: "azure-native:communication:Domain", name: "mail-domain", props: { domainManagement: "AzureManaged", domainName: "AzureManagedDomain", emailServiceName: "mail-service" } },
    { type: "azure-native:communication:CommunicationService", name: "mail-acs", props: { dataLocation: "Europe", linkedDomains: [U] }, dependencies: [DOMAIN_URN] },
    { type: "azure-native:logic:Workflow", name: "mail-workflow", props: { definition, parameters: { senderAddress: { value: U } } }, dependencies: [ACS_URN, DOMAIN_URN] },
    { ...subscription("mail-run-status", { destination: { endpointType: "WebHook", endpointUrl: U } }), dependencies: [MAIL_WF_URN] },
  ];
}

const APP_URN = "urn:pulumi:offline::aml-event-workflows::azure-native:web:WebApp::deployer";
const deployerApp = functionApp("deployer", { name: "deployer-4k2x9", functionAppConfig: { deployment: { storage: { type: "blobContainer", value: "https://stdeployer4k2x9.blob.core.windows.net/package" } } } });
const codeBlob: PolicyResourceInput = { type: "azure-native:storage:Blob", name: "code", props: { containerName: "package", blobName: "released-package.zip" }, dependencies: [APP_URN] };
const CODE_URN = "urn:pulumi:offline::aml-event-workflows::azure-native:storage:Blob::code";
const publishStep: PolicyResourceInput = { type: "pulumi-nodejs:dynamic:Resource", name: "publish", props: { packageSha256: "9f1c" }, dependencies: [APP_URN, CODE_URN] };
const fnSub = (resourceId: string, dependencies: string[]): PolicyResourceInput => ({
  ...subscription("fn", { destination: { endpointType: "AzureFunction", resourceId } }),
  dependencies,
});
const deployerWithRules = (rules: unknown[]): PolicyResourceInput => functionApp("deployer", { siteConfig: { appSettings: [{ name: "DEPLOY_RULES", value: JSON.stringify(rules) }] } });
const FN_ID = `${RG}/providers/Microsoft.Web/sites/deployer-4k2x9/functions/deployOnModelRegistered`;

/** A model monitor's schedule (what ModelMonitor registers) with one signal id, or unknown signals. */
function monitorSchedule(signalId: string): PolicyResourceInput {
  const signals = signalId === U ? U : { [signalId]: { signalType: "DataDrift" } };
  return { type: "azure-native:machinelearningservices:Schedule", name: "monitor", props: { properties: { action: { actionType: "CreateMonitor", monitorDefinition: { signals } } } } };
}

const LAW = `${RG}/providers/Microsoft.OperationalInsights/workspaces/central-logs`;
/** A diagnostic setting sending allLogs and AllMetrics unless `props` says otherwise. */
const diag = (name: string, props: Record<string, unknown>): PolicyResourceInput => ({
  type: "azure-native:monitor:DiagnosticSetting",
  name,
  props: { name, logs: [{ categoryGroup: "allLogs", enabled: true }], metrics: [{ category: "AllMetrics", enabled: true }], ...props },
});

const CASES: Record<string, Case> = {
  "profile-public-network-access-disabled": {
    pass: [{ type: "azure-native:eventhub:Namespace", name: "ns", props: { publicNetworkAccess: "Disabled" } }],
    fail: [{ type: "azure-native:eventhub:Namespace", name: "ns", props: { publicNetworkAccess: "Enabled" } }],
    failIncludes: 'Namespace ns has publicNetworkAccess "Enabled"',
    notApplicable: [topic("t")],
    unknown: [{ type: "azure-native:storage:StorageAccount", name: "st", props: { publicNetworkAccess: U } }],
    unknownOutcome: "cannot-run",
  },
  "profile-diagnostics-configured": {
    pass: [topic("t"), { type: "azure-native:monitor:DiagnosticSetting", name: "d", props: { resourceUri: TOPIC_ID.replace("mlw-prod-events", "t") } }],
    fail: [topic("t")],
    failIncludes: "SystemTopic t (Microsoft.EventGrid/systemTopics) has no diagnostic setting",
    notApplicable: [roleAssignment("r", "AzureEventHubsDataSender", HUB)],
    unknown: [topic("t"), { type: "azure-native:monitor:DiagnosticSetting", name: "d", props: { resourceUri: U } }],
    unknownOutcome: "skipped",
  },
  "profile-system-topic-locked": {
    pass: [topic("mlw-prod-events"), lock("topic-lock", [])],
    fail: [topic("mlw-prod-events")],
    failIncludes: "System topic mlw-prod-events has no management lock",
    notApplicable: [onTopic("a")],
    unknown: [topic("mlw-prod-events"), lock("topic-lock", [], { scope: U })],
    unknownOutcome: "skipped",
  },
  "profile-identity-has-role": {
    pass: [{ type: "azure-native:managedidentity:UserAssignedIdentity", name: "id", props: { principalId: TOPIC_PRINCIPAL } }, roleAssignment("r", "AzureEventHubsDataSender", HUB, { principalId: TOPIC_PRINCIPAL })],
    fail: [{ type: "azure-native:managedidentity:UserAssignedIdentity", name: "id", props: { principalId: TOPIC_PRINCIPAL } }],
    failIncludes: "User-assigned identity id has no role assignment",
    notApplicable: [topic("t")],
    unknown: [{ type: "azure-native:managedidentity:UserAssignedIdentity", name: "id", props: { principalId: U } }, roleAssignment("r", "AzureEventHubsDataSender", HUB, { principalId: U })],
    unknownOutcome: "skipped",
  },
  "profile-customer-managed-key-applied": {
    pass: [{ type: "azure-native:datafactory:Factory", name: "adf", props: { encryption: { keyName: "cmk", vaultBaseUrl: "https://kv.vault.azure.net/" } } }],
    fail: [{ type: "azure-native:datafactory:Factory", name: "adf", props: { encryption: { keyName: "cmk" } } }],
    failIncludes: "Factory adf asks for a customer-managed key but lacks encryption.keyName and encryption.vaultBaseUrl",
    notApplicable: [topic("t")],
    unknown: [{ type: "azure-native:storage:StorageAccount", name: "st", props: { encryption: U } }],
    unknownOutcome: "cannot-run",
  },
  "deploy-function-destination-after-code": {
    pass: [deployerApp, codeBlob, fnSub(FN_ID, [APP_URN, CODE_URN])],
    fail: [deployerApp, codeBlob, fnSub(FN_ID, [APP_URN])],
    failIncludes: "Subscription fn delivers to a function of deployer but doesn't depend on anything deploying its code",
    notApplicable: [topic("t")],
    unknown: [deployerApp, codeBlob, fnSub(U, [APP_URN])],
    unknownOutcome: "skipped",
  },
  "deploy-flex-code-deployed": {
    pass: [deployerApp, codeBlob, publishStep],
    fail: [deployerApp, codeBlob],
    failIncludes: "gets its package only as blob code in its deployment container package",
    notApplicable: [functionApp("premium")],
    unknown: [functionApp("deployer", { functionAppConfig: { deployment: { storage: { type: "blobContainer", value: U } } } }), codeBlob],
    unknownOutcome: "skipped",
  },
  "deploy-flex-site-config": {
    pass: [functionApp("flex", { ...FLEX, siteConfig: { minTlsVersion: "1.2", appSettings: [] } })],
    fail: [functionApp("flex", { ...FLEX, siteConfig: { minTlsVersion: "1.2", netFrameworkVersion: "v4.6" } })],
    failIncludes: "sets siteConfig.netFrameworkVersion; Azure rejects these on Flex sites (error 51021)",
    notApplicable: [functionApp("premium", { siteConfig: { netFrameworkVersion: "v4.6" } })],
    unknown: [functionApp("flex", { ...FLEX, siteConfig: U })],
    unknownOutcome: "cannot-run",
  },
  "deploy-webhook-validatable-host": {
    pass: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: "https://hooks.contoso.com/aml" } })],
    fail: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: "https://example.com/hook" } })],
    failIncludes: 'WebHook endpoint host "example.com" is reserved for examples and tests',
    notApplicable: [hubSubscription("hub")],
    unknown: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: U } })],
    unknownOutcome: "skipped",
  },
  "deploy-lock-after-subscriptions": {
    pass: [onTopic("a"), onTopic("b"), lock("topic-lock", [urnOf("a"), urnOf("b")])],
    fail: [onTopic("a"), onTopic("b"), lock("topic-lock", [urnOf("a")])],
    failIncludes: "doesn't depend on subscription(s) b",
    notApplicable: [onTopic("a")],
    unknown: [onTopic("a"), lock("topic-lock", [], { scope: U })],
    unknownOutcome: "skipped",
  },
  "deploy-diagnostic-sinks-unique": {
    pass: [diag("a", { resourceUri: TOPIC_ID, workspaceId: LAW }), diag("b", { resourceUri: TOPIC_ID, workspaceId: `${LAW}-2` })],
    fail: [diag("a", { resourceUri: TOPIC_ID, workspaceId: LAW }), diag("b", { resourceUri: `${TOPIC_ID.toUpperCase()}/`, workspaceId: `${LAW.replace("resourceGroups", "RESOURCEGROUPS")}/` })],
    failIncludes: 'both send category group "allLogs" of the resource /subscriptions/',
    notApplicable: [diag("a", { resourceUri: TOPIC_ID, workspaceId: LAW })],
    unknown: [diag("a", { resourceUri: TOPIC_ID, workspaceId: LAW }), diag("b", { resourceUri: U, workspaceId: LAW })],
    unknownOutcome: "skipped",
  },
  "deploy-global-name-suffix": {
    pass: [{ type: "azure-native:eventhub:Namespace", name: "ns", props: { namespaceName: "evhns-aml-7f3k2q" } }],
    fail: [{ type: "azure-native:eventhub:Namespace", name: "ns", props: { namespaceName: "evhns-aml" } }],
    failIncludes: 'sets namespaceName "evhns-aml", a global DNS name without a unique suffix',
    notApplicable: [topic("t")],
    unknown: [{ type: "azure-native:storage:StorageAccount", name: "st", props: { accountName: U } }],
    unknownOutcome: "cannot-run",
  },
  "deploy-online-endpoint-name": {
    pass: [endpoint("ep", { endpointName: "churn-ep-4k9d2" })],
    fail: [endpoint("ep", { endpointName: "churn" })],
    failIncludes: 'is named "churn" in "westeurope"; endpoint names are unique per region',
    notApplicable: [workspace("w")],
    unknown: [endpoint("ep", { endpointName: U })],
    unknownOutcome: "cannot-run",
  },
  "deploy-rule-names-models": {
    pass: [deployerWithRules([{ models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "contoso-credit-4k9d2" }])],
    fail: [deployerWithRules([{ models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "a-4k9d2" }, { anyModel: true, tags: { type: ["classification"] }, endpointName: "b-4k9d2" }])],
    failIncludes: 'rules[1] (endpoint "b-4k9d2") deploys any model (anyModel: true)',
    notApplicable: [functionApp("plain", { siteConfig: { appSettings: [] } })],
    unknown: [functionApp("deployer", { siteConfig: U })],
    unknownOutcome: "cannot-run",
  },
  "filter-v1-drift-retired": {
    pass: [subscription("s", { filter: { includedEventTypes: [AmlEventType.RunStatusChanged] } })],
    fail: [subscription("s", { filter: { includedEventTypes: [AmlEventType.DatasetDriftDetected] } })],
    failIncludes: "retired on 2025-09-01; it will never deliver anything",
    notApplicable: [subscription("s", { filter: {} }), subscription("stream", { filter: { includedEventTypes: Object.values(AmlEventType) } })],
    unknown: [subscription("s", { filter: { includedEventTypes: U } })],
    unknownOutcome: "cannot-run",
  },
  "filter-monitor-breach-reachable": {
    pass: [subscription("s", { filter: modelMonitorBreachFilter({ monitorNames: ["credit-default-monitor"], signalNames: ["data-drift-signal"] }) })],
    fail: [subscription("s", { filter: { ...modelMonitorBreachFilter(), includedEventTypes: [AmlEventType.RunCompleted] } })],
    failIncludes: "includedEventTypes rejects a Completed RunStatusChanged monitor run",
    notApplicable: [subscription("s", { filter: { includedEventTypes: [AmlEventType.RunStatusChanged], advancedFilters: [{ operatorType: "StringIn", key: "data.runStatus", values: ["Failed"] }] } })],
    unknown: [subscription("s", { filter: { ...modelMonitorBreachFilter(), advancedFilters: [{ operatorType: "StringContains", key: `data.runTags.${BREACH_TAG}`, values: U }] } })],
    unknownOutcome: "cannot-run",
  },
  "breach-monitors-declared": {
    pass: [monitorSchedule("pd-model-monitor_feature-drift"), subscription("s", { filter: modelMonitorBreachFilter({ monitorNames: ["pd-model-monitor"], signalNames: ["feature-drift"] }) })],
    fail: [monitorSchedule("pd-model-monitor_feature-drift"), subscription("s", { filter: modelMonitorBreachFilter({ monitorNames: ["pd-monitor"], signalNames: ["feature-drift"] }) })],
    failIncludes: `Subscription s scopes model monitor breaches to "'pd-monitor_feature-drift'", which no ModelMonitor of this program has (its signals: 'pd-model-monitor_feature-drift')`,
    notApplicable: [subscription("s", { filter: modelMonitorBreachFilter({ monitorNames: ["pd-monitor"] }) })],
    unknown: [monitorSchedule(U), subscription("s", { filter: modelMonitorBreachFilter({ monitorNames: ["pd-monitor"] }) })],
    unknownOutcome: "skipped",
  },
  "email-managed-domain-quota": {
    pass: emailStack(3),
    fail: emailStack(11),
    failIncludes: "11 rule(s) × 1 event(s)/hour = 11 emails/hour, over the quota of 10/hour (5/minute) per Azure subscription",
    notApplicable: [topic("t"), { ...emailStack(11)[0], props: { domainManagement: "CustomerManaged", domainName: "mail.contoso.com" } }, ...emailStack(11).slice(1)],
    unknown: [{ ...emailStack(11)[0], props: { domainManagement: U } }, ...emailStack(11).slice(1)],
    unknownOutcome: "skipped",
  },
  "delivery-logic-app-batching": {
    pass: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: logicAppUrl, maxEventsPerBatch: 1 } })],
    fail: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: logicAppUrl, maxEventsPerBatch: 10 } })],
    failIncludes: "delivers batches of up to 10 events to a Logic App request trigger",
    notApplicable: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: "https://hooks.contoso.com/aml", maxEventsPerBatch: 10 } })],
    unknown: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: logicAppUrl, maxEventsPerBatch: U } })],
    unknownOutcome: "cannot-run",
  },
  "hardening-storage-shared-key": {
    pass: [{ type: "azure-native:storage:StorageAccount", name: "st", props: { allowSharedKeyAccess: false } }],
    fail: [{ type: "azure-native:storage:StorageAccount", name: "st", props: {} }],
    failIncludes: "allowSharedKeyAccess unset (Azure's default allows it)",
    notApplicable: [topic("t")],
    unknown: [{ type: "azure-native:storage:StorageAccount", name: "st", props: { allowSharedKeyAccess: U } }],
    unknownOutcome: "cannot-run",
  },
  "rbac-no-privileged-roles": {
    pass: [roleAssignment("adf", "StorageQueueDataMessageSender", FACTORY), roleAssignment("own", "Owner", FACTORY, { roleDefinitionId: ownRole("retrainWorkflow", FACTORY) })],
    fail: [roleAssignment("owner", "Owner", `/subscriptions/${SUB}`)],
    failIncludes: "Role Owner (8e3af657-a8ff-443c-a75c-2fe8c4bcb635) is privileged",
    notApplicable: [topic("t")],
    unknown: [roleAssignment("r", "Owner", FACTORY, { roleDefinitionId: U })],
    unknownOutcome: "skipped",
  },
  "rbac-single-resource-scope": {
    pass: [roleAssignment("sender", "AzureEventHubsDataSender", HUB)],
    fail: [roleAssignment("sender", "AzureEventHubsDataSender", RG)],
    failIncludes: "is a resource group",
    notApplicable: [subscription("s")],
    unknown: [roleAssignment("sender", "AzureEventHubsDataSender", U)],
    unknownOutcome: "skipped",
  },
  "rbac-principal-type-set": {
    pass: [roleAssignment("sender", "AzureEventHubsDataSender", HUB)],
    fail: [roleAssignment("sender", "AzureEventHubsDataSender", HUB, { principalType: undefined })],
    failIncludes: 'set principalType: "ServicePrincipal"',
    notApplicable: [factory("adf")],
    unknown: [roleAssignment("sender", "AzureEventHubsDataSender", HUB, { principalType: U })],
    unknownOutcome: "cannot-run",
  },
  "rbac-assignment-deployable": {
    pass: [roleAssignment("sender", "AzureEventHubsDataSender", HUB, { roleAssignmentName: "1b2c3d4e-0000-4000-8000-000000000001", condition: "@Resource[x] StringEquals 'y'", conditionVersion: "2.0" })],
    fail: [roleAssignment("sender", "AzureEventHubsDataSender", HUB, { roleAssignmentName: "hub-sender" })],
    failIncludes: 'roleAssignmentName "hub-sender" is not a GUID',
    notApplicable: [factory("adf")],
    unknown: [roleAssignment("sender", "AzureEventHubsDataSender", HUB, { roleAssignmentName: U, principalId: U, condition: U })],
    unknownOutcome: "skipped",
  },
  "rbac-custom-role-least-privilege": {
    pass: [customRole("sender", { assignableScopes: [ACS], permissions: [{ actions: ["Microsoft.Communication/CommunicationServices/Read", "Microsoft.Communication/CommunicationServices/Write"] }] })],
    fail: [customRole("sender", { assignableScopes: [ACS], permissions: [{ actions: ["Microsoft.Authorization/roleAssignments/write"] }] })],
    failIncludes: 'can escalate: grants roles ("Microsoft.Authorization/roleAssignments/write")',
    notApplicable: [factory("adf")],
    unknown: [customRole("sender", { assignableScopes: U, permissions: [{ actions: ["Microsoft.Communication/CommunicationServices/Read"] }] })],
    unknownOutcome: "cannot-run",
  },
  "rbac-custom-role-assignable-scope": {
    pass: [customRole("sender", { assignableScopes: [RG], roleType: "CustomRole", permissions: [{ actions: ["Microsoft.Communication/CommunicationServices/Read"] }] })],
    fail: [customRole("sender", { assignableScopes: [ACS], roleType: "CustomRole", permissions: [{ actions: ["Microsoft.Communication/CommunicationServices/Read"] }] })],
    failIncludes: `is assignable only at resource instance(s) "${ACS}"; Microsoft advises against it`,
    notApplicable: [factory("adf")],
    unknown: [customRole("sender", { assignableScopes: U })],
    unknownOutcome: "cannot-run",
  },
  "rbac-allowed-roles-per-target": {
    pass: [
      roleAssignment("adf", "DataFactoryContributor", FACTORY, { roleDefinitionId: ownRole("retrainWorkflow", FACTORY) }),
      // Our identities' own custom roles, on the workspace their GUIDs derive from.
      roleAssignment("invoker", "AzureMLDataScientist", WORKSPACE, { roleDefinitionId: ownRole("batchInvoker", WORKSPACE) }),
      roleAssignment("deployer", "AzureMLDataScientist", WORKSPACE, { roleDefinitionId: ownRole("modelDeployer", WORKSPACE) }),
    ],
    fail: [
      roleAssignment("adf", "AzureMLDataScientist", FACTORY),
      roleAssignment("invoker", "AzureMLDataScientist", WORKSPACE, { roleDefinitionId: ownRole("batchInvoker", `${WORKSPACE}-other`) }),
    ],
    failIncludes: "is not expected on a Microsoft.DataFactory/factories",
    notApplicable: [workflow("wf")],
    unknown: [roleAssignment("adf", "DataFactoryContributor", U)],
    unknownOutcome: "skipped",
  },
  "rbac-identity-delivery-has-data-role": {
    pass: [topic("mlw-prod-events"), hubSubscription("stream"), roleAssignment("sender", "AzureEventHubsDataSender", HUB), deadLetterRole],
    fail: [topic("mlw-prod-events"), hubSubscription("stream"), deadLetterRole],
    failIncludes: "no AzureEventHubsDataSender role assignment on that resource",
    notApplicable: [factory("adf")],
    unknown: [
      topic("mlw-prod-events"),
      hubSubscription("stream", { deliveryWithResourceIdentity: { destination: { endpointType: "EventHub", resourceId: U }, identity: { type: "SystemAssigned" } } }),
      deadLetterRole,
    ],
    unknownOutcome: "skipped",
  },
  "filter-event-types-allowed": {
    pass: [subscription("s")],
    fail: [subscription("s", { filter: { includedEventTypes: ["Microsoft.MachineLearningServices.RunFailed"] } })],
    failIncludes: 'did you mean "Microsoft.MachineLearningServices.RunStatusChanged"?',
    notApplicable: [topic("t")],
    unknown: [subscription("s", { filter: { includedEventTypes: U } })],
    unknownOutcome: "cannot-run",
  },
  "filter-within-limits": {
    pass: [subscription("s", { filter: { advancedFilters: manyFilters.slice(0, 25), includedEventTypes: [AmlEventType.RunCompleted] } })],
    fail: [subscription("s", { filter: { advancedFilters: manyFilters, includedEventTypes: [AmlEventType.RunCompleted] } })],
    failIncludes: "[too-many-advanced-filters]",
    notApplicable: [topic("t")],
    unknown: [subscription("s", { filter: { advancedFilters: U, includedEventTypes: [AmlEventType.RunCompleted] } })],
    unknownOutcome: "cannot-run",
  },
  "filter-well-formed": {
    pass: [subscription("s", { filter: { advancedFilters: [{ key: "data.runStatus", operatorType: "StringIn", values: ["failed"] }], includedEventTypes: [AmlEventType.RunStatusChanged] } })],
    fail: [subscription("s", { filter: { advancedFilters: [{ key: "data.runStatus", operatorType: "StringEquals", values: ["failed"] }], includedEventTypes: [AmlEventType.RunStatusChanged] } })],
    failIncludes: "[unknown-operator]",
    notApplicable: [topic("t")],
    unknown: [subscription("s", { filter: { advancedFilters: [{ key: U, operatorType: "StringIn", values: ["failed"] }], includedEventTypes: [AmlEventType.RunStatusChanged] } })],
    unknownOutcome: "cannot-run",
  },
  "filter-subject-reachable": {
    pass: [subscription("s", { filter: { includedEventTypes: [AmlEventType.DatasetDriftDetected], subjectBeginsWith: "datadrift/" } })],
    fail: [subscription("s", { filter: { includedEventTypes: [AmlEventType.DatasetDriftDetected], subjectBeginsWith: "/datadriftID/runs/" } })],
    failIncludes: "[subject-",
    notApplicable: [topic("t")],
    unknown: [subscription("s", { filter: { includedEventTypes: [AmlEventType.DatasetDriftDetected], subjectBeginsWith: U } })],
    unknownOutcome: "cannot-run",
  },
  "filter-deployer-model-tags": {
    pass: [
      subscription("deployer", {
        filter: { advancedFilters: [{ key: "data.modelTags.stage", operatorType: "StringIn", values: ["production"] }], includedEventTypes: [AmlEventType.ModelRegistered] },
        labels: ["aml-events", "model-deployer"],
      }),
    ],
    fail: [subscription("registered-models", { filter: { includedEventTypes: [AmlEventType.ModelRegistered] }, labels: ["model-deployer"] })],
    failIncludes: "without a model-tag filter",
    notApplicable: [subscription("run-completed-alerts")],
    unknown: [subscription("s", { filter: { includedEventTypes: [AmlEventType.ModelRegistered] }, labels: U })],
    unknownOutcome: "cannot-run",
  },
  "filter-analyzer-warnings": {
    pass: [subscription("s")],
    fail: [subscription("s", { filter: { advancedFilters: [{ key: "data.ModelName", operatorType: "StringIn", values: ["churn"] }], includedEventTypes: [AmlEventType.ModelRegistered] } })],
    failIncludes: "[data-key-case]",
    notApplicable: [topic("t")],
    unknown: [subscription("s", { filter: { includedEventTypes: [U] } })],
    unknownOutcome: "cannot-run",
  },
  "delivery-dead-letter-required": {
    pass: [subscription("s")],
    fail: [subscription("s", { deadLetterWithResourceIdentity: undefined })],
    failIncludes: "has no dead-letter destination",
    notApplicable: [topic("t")],
    unknown: [subscription("s", { deadLetterWithResourceIdentity: U })],
    unknownOutcome: "cannot-run",
  },
  "delivery-retry-policy-bounded": {
    pass: [subscription("s", { retryPolicy: { eventTimeToLiveInMinutes: 1440, maxDeliveryAttempts: 30 } })],
    fail: [subscription("s", { retryPolicy: { eventTimeToLiveInMinutes: 1440, maxDeliveryAttempts: 31 } })],
    failIncludes: "retryPolicy.maxDeliveryAttempts is 31; Azure accepts integers 1–30",
    notApplicable: [topic("t")],
    unknown: [subscription("s", { retryPolicy: U })],
    unknownOutcome: "cannot-run",
  },
  "delivery-webhook-https": {
    pass: [subscription("s")],
    fail: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: "http://alerts.contoso.example/api/events" } })],
    failIncludes: "it must be an https:// URL",
    notApplicable: [topic("t")],
    unknown: [subscription("s", { destination: { endpointType: "WebHook", endpointUrl: U } })],
    unknownOutcome: "cannot-run",
  },
  "delivery-managed-identity": {
    pass: [hubSubscription("stream")],
    fail: [hubSubscription("stream", { deliveryWithResourceIdentity: undefined, destination: { endpointType: "EventHub", resourceId: HUB } })],
    failIncludes: "without a managed identity",
    notApplicable: [topic("t")],
    unknown: [subscription("s", { destination: U })],
    unknownOutcome: "cannot-run",
  },
  "delivery-subscription-name-valid": {
    pass: [subscription("run-completed-alerts")],
    fail: [subscription("s", { eventSubscriptionName: "run_completed!" })],
    failIncludes: 'eventSubscriptionName "run_completed!" is invalid',
    notApplicable: [topic("t")],
    unknown: [subscription("s", { eventSubscriptionName: U })],
    unknownOutcome: "cannot-run",
  },
  "eventgrid-one-system-topic-per-source": {
    pass: [topic("mlw-prod-events"), topic("other", { source: `${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev` })],
    fail: [topic("mlw-prod-events"), topic("mlw-prod-events-2")],
    failIncludes: "Azure allows one per source",
    notApplicable: [factory("adf")],
    unknown: [topic("mlw-prod-events"), topic("mlw-prod-events-2", { source: U })],
    unknownOutcome: "skipped",
  },
  "eventgrid-no-mixed-subscription-styles": {
    pass: [topic("mlw-prod-events"), subscription("classic", { scope: `${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev` }, "azure-native:eventgrid:EventSubscription")],
    fail: [topic("mlw-prod-events"), subscription("classic", { scope: WORKSPACE }, "azure-native:eventgrid:EventSubscription")],
    failIncludes: "conflicts with the explicit one",
    notApplicable: [topic("mlw-prod-events"), subscription("s")],
    unknown: [topic("mlw-prod-events"), subscription("classic", { scope: U }, "azure-native:eventgrid:EventSubscription")],
    unknownOutcome: "skipped",
  },
  "eventgrid-system-topic-type-matches-source": {
    pass: [topic("t")],
    fail: [topic("t", { topicType: "Microsoft.Storage.StorageAccounts" })],
    failIncludes: 'Fix: set topicType to "Microsoft.MachineLearningServices.workspaces"',
    notApplicable: [subscription("s")],
    unknown: [topic("t", { source: U })],
    unknownOutcome: "cannot-run",
  },
  "function-app-https-only": {
    pass: [functionApp("f")],
    fail: [functionApp("f", { httpsOnly: false })],
    failIncludes: "set httpsOnly: true",
    notApplicable: [functionApp("site", { kind: "app" })],
    unknown: [functionApp("f", { httpsOnly: U })],
    unknownOutcome: "cannot-run",
  },
  "function-app-min-tls": {
    pass: [functionApp("f")],
    fail: [functionApp("f", { siteConfig: { ftpsState: "Disabled", minTlsVersion: "1.0" } })],
    failIncludes: 'siteConfig.minTlsVersion "1.0"',
    notApplicable: [functionApp("site", { kind: "app" })],
    unknown: [functionApp("f", { siteConfig: U })],
    unknownOutcome: "cannot-run",
  },
  "function-app-ftps-disabled": {
    pass: [functionApp("f")],
    fail: [functionApp("f", { siteConfig: { ftpsState: "AllAllowed", minTlsVersion: "1.2" } })],
    failIncludes: 'ftpsState "AllAllowed"',
    notApplicable: [factory("adf"), functionApp("flex", { siteConfig: { minTlsVersion: "1.2" }, functionAppConfig: { runtime: { name: "node", version: "20" } } })],
    unknown: [functionApp("f", { siteConfig: { ftpsState: U } })],
    unknownOutcome: "cannot-run",
  },
  "function-app-managed-identity": {
    pass: [functionApp("f")],
    fail: [functionApp("f", { identity: undefined })],
    failIncludes: "has no managed identity",
    notApplicable: [functionApp("site", { kind: "app" })],
    unknown: [functionApp("f", { identity: U })],
    unknownOutcome: "cannot-run",
  },
  "logic-app-request-trigger-restricted": {
    pass: [workflow("wf", { accessControl: { triggers: { allowedCallerIpAddresses: [{ addressRange: "10.0.0.0/24" }] } }, tags: {} })],
    fail: [workflow("wf", { tags: {} })],
    failIncludes: "Request trigger(s) manual",
    notApplicable: [workflow("wf", { definition: { triggers: { every5: { recurrence: { frequency: "Minute", interval: 5 }, type: "Recurrence" } } } })],
    unknown: [workflow("wf", { definition: U })],
    unknownOutcome: "cannot-run",
  },
  "data-factory-managed-identity": {
    pass: [factory("adf")],
    fail: [factory("adf", { identity: undefined })],
    failIncludes: "has no managed identity",
    notApplicable: [workspace("mlw")],
    unknown: [factory("adf", { identity: U })],
    unknownOutcome: "cannot-run",
  },
  "data-factory-public-network-access": {
    pass: [factory("adf")],
    fail: [factory("adf", { publicNetworkAccess: "Enabled" })],
    failIncludes: 'publicNetworkAccess "Enabled"',
    notApplicable: [workspace("mlw")],
    unknown: [factory("adf", { publicNetworkAccess: U })],
    unknownOutcome: "cannot-run",
  },
  "aml-workspace-basics": {
    pass: [workspace("mlw")],
    fail: [workspace("mlw", { applicationInsights: undefined })],
    failIncludes: "has no applicationInsights",
    notApplicable: [factory("adf")],
    unknown: [workspace("mlw", { identity: U })],
    unknownOutcome: "cannot-run",
  },
};

describe("policy pack: every policy", () => {
  it("has a test case for each policy, and each policy is listed once", () => {
    const names = policies.map((p) => p.name);
    assert.deepStrictEqual([...names].sort(), Object.keys(CASES).sort());
    assert.strictEqual(new Set(names).size, names.length);
    assert.ok(names.length >= 20);
  });

  it("names are kebab-case and descriptions are one sentence", () => {
    for (const p of policies) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)+$/, p.name);
      const text = p.description.replace(/\be\.g\./g, "eg");
      assert.match(text, /^[A-Z].*\.$/, p.name);
      assert.doesNotMatch(text, /\.\s+[A-Z]/, `${p.name}: one sentence`);
    }
  });

  for (const [name, c] of Object.entries(CASES)) {
    describe(name, () => {
      const only = () => policies.filter((p) => p.name === name);
      const level = () => only()[0].enforcementLevel;

      it("passes a compliant resource", async () => {
        const { violations } = await analyzeResources(only(), c.pass);
        assert.deepStrictEqual(violations, []);
      });

      it("reports a non-compliant resource with how to fix it", async () => {
        const { violations } = await analyzeResources(only(), c.fail);
        assert.ok(violations.length >= 1, "expected a violation");
        for (const v of violations) {
          assert.strictEqual(v.policyName, name);
          assert.strictEqual(v.enforcementLevel, level());
        }
        assert.ok(
          violations.some((v) => v.message.includes(c.failIncludes)),
          `no message contains ${JSON.stringify(c.failIncludes)}:\n${violations.map((v) => v.message).join("\n")}`,
        );
        if (!name.startsWith("filter-")) assert.ok(violations.every((v) => /Fix: /.test(v.message)), "message says how to fix");
      });

      it("is not applicable to other resources", async () => {
        const result = await analyzeResources(only(), c.notApplicable);
        assert.deepStrictEqual(result.violations, []);
        assert.ok(result.notApplicable.some((n) => n.policyName === name));
      });

      it(c.unknownOutcome === "cannot-run" ? "can't run on a value unknown during preview (advisory)" : "skips a resource whose value is unknown during preview", async () => {
        const { violations } = await analyzeResources(only(), c.unknown);
        if (c.unknownOutcome === "skipped") {
          assert.deepStrictEqual(violations, []);
          return;
        }
        assert.strictEqual(violations.length, 1, violations.map((v) => v.message).join("\n"));
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
        assert.match(violations[0].message, new RegExp(`^can't run policy '${name}' from policy pack 'aml-event-workflows@v0\\.1\\.0' during preview: .* value at \\..+ can't be known during preview$`));
      });
    });
  }
});

describe("policy pack: targeted rules", () => {
  const run = (name: string, resources: PolicyResourceInput[]) => analyzeResources(policies.filter((p) => p.name === name), resources);

  it("deployer tags: a PascalCase ModelTags key (never on real events) doesn't count as a tag filter", async () => {
    const deployer = (key: string) =>
      subscription("model-deployer", {
        filter: { includedEventTypes: [AmlEventType.ModelRegistered], advancedFilters: [{ key, operatorType: "StringIn", values: ["production"] }] },
        labels: ["model-deployer"],
      });
    assert.strictEqual((await run("filter-deployer-model-tags", [deployer("data.modelTags.stage")])).violations.length, 0);
    assert.strictEqual((await run("filter-deployer-model-tags", [deployer("Data.modelTags.stage")])).violations.length, 0);
    assert.strictEqual((await run("filter-deployer-model-tags", [deployer("data.ModelTags.stage")])).violations.length, 1);
  });

  it("custom roles: '*' and a root assignable scope are each reported; a subscription or resource group is fine", async () => {
    const { violations } = await run("rbac-custom-role-least-privilege", [
      customRole("wide", { assignableScopes: [`/subscriptions/${SUB}`, "/"], permissions: [{ actions: ["*"], dataActions: ["Microsoft.Storage/*/read"] }] }),
    ]);
    assert.deepStrictEqual(
      violations.map((v) => v.message.split(". Fix")[0]),
      [
        'Custom role wide-role permissions[0] can escalate: provider wildcard ("*"); grants roles (Microsoft.Authorization/roleAssignments/write via "*"); lists keys or secrets (Microsoft.Storage/storageAccounts/listKeys/action via "*"); writes code or config (Microsoft.Web/sites/write via "*"); assigns identities (Microsoft.ManagedIdentity/userAssignedIdentities/assign/action via "*")',
        'Custom role wide-role is assignable at the root scope "/", which Microsoft reserves for built-in roles',
      ],
    );
  });

  it("identity delivery: a role for a different principal doesn't count when the topic's principal is known", async () => {
    const t = topic("mlw-prod-events", { identity: { principalId: TOPIC_PRINCIPAL, type: "SystemAssigned" } });
    const other = roleAssignment("sender", "AzureEventHubsDataSender", HUB, { principalId: "99999999-9999-4999-8999-999999999999" });
    const { violations } = await run("rbac-identity-delivery-has-data-role", [t, hubSubscription("stream"), other, deadLetterRole]);
    assert.strictEqual(violations.length, 1);
    assert.strictEqual(violations[0].resourceName, "stream");
  });

  it("identity delivery: with a user-assigned identity, a grant to another principal than the topic's system identity counts", async () => {
    const t = topic("mlw-prod-events", { identity: { principalId: TOPIC_PRINCIPAL, type: "SystemAssigned, UserAssigned" } });
    const uami = { type: "UserAssigned", userAssignedIdentity: `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-eventgrid` };
    const uamiPrincipal = { principalId: "99999999-9999-4999-8999-999999999999" };
    const sub = hubSubscription("stream", {
      deliveryWithResourceIdentity: { destination: { endpointType: "EventHub", resourceId: HUB }, identity: uami },
      deadLetterWithResourceIdentity: { deadLetterDestination: { blobContainerName: "deadletter", endpointType: "StorageBlob", resourceId: STORAGE }, identity: uami },
    });
    const grants = [
      roleAssignment("sender", "AzureEventHubsDataSender", HUB, uamiPrincipal),
      roleAssignment("dead-letter-writer", "StorageBlobDataContributor", `${STORAGE}/blobServices/default/containers/deadletter`, uamiPrincipal),
    ];
    assert.deepStrictEqual((await run("rbac-identity-delivery-has-data-role", [t, sub, ...grants])).violations, []);
    // the grants are still required
    assert.strictEqual((await run("rbac-identity-delivery-has-data-role", [t, sub])).violations.length, 2);
  });

  it("identity delivery: dead-lettering with identity needs Blob Data Contributor on the account or container", async () => {
    const { violations } = await run("rbac-identity-delivery-has-data-role", [topic("mlw-prod-events"), subscription("alerts")]);
    assert.strictEqual(violations.length, 1);
    assert.match(violations[0].message, /dead-letters to .*stamldeadletter with the topic's managed identity/);
  });

  it("identity delivery: a storage queue grant on the queue itself (narrower than the account) satisfies the rule", async () => {
    const queueSub = subscription("reviews", {
      destination: undefined,
      deliveryWithResourceIdentity: { destination: { endpointType: "StorageQueue", queueName: "model-review", resourceId: STORAGE }, identity: { type: "SystemAssigned" } },
    });
    const onQueue = roleAssignment("queue-sender", "StorageQueueDataMessageSender", `${STORAGE}/queueServices/default/queues/model-review`);
    const onOtherQueue = roleAssignment("queue-sender", "StorageQueueDataMessageSender", `${STORAGE}/queueServices/default/queues/other`);
    assert.strictEqual((await run("rbac-identity-delivery-has-data-role", [topic("mlw-prod-events"), queueSub, onQueue, deadLetterRole])).violations.length, 0);
    const { violations } = await run("rbac-identity-delivery-has-data-role", [topic("mlw-prod-events"), queueSub, onOtherQueue, deadLetterRole]);
    assert.strictEqual(violations.length, 1);
    assert.match(violations[0].message, /no StorageQueueDataMessageSender role assignment/);
  });

  it("role assignments missing roleDefinitionId, scope or principalId don't crash any policy of the pack", async () => {
    const broken = [
      roleAssignment("no-role", "Owner", FACTORY, { roleDefinitionId: undefined }),
      roleAssignment("no-scope", "Owner", FACTORY, { scope: undefined }),
      roleAssignment("no-principal", "Owner", FACTORY, { principalId: undefined }),
    ];
    const { violations } = await analyzeResources(policies, broken);
    assert.ok(!violations.some((v) => /TypeError|Cannot read|is not a function/.test(v.message)), violations.map((v) => v.message).join("\n"));
    // the Owner grant with a known role is still reported, whatever else is missing
    assert.deepStrictEqual(violations.filter((v) => v.policyName === "rbac-no-privileged-roles").map((v) => v.resourceName).sort(), ["no-principal", "no-scope"]);
  });

  it("role scopes: management group, subscription and root are each named", async () => {
    const scopes = ["/providers/Microsoft.Management/managementGroups/contoso", `/subscriptions/${SUB}`, "/"];
    const { violations } = await run(
      "rbac-single-resource-scope",
      scopes.map((s, i) => roleAssignment(`r${i}`, "AzureEventHubsDataSender", s)),
    );
    assert.deepStrictEqual(
      violations.map((v) => v.message.split(", so")[0]),
      ['Scope "/providers/Microsoft.Management/managementGroups/contoso" is a management group', `Scope "/subscriptions/${SUB}" is a subscription`, 'Scope "/" is the tenant root'],
    );
  });

  it("event types: a missing or empty includedEventTypes is reported", async () => {
    const { violations } = await run("filter-event-types-allowed", [subscription("a", { filter: {} }), subscription("b", { filter: { includedEventTypes: [] } })]);
    assert.deepStrictEqual(
      violations.map((v) => v.resourceName),
      ["a", "b"],
    );
  });

  it('event types: ["All"] receives every type, like an absent list, and is allowed only with allowAllEventTypes', async () => {
    const all = subscription("everything", { filter: { includedEventTypes: ["All"] } });
    const { violations } = await run("filter-event-types-allowed", [all]);
    assert.strictEqual(violations.length, 1, violations.map((v) => v.message).join("\n"));
    assert.match(violations[0].message, /^filter\.includedEventTypes contains "All", so the subscription receives every event type/);
    const allowed = await analyzeResources(policies.filter((p) => p.name === "filter-event-types-allowed"), [all], {
      config: { "filter-event-types-allowed": { allowAllEventTypes: true } },
    });
    assert.deepStrictEqual(allowed.violations, []);
  });

  it("topic types: a subscription source also publishes Azure Policy states and Resource Notifications", async () => {
    const onSubscription = (name: string, topicType: string) => topic(name, { source: `/subscriptions/${SUB}`, topicType, identity: undefined });
    const ok = ["Microsoft.Resources.Subscriptions", "Microsoft.PolicyInsights.PolicyStates", "Microsoft.ResourceNotifications.HealthResources"];
    assert.deepStrictEqual((await run("eventgrid-system-topic-type-matches-source", ok.map((t, i) => onSubscription(`t${i}`, t)))).violations, []);
    const { violations } = await run("eventgrid-system-topic-type-matches-source", [onSubscription("ml", "Microsoft.MachineLearningServices.Workspaces")]);
    assert.strictEqual(violations.length, 1);
    assert.match(violations[0].message, /publishes "Microsoft\.Resources\.Subscriptions" or "Microsoft\.PolicyInsights\.PolicyStates" or .*Fix: set topicType to "Microsoft\.Resources\.Subscriptions"/);
  });

  it("scope-based EventSubscriptions are checked by the subscription policies too", async () => {
    const classic = subscription("classic", { destination: { endpointType: "WebHook", endpointUrl: "http://x.example/e" }, scope: WORKSPACE }, "azure-native:eventgrid:EventSubscription");
    const { violations } = await run("delivery-webhook-https", [classic]);
    assert.strictEqual(violations.length, 1);
  });

  it("an auto-named subscription is checked through its resource name", async () => {
    const { violations } = await run("delivery-subscription-name-valid", [subscription("run completed", { eventSubscriptionName: undefined })]);
    assert.strictEqual(violations.length, 1);
    assert.match(violations[0].message, /auto-named/);
  });
});
