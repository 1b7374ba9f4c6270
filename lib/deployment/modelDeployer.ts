/**
 * ModelDeployer: ModelRegistered (filtered on model tags) → Azure Function on Flex Consumption →
 * managed online deployment of that model version. The Function's code is the esbuild bundle of
 * `lib/deployment/handler` (built by scripts/bundle-handler.mjs).
 */
import { HiddenParts } from "../arm/hiddenParts";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import * as pulumi from "@pulumi/pulumi";
import { FLEX_MAYBE_REJECTED_SITE_CONFIG, FLEX_REJECTED_SITE_CONFIG } from "./flexSiteConfig";
import { existsSync } from "fs";
import * as path from "path";
import { StorageQueueDestination } from "../destinations/storageQueue";
import { globalNameSuffix } from "../arm/globalNames";
import { AmlEventType } from "../events/types";
import { EventFilter } from "../filters/types";
import { assignRole } from "../rbac/assignment";
import { leastPrivilegeRole } from "../rbac/customRoles";
import { EventSourceArgs, eventSourceProblems, isEventSource, resolveEventSource, WorkspaceEventSource } from "../workspace/eventSource";
import { ArgKeys, unknownArgumentProblems } from "../workspace/argKeys";
import { componentNameProblems, placementProblems, subscriptionNameClash, validateDeliveryOptions } from "../workspace/validate";
import { FunctionCodePublish } from "./codePublish";
import { DEPLOYER_FUNCTION_NAME, DEPLOYER_LEASE_CONTAINER, DEPLOYER_POISON_QUEUE_NAME, DEPLOYER_QUEUE_NAME, DEPLOYER_SETTINGS } from "./constants";
import { DeployRule, deployRulesToAdvancedFilters, deployRuleWarnings, validateDeployRules } from "./decision";
import { AVM_INTERFACE_ARG_KEYS, AvmInterfaces } from "../interfaces/types";
import { applyInterfaces, interfaceProblems, InterfaceShape } from "../interfaces/apply";
import { DiagnosticTarget } from "../interfaces/diagnostics";
import { actingIdentity, identityBlock, userAssignedIdentity } from "../interfaces/identities";
import { DeployerIdentity, deploymentStorageAuthentication, identityAppSettings } from "./identity";
import { deployerIsolationProblems, deployerIsolationWarnings, deployerNetwork, privateQueueDeliveryProblem } from "./isolation";
import { IsolationArgs, ISOLATION_ARG_KEYS } from "../interfaces/isolation";
import { createPrivateEndpoints } from "../interfaces/privateEndpoints";
import { storageEncryptionProps } from "../interfaces/customerManagedKey";

/** Where `npm run build` leaves the Function App package (next to this module's compiled JS). */
export const DEFAULT_DEPLOYER_PACKAGE = path.join(__dirname, "function-app.zip");

/** Flex Consumption instance memory sizes in MB. */
export const FlexInstanceMemoryMB = { MB512: 512, MB2048: 2048, MB4096: 4096 } as const;
/** Flex Consumption instance memory sizes in MB. */
export type FlexInstanceMemoryMB = (typeof FlexInstanceMemoryMB)[keyof typeof FlexInstanceMemoryMB];

/** Node.js versions the deployer's Function App runs on. */
export const DeployerNodeVersion = { Node20: "20", Node22: "22" } as const;
/** Node.js versions the deployer's Function App runs on. */
export type DeployerNodeVersion = (typeof DeployerNodeVersion)[keyof typeof DeployerNodeVersion];

/** The Node.js version the deployer runs on unless `nodeVersion` says otherwise (the bundle targets Node.js 20, so it runs on both). */
export const DEFAULT_DEPLOYER_NODE_VERSION: DeployerNodeVersion = "22";

/**
 * Deployer options: everything but where the component lives and which events it subscribes to.
 * Isolation: `privateEndpoints` take service `sites` (the Function App, the default) or `blob`, `queue`,
 * `table` (its storage); `publicNetworkAccess` applies to the app and its storage (and, when set
 * explicitly, to the created Log Analytics workspace and Application Insights); `customerManagedKey`
 * encrypts the storage account.
 */
export interface DeployerOptions extends IsolationArgs {
  /**
   * ARM id of the subnet the Function App joins (Flex Consumption VNet integration, `virtualNetworkSubnetId`):
   * delegated to `Microsoft.App/environments`, in the app's region, the `Microsoft.App` provider registered.
   * Required when the app's storage is private (public access "Disabled" or storage private endpoints):
   * the app then reaches its host storage only through the virtual network.
   * @default - no VNet integration
   */
  readonly virtualNetworkSubnetId?: string;
  /** Delivery attempts before the event is dead-lettered or dropped, 1–30. @default 30 */
  readonly maxDeliveryAttempts?: number;
  /** Minutes an event is retried before it is dead-lettered or dropped, 1–1440. @default 1440 */
  readonly eventTimeToLiveInMinutes?: number;
  /** Labels shown on the subscription. @default [] */
  readonly labels?: string[];
  /** Deployment rules in priority order (first match wins); validated at construction and passed to the Function as JSON. */
  readonly rules: DeployRule[];
  /** Region of the workspace, where endpoints and deployments are created. @default - the `events` component's location (the workspace's region) */
  readonly workspaceLocation?: pulumi.Input<string>;
  /** Function App name (globally unique, 2–60 letters, digits, hyphens). @default - `${name}` shortened + a random suffix kept in state */
  readonly functionAppName?: string;
  /** Storage account name for the host and the code package (3–24 lowercase letters and digits, globally unique). @default - `st` + `name` shortened + a random suffix kept in state */
  readonly storageAccountName?: string;
  /** An existing Log Analytics workspace for Application Insights. @default - one is created */
  readonly logAnalyticsWorkspaceId?: pulumi.Input<string>;
  /** Flex Consumption maximum instance count, 40–1000. @default 40 */
  readonly maximumInstanceCount?: number;
  /** Flex Consumption instance memory in MB: 512, 2048 or 4096. @default 2048 */
  readonly instanceMemoryMB?: FlexInstanceMemoryMB;
  /**
   * Node.js version of the Function App. Flex Consumption offers Node.js 20 and 22 (the Functions
   * stacks API, `Microsoft.Web/locations/functionAppStacks`, lists `Node|22` as the Linux default);
   * Node.js 20 reaches its end of life on 2026-04-30. @default "22"
   */
  readonly nodeVersion?: DeployerNodeVersion;
  /** Path of the Function App zip. @default - `DEFAULT_DEPLOYER_PACKAGE`, produced by `npm run build` */
  readonly packagePath?: string;
  /** Event subscription name (3–64 letters, digits, hyphens). @default - `${name}-model-registered` made Azure-safe */
  readonly subscriptionName?: string;
  /** Azure Resource Manager endpoint the code deployment talks to (sovereign clouds, offline tests). @default "https://management.azure.com" */
  readonly armEndpoint?: pulumi.Input<string>;
  /** Base URL of the app's SCM (Kudu) site the code is published to (a private SCM endpoint, offline tests). @default - read from the app's ARM record (its Repository host name) */
  readonly scmUrl?: pulumi.Input<string>;
  /** Action groups notified when an event lands in the poison queue. @default [] - the alert fires in Azure Monitor without notifications */
  readonly poisonAlertActionGroupIds?: pulumi.Input<string>[];
}

/** Arguments of ModelDeployer: its options, the events it subscribes to and where it lives. */
export interface ModelDeployerArgs extends DeployerOptions, EventSourceArgs, AvmInterfaces {
  /** Resource group for the Function App, its plan, storage and monitoring. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region for the Function App (one where Flex Consumption is offered). */
  readonly location: pulumi.Input<string>;
  /** Tags for the resources this component creates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** A management lock on the Function App (`ReadOnly` also blocks `pulumi up` changing it). @default - no lock */
  readonly lock?: AvmInterfaces["lock"];
  /**
   * Diagnostic settings of the Function App (`FunctionAppLogs`, …), its storage account (metrics),
   * Application Insights and the Log Analytics workspace it creates (unless `logAnalyticsWorkspaceId`). @default []
   */
  readonly diagnosticSettings?: AvmInterfaces["diagnosticSettings"];
  /** Extra role grants on the Function App. @default [] */
  readonly roleAssignments?: AvmInterfaces["roleAssignments"];
  /**
   * Identities of the Function App. With `userAssignedResourceIds`, the app acts as the FIRST one for
   * everything it does: its host storage and event queue (`AzureWebJobsStorage__credential`/`__clientId`),
   * its deployment container (`UserAssignedIdentity` authentication), Application Insights
   * (`Authorization=AAD;ClientId=…`) and the handler's Azure SDK clients (`AZURE_CLIENT_ID`); every role the
   * component grants goes to that identity, and the system-assigned identity is off unless
   * `systemAssigned: true` (then attached, unused by the component). Further ids are attached only. The
   * system topic the component creates from `workspace` delivers as the first one too.
   * @default - the system-assigned identity only, which acts for everything
   */
  readonly managedIdentities?: AvmInterfaces["managedIdentities"];
}

/** What ModelDeployer creates, for the interface checks. */
function deployerShape(args: ModelDeployerArgs): InterfaceShape {
  return {
    needsIdentity: true,
    diagnosticTypes: ["Microsoft.Web/sites", "Microsoft.Storage/storageAccounts", "Microsoft.Insights/components", ...(args.logAnalyticsWorkspaceId === undefined ? ["Microsoft.OperationalInsights/workspaces" as const] : [])],
    // Every caller in the app can name a user-assigned identity (lib/deployment/identity.ts, with sources).
    identities: [["Microsoft.Web/sites", undefined]],
  };
}


const FUNCTION_APP_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,58}[A-Za-z0-9])?$/;
const STORAGE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const SUBSCRIPTION_NAME = /^[A-Za-z0-9-]{3,64}$/;

/** The names of `ModelDeployerArgs` (run-time check of JavaScript callers' args). */
export const MODEL_DEPLOYER_ARG_KEYS = {
  events: true,
  workspace: true,
  rules: true,
  resourceGroupName: true,
  location: true,
  workspaceLocation: true,
  functionAppName: true,
  storageAccountName: true,
  logAnalyticsWorkspaceId: true,
  maximumInstanceCount: true,
  instanceMemoryMB: true,
  nodeVersion: true,
  packagePath: true,
  subscriptionName: true,
  armEndpoint: true,
  scmUrl: true,
  poisonAlertActionGroupIds: true,
  ...AVM_INTERFACE_ARG_KEYS,
  maxDeliveryAttempts: true,
  eventTimeToLiveInMinutes: true,
  labels: true,
  virtualNetworkSubnetId: true,
  ...ISOLATION_ARG_KEYS,
} as const satisfies ArgKeys<ModelDeployerArgs>;

/** The names of `DeployRule`. */
export const DEPLOY_RULE_KEYS = {
  models: true,
  anyModel: true,
  tags: true,
  endpointName: true,
  instanceType: true,
  instanceCount: true,
  trafficPercent: true,
  authMode: true,
} as const satisfies ArgKeys<DeployRule>;

/** The subscription's Azure name: `subscriptionName`, or `{name}-model-registered`. */
export function modelDeployerSubscriptionName(name: string, args: Pick<ModelDeployerArgs, "subscriptionName">): string {
  return args.subscriptionName ?? `${name.replace(/[^A-Za-z0-9-]+/g, "-")}-model-registered`.slice(0, 64).replace(/-+$/, "");
}

/** Unknown names in `ModelDeployerArgs` (each rule's names are checked by `validateDeployRules`). */
export function unknownModelDeployerArgs(args: ModelDeployerArgs): string[] {
  return unknownArgumentProblems(args, MODEL_DEPLOYER_ARG_KEYS);
}

/** Checks `ModelDeployerArgs` values known at construction; one message per problem, naming the argument, the value and the fix. */
export function validateModelDeployerArgs(args: ModelDeployerArgs): string[] {
  const problems = validateDeployRules(args.rules);
  const count = args.maximumInstanceCount;
  if (count !== undefined && !(Number.isInteger(count) && count >= 40 && count <= 1000)) {
    problems.push(`maximumInstanceCount: got ${count}; Flex Consumption accepts a whole number from 40 to 1000.`);
  }
  const memory: number | undefined = args.instanceMemoryMB;
  if (memory !== undefined && ![512, 2048, 4096].includes(memory)) {
    problems.push(`instanceMemoryMB: got ${memory}; Flex Consumption instances have 512, 2048 or 4096 MB.`);
  }
  const node: string | undefined = args.nodeVersion;
  if (node !== undefined && node !== "20" && node !== "22") {
    problems.push(`nodeVersion: got ${JSON.stringify(node)}; use "20" or "22" (the bundle targets Node.js 20).`);
  }
  if (args.functionAppName !== undefined && !FUNCTION_APP_NAME.test(args.functionAppName)) {
    problems.push(`functionAppName: got ${JSON.stringify(args.functionAppName)}; use 2–60 letters, digits and hyphens, not starting or ending with a hyphen.`);
  }
  if (args.storageAccountName !== undefined && !STORAGE_ACCOUNT_NAME.test(args.storageAccountName)) {
    problems.push(`storageAccountName: got ${JSON.stringify(args.storageAccountName)}; use 3–24 lowercase letters and digits.`);
  }
  if (args.subscriptionName !== undefined && !SUBSCRIPTION_NAME.test(args.subscriptionName)) {
    problems.push(`subscriptionName: got ${JSON.stringify(args.subscriptionName)}; use 3–64 letters, digits and hyphens.`);
  }
  problems.push(...validateDeliveryOptions("", args));
  for (const key of ["armEndpoint", "scmUrl"] as const) {
    const problem = endpointProblem(key, args[key]);
    if (problem) problems.push(problem);
  }
  problems.push(...deployerIsolationProblems(args));
  const pkg = args.packagePath ?? DEFAULT_DEPLOYER_PACKAGE;
  if (!existsSync(pkg)) {
    problems.push(`packagePath: ${pkg} does not exist; run \`npm run build\` (it bundles the handler with scripts/bundle-handler.mjs) or pass the zip's path.`);
  }
  return problems;
}

/**
 * A known endpoint URL the code publish calls with the deploying identity's token: https only (the
 * token must not travel in clear), plain http only to a loopback host (offline tests).
 */
function endpointProblem(key: "armEndpoint" | "scmUrl", value: pulumi.Input<string> | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${key}: got ${JSON.stringify(value)}; expected an absolute URL such as https://management.azure.com.`;
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol === "https:" || (url.protocol === "http:" && loopback)) return undefined;
  return `${key}: got ${JSON.stringify(value)}; the deploying identity's token is sent there, so use https:// (http:// only for a loopback test server).`;
}

/** The subscription filter ModelDeployer uses: ModelRegistered only, plus the rules' tag conditions Event Grid can check exactly or as a superset. */
export function modelDeployerFilter(rules: readonly DeployRule[]): EventFilter {
  return {
    includedEventTypes: [AmlEventType.ModelRegistered],
    advancedFilters: deployRulesToAdvancedFilters(rules),
  };
}

/** Removes `FLEX_REJECTED_SITE_CONFIG` and `FLEX_MAYBE_REJECTED_SITE_CONFIG` from a siteConfig value. */
export function flexSiteConfig<T extends object>(siteConfig: T): T {
  const out = { ...siteConfig } as Record<string, unknown>;
  for (const key of [...FLEX_REJECTED_SITE_CONFIG, ...FLEX_MAYBE_REJECTED_SITE_CONFIG]) delete out[key];
  return out as T;
}

/**
 * azure-native's WebApp constructor injects `netFrameworkVersion: "v4.6"` into any siteConfig; this
 * transformation runs on the registered inputs afterwards and removes it (and the other rejected keys).
 */
function flexSafeSiteConfig(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult {
  const props = { ...args.props };
  if (props.siteConfig !== undefined) props.siteConfig = pulumi.output(props.siteConfig).apply((sc: object | undefined) => (sc === undefined ? sc : flexSiteConfig(sc)));
  return { props, opts: args.opts };
}

/** The previous token, kept as an alias so stacks created before the multi-language tokens are not replaced. */
export const MODEL_DEPLOYER_LEGACY_TYPE = "aml-events:deployment:ModelDeployer";

/** ModelDeployer's TypeScript-only parts (see `HiddenParts`). */
interface ModelDeployerParts {
  events: WorkspaceEventSource;
  subscription: eventgrid.SystemTopicEventSubscription;
  filter: EventFilter;
}
const DEPLOYER_PARTS = new HiddenParts<ModelDeployer, ModelDeployerParts>();

/**
 * Deploys registered models whose tags match a rule to Azure ML managed online endpoints.
 *
 * Creates a Flex Consumption Function App (Linux, Node.js, HTTPS only, TLS 1.2, no siteConfig key
 * Flex rejects; it acts as its first user-assigned identity when given, else as its system-assigned
 * one), its storage account (shared keys off; host storage and deployment container reached with
 * that identity) and workspace-based Application Insights (Entra ID auth), publishes the bundled code
 * with one deploy (`FunctionCodePublish`) and waits until the function is indexed, grants that identity
 * a least-privilege deployer role on the workspace only,
 * and routes ModelRegistered (the rules' tags pushed into advanced filters, dead-lettered and retried
 * per the WorkspaceEvents defaults) to the storage queue its queue-triggered function drains; poison
 * messages are kept and alerted.
 */
export class ModelDeployer extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  static readonly __type = "aml-events:index:ModelDeployer";

  /** ARM id of the Function App. */
  readonly functionAppId: pulumi.Output<string>;
  /** Name of the Function App. */
  readonly functionAppName: pulumi.Output<string>;
  /** Principal id of the identity the Function App acts as (and every grant names): its first user-assigned identity's when given, else its system-assigned identity's. */
  readonly principalId: pulumi.Output<string>;
  /** ARM id of the storage account (host storage and code package). */
  readonly storageAccountId: pulumi.Output<string>;
  /** URL of the deployment container Flex Consumption deploys from. */
  readonly deploymentContainerUrl: pulumi.Output<string>;
  /** ARM id of the Application Insights component. */
  readonly applicationInsightsId: pulumi.Output<string>;
  /** The queue-triggered function that deploys models (indexed before the subscription is created). */
  readonly functionName: string = DEPLOYER_FUNCTION_NAME;

  /** The ModelRegistered subscription (a child of the WorkspaceEvents component). */
  get subscription(): eventgrid.SystemTopicEventSubscription {
    return DEPLOYER_PARTS.required(this, "subscription");
  }
  /** The subscription's filter, as plain values (for plans and policies). */
  get filter(): EventFilter {
    return DEPLOYER_PARTS.required(this, "filter");
  }

  /** The events component the subscription is added to (given, or created for a plain-data `workspace`). */
  private get events(): WorkspaceEventSource {
    return DEPLOYER_PARTS.required(this, "events");
  }

  constructor(name: string, args: ModelDeployerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ModelDeployer.__type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: MODEL_DEPLOYER_LEGACY_TYPE }] });
    const subscriptionName = modelDeployerSubscriptionName(name, args);
    const problems = [
      ...unknownModelDeployerArgs(args),
      ...componentNameProblems(undefined, name),
      ...placementProblems("placement", args.resourceGroupName, args.location),
      ...validateModelDeployerArgs(args),
      ...eventSourceProblems("", args),
      ...subscriptionNameClash(isEventSource(args.events) ? args.events : undefined, subscriptionName, { argument: "subscriptionName", ...(args.subscriptionName === undefined ? { derived: "the default, {name}-model-registered" } : {}) }),
      ...interfaceProblems(`ModelDeployer("${name}")`, args, deployerShape(args)),
    ];
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`ModelDeployer("${name}") has invalid arguments:\n${problems.join("\n")}`, this);
    }
    for (const warning of [...deployRuleWarnings(args.rules), ...deployerIsolationWarnings(args)]) pulumi.log.warn(`ModelDeployer("${name}"): ${warning}`, this);
    const net = deployerNetwork(args);
    const tags = { ...(args.tags ?? {}) };
    const suffix = args.functionAppName !== undefined && args.storageAccountName !== undefined ? pulumi.output("") : globalNameSuffix(name, this);
    const safe = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
    const appName = args.functionAppName ?? pulumi.interpolate`${safe.slice(0, 20).replace(/-+$/, "")}-${suffix}`;
    const accountName = args.storageAccountName ?? pulumi.interpolate`st${safe.replace(/-/g, "").slice(0, 14)}${suffix}`;
    const containerName = "app-package";
    DEPLOYER_PARTS.of(this).events = resolveEventSource(this, name, args, args.tags, args.managedIdentities);
    const deliveryProblem = privateQueueDeliveryProblem(args, (this.events as { deliveryIdentityKind?: string }).deliveryIdentityKind);
    if (deliveryProblem !== undefined) throw new pulumi.ResourceError(`ModelDeployer("${name}") has invalid arguments:\n${deliveryProblem}`, this);
    const workspaceId = this.events.workspaceId;

    // Storage: host storage and the deployment container, reached by identity only (no shared keys:
    // the code goes through one deploy, which writes the container with the app's identity).
    const account = new storage.StorageAccount(
      `${name}-storage`,
      {
        accountName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        ...net.storage,
        ...storageEncryptionProps(args.customerManagedKey),
        tags,
      },
      { parent: this },
    );
    const container = new storage.BlobContainer(
      `${name}-package`,
      { accountName: account.name, resourceGroupName: args.resourceGroupName, containerName, publicAccess: "None" },
      { parent: this },
    );
    // One lease blob per endpoint: instances coordinate their writes to an endpoint through it
    // (lib/deployment/handler/lease.ts). Reached by identity under the account-wide blob data grant below.
    new storage.BlobContainer(
      `${name}-leases`,
      { accountName: account.name, resourceGroupName: args.resourceGroupName, containerName: DEPLOYER_LEASE_CONTAINER, publicAccess: "None" },
      { parent: this },
    );
    // Event Grid delivers to this queue (identity delivery); the queue-triggered function does the
    // minutes-long work with no 30-second delivery deadline.
    const queue = new storage.Queue(
      `${name}-queue`,
      { accountName: account.name, resourceGroupName: args.resourceGroupName, queueName: DEPLOYER_QUEUE_NAME },
      { parent: this },
    );
    // The poison queue exists before the app runs, so its role can be scoped to it (the host and
    // handler/poison.ts would otherwise create it, which needs queue-creation rights on the account).
    const poisonQueue = new storage.Queue(
      `${name}-poison-queue`,
      { accountName: account.name, resourceGroupName: args.resourceGroupName, queueName: DEPLOYER_POISON_QUEUE_NAME },
      { parent: this },
    );

    // Monitoring: workspace-based Application Insights with local (key) auth off.
    const createdLogs =
      args.logAnalyticsWorkspaceId === undefined
        ? new operationalinsights.Workspace(`${name}-logs`, { resourceGroupName: args.resourceGroupName, location: args.location, sku: { name: "PerGB2018" }, retentionInDays: 30, ...net.monitor, tags }, { parent: this }).id
        : undefined;
    const logAnalyticsId = args.logAnalyticsWorkspaceId ?? (createdLogs as pulumi.Output<string>);
    const insights = new applicationinsights.Component(
      `${name}-insights`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "web",
        applicationType: "web",
        ingestionMode: "LogAnalytics",
        workspaceResourceId: logAnalyticsId,
        disableLocalAuth: true,
        ...net.monitor,
        tags,
      },
      { parent: this },
    );

    // Poison messages stay in `model-registered-poison`; the host's and the handler's log lines
    // name that queue, and this log alert fires on them.
    new monitor.ScheduledQueryRule(
      `${name}-poison-alert`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "LogAlert",
        description: `A ModelRegistered event failed every attempt and was kept in the ${DEPLOYER_POISON_QUEUE_NAME} queue; read it there, fix the cause, and re-queue it.`,
        severity: 1,
        enabled: true,
        scopes: [insights.id],
        evaluationFrequency: "PT5M",
        windowSize: "PT5M",
        criteria: {
          allOf: [{ query: `union traces, exceptions | where tostring(message) has "${DEPLOYER_POISON_QUEUE_NAME}" or tostring(outerMessage) has "${DEPLOYER_POISON_QUEUE_NAME}"`, timeAggregation: "Count", operator: "GreaterThan", threshold: 0 }],
        },
        actions: { actionGroups: args.poisonAlertActionGroupIds ?? [] },
        tags,
      },
      { parent: this },
    );

    const plan = new web.AppServicePlan(
      `${name}-plan`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "functionapp",
        reserved: true,
        sku: { name: "FC1", tier: "FlexConsumption" },
        tags,
      },
      { parent: this },
    );

    // The app acts as its first user-assigned identity when given (see ./identity.ts), else as its system one.
    const acting = actingIdentity(args.managedIdentities, false);
    const ua = acting.kind === "UserAssigned" ? userAssignedIdentity(acting.resourceId, { parent: this }) : undefined;
    const identity: DeployerIdentity = acting.kind === "UserAssigned" && ua !== undefined ? { ...acting, clientId: ua.clientId } : { kind: "SystemAssigned" };
    const blobEndpoint = account.primaryEndpoints.apply((e) => e.blob);
    const deploymentContainerUrl = pulumi.interpolate`${blobEndpoint}${container.name}`;
    const app = new web.WebApp(
      `${name}-app`,
      {
        name: appName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "functionapp,linux",
        serverFarmId: plan.id,
        httpsOnly: true,
        ...net.site,
        identity: identityBlock(args.managedIdentities, "Microsoft.Web/sites", false) as web.WebAppArgs["identity"],
        siteConfig: {
          minTlsVersion: "1.2",
          scmMinTlsVersion: "1.2",
          // Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION: the runtime is in functionAppConfig.
          appSettings: [
            ...identityAppSettings(identity, account.name, insights.connectionString),
            { name: DEPLOYER_SETTINGS.workspaceId, value: workspaceId },
            // Online endpoints live in the workspace's region; the Function App may sit elsewhere
            // (Flex Consumption is not offered in every region).
            { name: DEPLOYER_SETTINGS.workspaceLocation, value: args.workspaceLocation ?? this.events.location },
            { name: DEPLOYER_SETTINGS.rules, value: JSON.stringify(args.rules) },
          ],
        },
        functionAppConfig: {
          deployment: {
            storage: { type: "blobContainer", value: deploymentContainerUrl, authentication: deploymentStorageAuthentication(identity) },
          },
          runtime: { name: "node", version: args.nodeVersion ?? DEFAULT_DEPLOYER_NODE_VERSION },
          scaleAndConcurrency: { maximumInstanceCount: args.maximumInstanceCount ?? 40, instanceMemoryMB: args.instanceMemoryMB ?? 2048 },
        },
        tags,
      },
      { parent: this, transformations: [flexSafeSiteConfig] },
    );
    const principalId = ua?.principalId ?? app.identity.apply((i) => i?.principalId ?? "");
    const endpoints = createPrivateEndpoints(
      name,
      args.privateEndpoints,
      { resourceGroupName: args.resourceGroupName, location: args.location, tags, defaultService: "sites", targets: { sites: app.id, blob: account.id, queue: account.id, table: account.id } },
      { parent: this },
    );

    // Least privilege, each on exactly one resource.
    const deployerRole = leastPrivilegeRole(`${name}-deployer-role`, "modelDeployer", workspaceId, { parent: this }, { ...(args.armEndpoint === undefined ? {} : { armEndpoint: args.armEndpoint }) });
    const amlGrant = assignRole(
      `${name}-aml-data-scientist`,
      { scope: workspaceId, principalId, role: deployerRole.role, description: "Model deployer: create online endpoints and deployments in this workspace." },
      { parent: this, dependsOn: [deployerRole.definition] },
    );
    // Host storage by identity (AzureWebJobsStorage__accountName) needs Storage Blob Data Owner on the
    // ACCOUNT: the host creates and uses its own containers there (Learn, "Connecting to host storage with
    // an identity", https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity).
    const storageGrant = assignRole(
      `${name}-storage-owner`,
      { scope: account.id, principalId, role: "StorageBlobDataOwner", description: "Model deployer: Functions host storage, code package and the endpoint leases (Lease Blob) by identity." },
      { parent: this },
    );
    // Queues: one grant per queue, scoped to the queue (Learn, "Authorize access to queues using Microsoft
    // Entra ID", resource scope: an individual queue is the narrowest scope,
    // https://learn.microsoft.com/azure/storage/queues/authorize-access-azure-active-directory#resource-scope).
    // Contributor rather than Reader + Message Processor: the host adds failed messages to the poison
    // queue, and handler/poison.ts calls createIfNotExists on it (queues/write).
    const queueGrants = [
      { suffix: "queue-contributor", queueId: queue.id, what: "read and delete its event queue's messages" },
      { suffix: "poison-queue-contributor", queueId: poisonQueue.id, what: "write its poison queue" },
    ].map((q) =>
      assignRole(
        `${name}-${q.suffix}`,
        { scope: q.queueId, principalId, role: "StorageQueueDataContributor", description: `Model deployer: ${q.what} by identity.` },
        { parent: this },
      ),
    );
    const metricsGrant = assignRole(
      `${name}-metrics-publisher`,
      { scope: insights.id, principalId, role: "MonitoringMetricsPublisher", description: "Model deployer: Entra ID-authenticated telemetry." },
      { parent: this },
    );

    // Flex Consumption ignores a package merely uploaded to its container: publish it with one
    // deploy once the app can write its container, and wait until the function is indexed.
    const code = new FunctionCodePublish(
      `${name}-code`,
      {
        functionAppId: app.id,
        functionName: DEPLOYER_FUNCTION_NAME,
        packagePath: args.packagePath ?? DEFAULT_DEPLOYER_PACKAGE,
        ...(args.armEndpoint !== undefined ? { armEndpoint: args.armEndpoint } : {}),
        ...(args.scmUrl !== undefined ? { scmUrl: args.scmUrl } : {}),
      },
      // With storage private, the app reaches its container only once the storage endpoints exist.
      { parent: this, dependsOn: [app, storageGrant, ...queueGrants, container, ...endpoints] },
    );

    DEPLOYER_PARTS.of(this).filter = modelDeployerFilter(args.rules);
    DEPLOYER_PARTS.of(this).subscription = this.events.subscribe(subscriptionName, {
      destination: new StorageQueueDestination({ queueId: queue.id }),
      filter: this.filter,
      // The function must be indexed before events arrive, so the first ones are not left waiting.
      dependsOn: [amlGrant, metricsGrant, code],
      ...(args.maxDeliveryAttempts !== undefined ? { maxDeliveryAttempts: args.maxDeliveryAttempts } : {}),
      ...(args.eventTimeToLiveInMinutes !== undefined ? { eventTimeToLiveInMinutes: args.eventTimeToLiveInMinutes } : {}),
      // The policy pack recognises deployer subscriptions by this label (they must filter on model tags).
      labels: ["model-deployer", ...(args.labels ?? [])],
    });

    this.functionAppId = app.id;
    this.functionAppName = app.name;
    this.principalId = principalId;
    this.storageAccountId = account.id;
    this.deploymentContainerUrl = deploymentContainerUrl;
    this.applicationInsightsId = insights.id;
    const diagnostics: DiagnosticTarget[] = [
      { label: "", type: "Microsoft.Web/sites", resourceId: app.id },
      { label: "storage", type: "Microsoft.Storage/storageAccounts", resourceId: account.id },
      { label: "insights", type: "Microsoft.Insights/components", resourceId: insights.id, basedOnWorkspaceId: logAnalyticsId },
      ...(createdLogs !== undefined ? [{ label: "logs", type: "Microsoft.OperationalInsights/workspaces" as const, resourceId: createdLogs }] : []),
    ];
    // The code publish writes to the app (its extensions): it goes before the lock at destroy time.
    applyInterfaces(name, args, { main: { id: app.id, what: "the deployer Function App" }, diagnostics, lockDependsOn: [code] }, this);
    // Only the primary id goes to state: every registered output costs a serialization per component.
    this.registerOutputs({ functionAppId: this.functionAppId });
  }
}
