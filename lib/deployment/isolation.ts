/**
 * ModelDeployer's network isolation (pure): which of its resources each isolation argument reaches,
 * what it refuses, and what it warns about.
 *
 * Sources:
 * - [flex] Learn, "Azure Functions Flex Consumption plan hosting", Considerations
 *   (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan): "The subnet delegation
 *   required by Flex Consumption apps is `Microsoft.App/environments`", with the `Microsoft.App` resource
 *   provider registered; virtual network integration is a Flex feature (not Consumption).
 * - [schema] @pulumi/azure-native 3.28 web.WebApp: `virtualNetworkSubnetId` ("…/virtualNetworks/{vnet}/subnets/{subnet}")
 *   and `publicNetworkAccess` ('Enabled', 'Disabled') are site properties, not siteConfig keys.
 * - [functions-net] Learn, "Azure Functions networking options", "Restrict your storage account to a
 *   virtual network" (https://learn.microsoft.com/azure/azure-functions/functions-networking-options): an
 *   app whose host storage is restricted must reach it through its virtual network integration, with
 *   private endpoints for the storage services it uses and DNS that resolves them.
 * - [pe-dns] Learn, "Azure Private Endpoint private DNS zone values": `sites` covers the app and its SCM
 *   site (`scm.privatelink.azurewebsites.net`).
 */
import { IsolationArgs, IsolationSupport, validateIsolationArgs } from "../interfaces/isolation";
import { armIdProblems, effectiveAccess, firewalledDeliveryProblem, monitorNetworkProps, PublicNetworkAccess, storageNetworkProps, StorageNetworkProps, SUBNET_ID } from "../interfaces/network";

/** The deployer arguments isolation reads. */
export interface DeployerIsolationArgs extends IsolationArgs {
  /** The subnet the Function App joins (see `DeployerOptions.virtualNetworkSubnetId`). */
  readonly virtualNetworkSubnetId?: string;
  /** A brought Log Analytics workspace (the deployer then creates none). */
  readonly logAnalyticsWorkspaceId?: unknown;
}

/** The deployer prefixes its own name to every message. */
const WHERE = "";
/** Storage services the deployer's account offers (host storage: blobs, queues, tables). */
const STORAGE_SERVICES = ["blob", "queue", "table"] as const;

/** What the deployer offers private endpoints on. */
export const DEPLOYER_ISOLATION: IsolationSupport = {
  privateEndpoints: {
    defaultService: "sites",
    services: { sites: "the Function App and its SCM site", blob: "its storage account", queue: "its storage account (the event queue)", table: "its storage account" },
  },
};

/** The effective access of the app and of its storage (private endpoints on one close that one). */
function access(args: DeployerIsolationArgs): { site?: PublicNetworkAccess; storage?: PublicNetworkAccess } {
  const endpoints = args.privateEndpoints ?? [];
  const onStorage = endpoints.filter((pe) => (STORAGE_SERVICES as readonly string[]).includes(pe.service ?? "sites")).length;
  const site = effectiveAccess(args.publicNetworkAccess, endpoints.length - onStorage);
  const storage = effectiveAccess(args.publicNetworkAccess, onStorage);
  return { ...(site !== undefined ? { site } : {}), ...(storage !== undefined ? { storage } : {}) };
}

/** Refusals: bad values, and private storage without the VNet integration the app needs to reach it [functions-net]. */
export function deployerIsolationProblems(args: DeployerIsolationArgs): string[] {
  const problems = [...validateIsolationArgs(WHERE, args, DEPLOYER_ISOLATION), ...armIdProblems(WHERE, "virtualNetworkSubnetId", args.virtualNetworkSubnetId, SUBNET_ID)];
  if (problems.length === 0 && access(args).storage === "Disabled" && args.virtualNetworkSubnetId === undefined) {
    problems.push(
      `the Function App's storage is private (publicNetworkAccess "Disabled" or a blob/queue/table private endpoint) but virtualNetworkSubnetId is not set; ` +
        `the app reaches its host storage, its event queue and its code only through a virtual network. Pass virtualNetworkSubnetId (a subnet delegated to Microsoft.App/environments that can resolve the storage private endpoints).`,
    );
  }
  return problems;
}

/** What the deployer warns about: consequences Azure won't report until run time. */
export function deployerIsolationWarnings(args: DeployerIsolationArgs): string[] {
  const warnings: string[] = [];
  if (access(args).site === "Disabled") {
    warnings.push(
      "the Function App's public network access is off, so its code is published to the SCM site through a private endpoint (service \"sites\"): run the deployment from a machine that reaches it, and set scmUrl if its private name differs.",
    );
  }
  if (args.publicNetworkAccess === "Disabled" && args.logAnalyticsWorkspaceId === undefined) {
    warnings.push(
      "publicNetworkAccess \"Disabled\" also closes ingestion and query on the created Log Analytics workspace and Application Insights: add both to an Azure Monitor Private Link Scope reachable from the integration subnet, or the deployer's telemetry and its poison-message alert go dark.",
    );
  }
  if (args.customerManagedKey !== undefined && args.logAnalyticsWorkspaceId === undefined) {
    warnings.push(
      "customerManagedKey encrypts the storage account, not the Log Analytics workspace the deployer creates (Azure Monitor takes a key on a dedicated cluster only): pass logAnalyticsWorkspaceId of a workspace linked to such a cluster to cover the telemetry too.",
    );
  }
  return warnings;
}

/** The network properties of the deployer's storage, site and monitoring resources. */
export function deployerNetwork(args: DeployerIsolationArgs): { storage: StorageNetworkProps; site: Record<string, string>; monitor: ReturnType<typeof monitorNetworkProps> } {
  const a = access(args);
  return {
    storage: storageNetworkProps(a.storage),
    site: {
      ...(a.site !== undefined ? { publicNetworkAccess: a.site } : {}),
      ...(args.virtualNetworkSubnetId !== undefined ? { virtualNetworkSubnetId: args.virtualNetworkSubnetId } : {}),
    },
    // Monitoring follows only an explicit setting: closing it needs a private link scope (see the warning).
    monitor: monitorNetworkProps(args.publicNetworkAccess),
  };
}

/** Event Grid reaches the deployer's private queue with the topic's system identity only (see `firewalledDeliveryProblem`). */
export function privateQueueDeliveryProblem(args: DeployerIsolationArgs, deliveryIdentityKind: string | undefined): string | undefined {
  return firewalledDeliveryProblem("the deployer's storage (its event queue)", access(args).storage, deliveryIdentityKind);
}
