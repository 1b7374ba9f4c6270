/**
 * DriftRetrainTrigger's network isolation: what the isolation arguments and `managedVirtualNetwork` do
 * to the factory it creates, what they refuse, and the managed virtual network's resources.
 *
 * Sources:
 * - [schema] @pulumi/azure-native 3.28 datafactory.Factory (`publicNetworkAccess`, `encryption`,
 *   `identity`) and datafactory.IntegrationRuntime (`Managed`, `managedVirtualNetwork {referenceName,
 *   type: ManagedVirtualNetworkReference}`, `computeProperties.location`). azure-native has no typed
 *   `managedVirtualNetworks` resource (pulumi/pulumi-azure-native#896, open), so the generic
 *   `resources.Resource` declares it.
 * - [adf-mvnet-bicep] Learn template reference, Microsoft.DataFactory factories/managedVirtualNetworks
 *   (https://learn.microsoft.com/azure/templates/microsoft.datafactory/factories/managedvirtualnetworks):
 *   a factory's managed virtual network is named `default` with `properties: {}` (API 2018-06-01);
 *   an empty body is refused ("Invalid payload", Azure-Player/azure.datafactory.tools#149).
 * - [adf-mvnet-delete] hashicorp/terraform-provider-azurerm#12343: there is no API to delete a factory's
 *   managed virtual network; it goes with the factory (so ours is kept on delete, `retainOnDelete`).
 * - [avm-adf] Azure Verified Modules, Data Factory module tests (Azure/ResourceModules#1988): the
 *   managed-VNet runtime replaces `AutoResolveIntegrationRuntime`, `computeProperties.location`
 *   `AutoResolve`, so activities that use the default runtime run in the managed network.
 * - [pe-dns] Learn, "Azure Private Endpoint private DNS zone values": Data Factory sub-resources
 *   `dataFactory` and `portal`.
 */
import * as datafactory from "@pulumi/azure-native/datafactory";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { factoryEncryptionProps } from "../interfaces/customerManagedKey";
import { IsolationSupport, validateIsolationArgs } from "../interfaces/isolation";
import { effectiveAccess } from "../interfaces/network";
import { factoryIdentityMap } from "./factoryIdentity";
import { DriftRetrainTriggerArgs } from "./types";

/** The managed virtual network's name (the only one a factory may have). */
export const FACTORY_MANAGED_VNET = "default";
/** The default integration runtime, replaced by one in the managed virtual network [avm-adf]. */
export const MANAGED_VNET_RUNTIME = "AutoResolveIntegrationRuntime";

const NO_FACTORY =
  "existingPipeline is set, so DriftRetrainTrigger creates no factory; configure network access, private endpoints, keys and the managed virtual network on your factory where you manage it.";

/** What the trigger's isolation arguments reach: the created factory, or nothing. */
function retrainIsolation(args: DriftRetrainTriggerArgs): IsolationSupport {
  if (args.createPipeline === undefined) return { privateEndpoints: NO_FACTORY, customerManagedKey: NO_FACTORY, publicNetworkAccess: NO_FACTORY };
  return { privateEndpoints: { defaultService: "dataFactory", services: { dataFactory: "the factory's data plane", portal: "the factory's authoring portal" } } };
}

/** Refusals (messages without the component prefix, which the trigger adds). */
export function retrainIsolationProblems(args: DriftRetrainTriggerArgs): string[] {
  const problems = validateIsolationArgs("", args, retrainIsolation(args));
  const mvnet: unknown = args.managedVirtualNetwork;
  if (mvnet !== undefined && typeof mvnet !== "boolean") problems.push(`managedVirtualNetwork ${JSON.stringify(mvnet)} must be true or false.`);
  if (mvnet === true && args.createPipeline === undefined) problems.push(`managedVirtualNetwork: ${NO_FACTORY}`);
  const nested = args.createPipeline?.publicNetworkAccess;
  if (nested !== undefined && args.publicNetworkAccess !== undefined && nested !== args.publicNetworkAccess) {
    problems.push(`createPipeline.publicNetworkAccess ${JSON.stringify(nested)} contradicts publicNetworkAccess ${JSON.stringify(args.publicNetworkAccess)}; set one of them.`);
  }
  return problems;
}

/** The created factory's network, key and identity properties. */
export function factoryIsolationProps(args: DriftRetrainTriggerArgs): Record<string, unknown> {
  const access = effectiveAccess(args.publicNetworkAccess ?? args.createPipeline?.publicNetworkAccess, args.privateEndpoints?.length ?? 0);
  return {
    identity: factoryIdentityMap(args),
    ...(access !== undefined ? { publicNetworkAccess: access } : {}),
    ...factoryEncryptionProps(args.customerManagedKey),
  };
}

/**
 * The factory's managed virtual network and the default runtime inside it; the pipeline waits for the
 * runtime. Returns the runtime (undefined without `managedVirtualNetwork`).
 */
export function createManagedVirtualNetwork(name: string, factory: datafactory.Factory, resourceGroupName: pulumi.Input<string>, parent: pulumi.Resource): datafactory.IntegrationRuntime {
  const vnet = new resources.Resource(
    `${name}-adf-mvnet`,
    {
      resourceGroupName,
      resourceProviderNamespace: "Microsoft.DataFactory",
      parentResourcePath: pulumi.interpolate`factories/${factory.name}`,
      resourceType: "managedVirtualNetworks",
      resourceName: FACTORY_MANAGED_VNET,
      apiVersion: "2018-06-01",
      properties: {},
    },
    { parent, retainOnDelete: true },
  );
  return new datafactory.IntegrationRuntime(
    `${name}-adf-runtime`,
    {
      resourceGroupName,
      factoryName: factory.name,
      integrationRuntimeName: MANAGED_VNET_RUNTIME,
      properties: {
        type: "Managed",
        description: "Default runtime in the factory's managed virtual network.",
        managedVirtualNetwork: { referenceName: FACTORY_MANAGED_VNET, type: "ManagedVirtualNetworkReference" },
        computeProperties: { location: "AutoResolve" },
      },
    },
    { parent, dependsOn: [vnet] },
  );
}
