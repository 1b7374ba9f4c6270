/**
 * Public network access and virtual network ids: the plain types, their validation and the pure
 * builders of the network properties each created resource takes (no resources here).
 *
 * Sources:
 * - [schema] @pulumi/azure-native 3.28 input types (the ARM REST specs they are generated from):
 *   `publicNetworkAccess` on storage.StorageAccount, eventhub.Namespace, datafactory.Factory and
 *   web.WebApp; `publicNetworkAccessForIngestion` / `publicNetworkAccessForQuery` on
 *   operationalinsights.Workspace and applicationinsights.Component; none on eventgrid.SystemTopic
 *   (a system topic has no inbound endpoint: its events come from the source resource) nor on
 *   logic.Workflow; `networkRuleSet.bypass` on storage; `trustedServiceAccessEnabled` on
 *   eventhub.NamespaceNetworkRuleSet.
 * - [storage-trusted] Learn, "Azure Storage network security overview"
 *   (https://learn.microsoft.com/azure/storage/common/storage-network-security-overview): "access to a
 *   storage account from trusted services takes the highest precedence over other network access
 *   restrictions"; with Public network access Disabled the trusted-services exception stays in effect.
 * - [eg-storage-queue] Learn, "Storage queue as an event handler"
 *   (https://learn.microsoft.com/azure/event-grid/handler-storage-queues): behind a storage firewall
 *   Event Grid delivers only with the SYSTEM-assigned identity and the trusted-services exception.
 * - [eg-mi-firewall] Learn, "Deliver events using a managed identity"
 *   (https://learn.microsoft.com/azure/event-grid/deliver-events-using-managed-identity): behind a firewall
 *   on the destination Storage account, Event Hubs namespace or Service Bus namespace, "you can use only
 *   the system-assigned managed identity" with the trusted-services exception, never a user-assigned one.
 * - [eh-private] Learn, "Allow access to Azure Event Hubs namespaces via private endpoints"
 *   (https://learn.microsoft.com/azure/event-hubs/private-link-service): public access Disabled, then
 *   "allow trusted Microsoft services to access this resource"; not supported on the basic tier.
 * - [eg-private] Learn, "Deliver events using private link service"
 *   (https://learn.microsoft.com/azure/event-grid/consume-private-endpoints): "it's not possible to
 *   deliver events using private endpoints"; deliver with a managed identity to Event Hubs, Service Bus
 *   or Storage with the trusted-services exception instead.
 * - [arm-ids] Learn, "Understand scope for Azure RBAC" (resource ids), parsed by lib/rbac/armScope.ts.
 */
import { parseArmScope } from "../rbac/armScope";

/** Whether a created resource accepts traffic on its public endpoint (Azure's own values, exact case). */
export const PublicNetworkAccess = { Enabled: "Enabled", Disabled: "Disabled" } as const;
/** Whether a created resource accepts traffic on its public endpoint (Azure's own values, exact case). */
export type PublicNetworkAccess = (typeof PublicNetworkAccess)[keyof typeof PublicNetworkAccess];

/** Where a component's network arguments apply, for messages (`ModelDeployer("x")`); "" when the caller prefixes its own. */
export type Where = string;

/** The message prefix for `where`. */
export function at(where: Where): string {
  return where === "" ? "" : `${where}: `;
}

/** Problems of a `publicNetworkAccess` value: exactly "Enabled" or "Disabled" (Azure's casing). */
export function validatePublicNetworkAccess(where: Where, argName: string, value: unknown): string[] {
  if (value === undefined || value === "Enabled" || value === "Disabled") return [];
  const hint = typeof value === "string" && /^(enabled|disabled)$/i.test(value) ? ` (Azure's values are case-sensitive: write ${JSON.stringify(value[0].toUpperCase() + value.slice(1).toLowerCase())})` : "";
  return [`${at(where)}${argName} ${JSON.stringify(value)} is not supported${hint}; use "Enabled" or "Disabled".`];
}

/** The resource types an ARM id argument may name. */
export interface ArmIdShape {
  /** Provider namespace and type path, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  readonly type: string;
  /** An example id for messages. */
  readonly example: string;
}

/** A subnet of a virtual network (private endpoints, Flex Consumption VNet integration). */
export const SUBNET_ID: ArmIdShape = {
  type: "Microsoft.Network/virtualNetworks/subnets",
  example: "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}",
};

/**
 * Problems of an ARM resource id that must name exactly one resource of `shape.type` (parsed strictly:
 * no `..`, empty or encoded segments). Unknown values (outputs) are accepted; Azure checks them.
 */
export function armIdProblems(where: Where, argName: string, value: unknown, shape: ArmIdShape): string[] {
  if (value === undefined || (typeof value === "object" && value !== null)) return [];
  const expected = `expected ${shape.example}`;
  if (typeof value !== "string") return [`${at(where)}${argName} ${JSON.stringify(value)} is not an ARM id; ${expected}.`];
  const parsed = parseArmScope(value);
  if ("error" in parsed) return [`${at(where)}${argName} ${JSON.stringify(value)} ${parsed.error}; ${expected}.`];
  if (armIdType(parsed.normalized)?.toLowerCase() !== shape.type.toLowerCase()) {
    return [`${at(where)}${argName} ${JSON.stringify(value)} is not a ${shape.type} id; ${expected}.`];
  }
  return [];
}

/** `Microsoft.Network/virtualNetworks/subnets` of a resource id (undefined when not a resource id). */
export function armIdType(id: string): string | undefined {
  const segs = id.split("/").filter((s) => s !== "");
  if (segs.length < 8 || segs[4].toLowerCase() !== "providers") return undefined;
  const types = segs.slice(6).filter((_, i) => i % 2 === 0);
  return [segs[5], ...types].join("/");
}

/** The last segment of an ARM id (a resource's name). */
export function armIdName(id: string): string {
  return id.replace(/\/+$/, "").split("/").pop() ?? "";
}

/** The network properties a created storage account takes for `access`. */
export interface StorageNetworkProps {
  /** The account's `publicNetworkAccess`. */
  readonly publicNetworkAccess?: PublicNetworkAccess;
  /** Deny by default, but let trusted Azure services (Event Grid among them) through. */
  readonly networkRuleSet?: { readonly defaultAction: "Deny"; readonly bypass: "AzureServices" };
}

/**
 * Storage: "Disabled" closes the public endpoint AND keeps the trusted-services exception
 * (`bypass: AzureServices`, default action Deny), so Event Grid's system-assigned identity still
 * delivers to queues and writes dead letters [storage-trusted] [eg-storage-queue]. Unset changes nothing.
 */
export function storageNetworkProps(access: PublicNetworkAccess | undefined): StorageNetworkProps {
  if (access === undefined) return {};
  if (access === "Enabled") return { publicNetworkAccess: "Enabled" };
  return { publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" } };
}

/** Log Analytics and Application Insights spell it twice [schema]. */
export function monitorNetworkProps(access: PublicNetworkAccess | undefined): { publicNetworkAccessForIngestion?: PublicNetworkAccess; publicNetworkAccessForQuery?: PublicNetworkAccess } {
  return access === undefined ? {} : { publicNetworkAccessForIngestion: access, publicNetworkAccessForQuery: access };
}

/**
 * The effective public network access: what the user set, else "Disabled" when private endpoints are
 * requested (Azure Verified Modules' default: private endpoints without network rules close the
 * public endpoint), else undefined (Azure's default, Enabled).
 */
export function effectiveAccess(access: PublicNetworkAccess | undefined, privateEndpointCount: number): PublicNetworkAccess | undefined {
  return access ?? (privateEndpointCount > 0 ? "Disabled" : undefined);
}

/**
 * Why Event Grid can't deliver to a destination closed to the public (`what`, e.g. "the Event Hubs
 * namespace") when the topic delivers with a user-assigned identity [eg-mi-firewall]; undefined otherwise.
 */
export function firewalledDeliveryProblem(what: string, access: PublicNetworkAccess | undefined, deliveryIdentityKind: string | undefined): string | undefined {
  if (access !== "Disabled" || deliveryIdentityKind !== "UserAssigned") return undefined;
  return (
    `${what} is private, but the events component delivers with a user-assigned identity, which Event Grid can't use behind a firewall (only the topic's system-assigned identity passes the trusted-services exception). ` +
    `Deliver with the system identity (no managedIdentities.userAssignedResourceIds on the topic), or keep ${what} public.`
  );
}
