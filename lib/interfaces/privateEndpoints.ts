/**
 * AVM's `privateEndpoints` interface: the plain type, the private-link services each created resource
 * offers, validation, and the resources (`network.PrivateEndpoint` + an optional `PrivateDnsZoneGroup`).
 * The component never creates the subnet or the DNS zones (AVM: modules do not create the dependencies
 * of their interfaces); it links the zones the caller names.
 *
 * Sources:
 * - [pe-dns] Learn, "Azure Private Endpoint private DNS zone values"
 *   (https://learn.microsoft.com/azure/private-link/private-endpoint-dns): sub-resources (group ids) and
 *   zones — storage `blob`/`queue`/`table`/`file` (`privatelink.{blob|queue|table|file}.core.windows.net`),
 *   Event Hubs `namespace` (`privatelink.servicebus.windows.net`), Data Factory `dataFactory`
 *   (`privatelink.datafactory.azure.net`) and `portal` (`privatelink.adf.azure.com`), Web Apps / Function
 *   Apps `sites` (`privatelink.azurewebsites.net`), and Azure Monitor only through a private link SCOPE
 *   (`Microsoft.Insights/privateLinkScopes`, group `azuremonitor`) — a Log Analytics workspace or
 *   Application Insights component takes no private endpoint of its own.
 * - [eh-private] Learn, "Allow access to Azure Event Hubs namespaces via private endpoints": group id
 *   `namespace`; the endpoint must be in its virtual network's region.
 * - [schema] @pulumi/azure-native 3.28 `network.PrivateEndpoint` (`subnet.id`,
 *   `privateLinkServiceConnections[].groupIds`) and `network.PrivateDnsZoneGroup`.
 */
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { ArgKeys, unknownArgumentProblems } from "../workspace/argKeys";
import { armIdName, armIdProblems, ArmIdShape, PublicNetworkAccess, SUBNET_ID, Where, at } from "./network";

/** A private endpoint on a resource the component creates (AVM's `privateEndpoints` element). */
export interface PrivateEndpoint {
  /** ARM id of the subnet the endpoint's network interface goes in (`…/virtualNetworks/{vnet}/subnets/{subnet}`), in the component's region. */
  readonly subnetResourceId: string;
  /**
   * The private-link sub-resource (group id): `blob`, `queue`, `table`, `file` (storage the component owns),
   * `namespace` (Event Hubs), `dataFactory` or `portal` (Data Factory), `sites` (Function App).
   * @default - the component's main resource: `sites` (ModelDeployer), `namespace` (EventHubStream), `dataFactory` (DriftRetrainTrigger), `blob` (WorkspaceEvents' dead-letter storage)
   */
  readonly service?: string;
  /** Azure name of the private endpoint. @default - `${name}-pe-${service}` (then `-2`, `-3` for more endpoints of one service) */
  readonly name?: string;
  /** ARM ids of private DNS zones (`…/providers/Microsoft.Network/privateDnsZones/privatelink.…`) to register the endpoint in. @default [] - no zone group; resolve the name yourself */
  readonly privateDnsZoneResourceIds?: string[];
  /** Tags of the private endpoint. @default - the component's tags */
  readonly tags?: Record<string, string>;
}

/** The names of `PrivateEndpoint`. */
export const PRIVATE_ENDPOINT_KEYS = { subnetResourceId: true, service: true, name: true, privateDnsZoneResourceIds: true, tags: true } as const satisfies ArgKeys<PrivateEndpoint>;

/** One private-link sub-resource: the zone name it resolves in, as a pattern over the clouds [pe-dns]. */
interface ServiceFacts {
  readonly zone: RegExp;
  readonly zoneExample: string;
}

/** Every group id a component here can expose, with its DNS zone [pe-dns]. */
export const PRIVATE_LINK_SERVICES: Readonly<Record<string, ServiceFacts>> = {
  blob: { zone: /^privatelink\.blob\.core\./i, zoneExample: "privatelink.blob.core.windows.net" },
  queue: { zone: /^privatelink\.queue\.core\./i, zoneExample: "privatelink.queue.core.windows.net" },
  table: { zone: /^privatelink\.table\.core\./i, zoneExample: "privatelink.table.core.windows.net" },
  file: { zone: /^privatelink\.file\.core\./i, zoneExample: "privatelink.file.core.windows.net" },
  namespace: { zone: /^privatelink\.servicebus\./i, zoneExample: "privatelink.servicebus.windows.net" },
  dataFactory: { zone: /^privatelink\.datafactory\./i, zoneExample: "privatelink.datafactory.azure.net" },
  portal: { zone: /^privatelink\.adf\./i, zoneExample: "privatelink.adf.azure.com" },
  sites: { zone: /^privatelink\.(azurewebsites|chinacloudsites)\./i, zoneExample: "privatelink.azurewebsites.net" },
};

/** The services a component offers: group id → what it targets (for messages), the default first. */
export interface PrivateLinkOffer {
  /** `PrivateEndpoint.service` when unset. */
  readonly defaultService: string;
  /** Group id → the resource it reaches, e.g. `{ sites: "the Function App", blob: "its storage account" }`. */
  readonly services: Readonly<Record<string, string>>;
}

const DNS_ZONE_ID: ArmIdShape = {
  type: "Microsoft.Network/privateDnsZones",
  example: "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net",
};

/** Problems of one element, at `path` (`privateEndpoints[0]`). */
function endpointProblems(where: Where, path: string, pe: unknown, offer: PrivateLinkOffer): string[] {
  if (typeof pe !== "object" || pe === null || Array.isArray(pe)) return [`${at(where)}${path} ${JSON.stringify(pe)} is not an object; pass { subnetResourceId, service? }.`];
  const e = pe as Partial<Record<keyof PrivateEndpoint, unknown>>;
  const problems = unknownArgumentProblems(pe, PRIVATE_ENDPOINT_KEYS, `${path}.`).map((p) => `${at(where)}${p}`);
  if (e.subnetResourceId === undefined) problems.push(`${at(where)}${path}.subnetResourceId is required; pass the id of the subnet the endpoint goes in (${SUBNET_ID.example}).`);
  problems.push(...armIdProblems(where, `${path}.subnetResourceId`, e.subnetResourceId, SUBNET_ID));
  const service = e.service ?? offer.defaultService;
  const offered = Object.keys(offer.services);
  if (typeof service !== "string" || !offered.includes(service)) {
    const close = typeof service === "string" ? offered.find((s) => s.toLowerCase() === service.toLowerCase()) : undefined;
    const list = offered.map((s) => `"${s}" (${offer.services[s]})`).join(", ");
    problems.push(`${at(where)}${path}.service ${JSON.stringify(service)} is not a private-link sub-resource of what this component creates${close ? ` (group ids are case-sensitive: "${close}")` : ""}; use one of ${list}.`);
  } else {
    const zones = Array.isArray(e.privateDnsZoneResourceIds) ? e.privateDnsZoneResourceIds : e.privateDnsZoneResourceIds === undefined ? [] : [e.privateDnsZoneResourceIds];
    if (e.privateDnsZoneResourceIds !== undefined && !Array.isArray(e.privateDnsZoneResourceIds)) problems.push(`${at(where)}${path}.privateDnsZoneResourceIds must be a list of private DNS zone ids.`);
    zones.forEach((z, i) => problems.push(...zoneProblems(where, `${path}.privateDnsZoneResourceIds[${i}]`, z, service)));
  }
  if (e.tags !== undefined && (typeof e.tags !== "object" || e.tags === null || Array.isArray(e.tags) || Object.values(e.tags).some((v) => typeof v !== "string"))) {
    problems.push(`${at(where)}${path}.tags must map tag names to strings.`);
  }
  if (e.name !== undefined && (typeof e.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,78}[A-Za-z0-9_]$/.test(e.name))) {
    problems.push(`${at(where)}${path}.name ${JSON.stringify(e.name)} is not a private endpoint name; use 2-80 letters, digits, '_', '.', '-', starting with a letter or digit.`);
  }
  return problems;
}

/** A zone id of the right type whose zone is the one `service` resolves in [pe-dns]. */
function zoneProblems(where: Where, path: string, zone: unknown, service: string): string[] {
  const problems = armIdProblems(where, path, zone, DNS_ZONE_ID);
  if (problems.length > 0 || typeof zone !== "string") return problems;
  const facts = PRIVATE_LINK_SERVICES[service];
  if (!facts.zone.test(armIdName(zone))) {
    return [`${at(where)}${path} names the zone ${JSON.stringify(armIdName(zone))}, but service "${service}" resolves in ${facts.zoneExample} (or its sovereign-cloud twin); pass that zone's id.`];
  }
  return [];
}

/**
 * Problems of a `privateEndpoints` value for a component offering `offer`; `publicNetworkAccess` is the
 * same component's argument: endpoints with public access forced "Enabled" are refused (they would
 * leave the public endpoint open next to the private one).
 */
export function validatePrivateEndpoints(where: Where, argName: string, value: unknown, offer: PrivateLinkOffer | string, publicNetworkAccess?: PublicNetworkAccess): string[] {
  if (value === undefined) return [];
  if (typeof offer === "string") return [`${at(where)}${argName} is not supported: ${offer}`];
  if (!Array.isArray(value)) return [`${at(where)}${argName} must be a list of { subnetResourceId, service? }.`];
  const problems = value.flatMap((pe, i) => endpointProblems(where, `${argName}[${i}]`, pe, offer));
  if (value.length > 0 && publicNetworkAccess === "Enabled") {
    problems.push(`${at(where)}${argName} is set while publicNetworkAccess is "Enabled"; a private endpoint next to an open public endpoint isolates nothing. Drop publicNetworkAccess (it then defaults to "Disabled") or set it to "Disabled".`);
  }
  const seen = new Set<string>();
  for (const pe of value as Partial<PrivateEndpoint>[]) {
    const key = `${pe?.service ?? offer.defaultService}|${String(pe?.subnetResourceId).toLowerCase()}`;
    if (seen.has(key)) problems.push(`${at(where)}${argName} lists service "${pe.service ?? offer.defaultService}" twice in subnet ${pe.subnetResourceId}; one endpoint per service and subnet is enough.`);
    seen.add(key);
  }
  return problems;
}

/** Where the endpoints go: the component's resource group and region, and the resource id per offered service. */
export interface PrivateEndpointPlacement {
  /** Resource group of the endpoints (the component's). */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Region of the endpoints: the component's, which must be the subnet's virtual network's region. */
  readonly location: pulumi.Input<string>;
  /** The component's tags (each endpoint's own tags are merged over them). */
  readonly tags: Readonly<Record<string, string>>;
  /** `PrivateEndpoint.service` when unset. */
  readonly defaultService: string;
  /** Group id → ARM id of the resource it reaches. */
  readonly targets: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The physical (Pulumi and default Azure) name of each endpoint: `${name}-pe-${service}`, then `-2`, `-3`. */
export function privateEndpointNames(name: string, endpoints: readonly PrivateEndpoint[], defaultService: string): string[] {
  const counts: Record<string, number> = {};
  return endpoints.map((pe) => {
    const service = pe.service ?? defaultService;
    counts[service] = (counts[service] ?? 0) + 1;
    return `${name}-pe-${service}${counts[service] > 1 ? `-${counts[service]}` : ""}`;
  });
}

/** Creates one private endpoint (and its DNS zone group when zones are given) per element, validated before. */
export function createPrivateEndpoints(name: string, endpoints: readonly PrivateEndpoint[] | undefined, at: PrivateEndpointPlacement, opts: pulumi.CustomResourceOptions): network.PrivateEndpoint[] {
  const list = endpoints ?? [];
  const names = privateEndpointNames(name, list, at.defaultService);
  return list.map((pe, i) => {
    const service = pe.service ?? at.defaultService;
    const endpointName = pe.name ?? names[i];
    const endpoint = new network.PrivateEndpoint(
      names[i],
      {
        resourceGroupName: at.resourceGroupName,
        location: at.location,
        privateEndpointName: endpointName,
        subnet: { id: pe.subnetResourceId },
        privateLinkServiceConnections: [{ name: endpointName, privateLinkServiceId: at.targets[service], groupIds: [service] }],
        tags: { ...at.tags, ...(pe.tags ?? {}) },
      },
      opts,
    );
    if ((pe.privateDnsZoneResourceIds ?? []).length > 0) {
      new network.PrivateDnsZoneGroup(
        `${names[i]}-dns`,
        {
          resourceGroupName: at.resourceGroupName,
          privateEndpointName: endpoint.name,
          privateDnsZoneGroupName: "default",
          privateDnsZoneConfigs: (pe.privateDnsZoneResourceIds ?? []).map((id) => ({ name: armIdName(id).replace(/\./g, "-"), privateDnsZoneId: id })),
        },
        opts,
      );
    }
    return endpoint;
  });
}
