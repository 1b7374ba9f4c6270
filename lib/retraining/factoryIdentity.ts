/**
 * Which identity the factory DriftRetrainTrigger creates acts as, its `identity` block, and the factory
 * credential that lets its Web activities act as a user-assigned identity.
 *
 * Sources:
 * - [adf-mi] Learn, "Managed identity for Azure Data Factory", user-assigned section
 *   (https://learn.microsoft.com/azure/data-factory/data-factory-service-identity): a factory takes
 *   user-assigned identities beside (or instead of) its system one; "In order to use a user-assigned
 *   managed identity, you must first create credentials in your service instance for the UAMI."
 * - [adf-credentials] Learn, "Credentials in Azure Data Factory and Azure Synapse"
 *   (https://learn.microsoft.com/azure/data-factory/credentials): the identity must be associated with
 *   the factory; whoever configures it as a credential needs the Managed Identity Operator role (or
 *   `Microsoft.ManagedIdentity/userAssignedIdentities/*\/assign/action`) on it.
 * - [credential-rest] REST `Microsoft.DataFactory/factories/credentials` 2018-06-01 (Azure REST API specs,
 *   example `Credentials_Create`; azure-native 3.28 `datafactory.CredentialOperation`):
 *   `{ type: "ManagedIdentity", typeProperties: { resourceId } }`; names of 1–127 characters matching
 *   `^([_A-Za-z0-9]|([_A-Za-z0-9][-_A-Za-z0-9]{0,125}[_A-Za-z0-9]))$` (Learn template reference,
 *   Microsoft.DataFactory factories/credentials).
 * - [ml-linked-service] azure-native 3.28 `datafactory.AzureMLServiceLinkedServiceArgs` (generated from the
 *   REST spec's `AzureMLServiceLinkedService`): `authentication` ("Required to specify MSI"), a service
 *   principal's id, key and tenant, and no `credential` reference — so the v1 route's linked service
 *   authenticates as the factory's system-assigned identity only (or a service principal, which this
 *   library does not take: it would be a secret).
 */
import * as datafactory from "@pulumi/azure-native/datafactory";
import * as pulumi from "@pulumi/pulumi";
import { ActingIdentity, actingIdentity, asIdentityMap, identityBlock } from "../interfaces/identities";
import { DriftRetrainTriggerArgs } from "./types";

/** Name of the factory credential naming the identity the Web activities act as [credential-rest]. */
export const FACTORY_CREDENTIAL_NAME = "retrain-acting-identity";

/** Why the v1 route keeps the factory's system identity (the reason `managedIdentities` errors name). */
export const V1_ROUTE_NEEDS_SYSTEM =
  "createPipeline takes the v1 route (no batchEndpoint), whose AzureMLService linked service authenticates as the factory's system-assigned identity: " +
  "that linked service takes MSI or a service principal and no credential reference, so no user-assigned identity " +
  "(azure-native 3.28 datafactory.AzureMLServiceLinkedService, from the REST spec; docs/avm-interfaces.md). Use createPipeline.batchEndpoint (v2) to act as the user-assigned identity";

/** True when the created factory must keep its system identity for its own calls: the v1 route [ml-linked-service]. */
export function factoryKeepsSystem(args: Pick<DriftRetrainTriggerArgs, "createPipeline">): boolean {
  return args.createPipeline !== undefined && args.createPipeline.batchEndpoint === undefined;
}

/**
 * The identity the created factory's Web activities act as and its workspace role goes to: the first
 * of `managedIdentities.userAssignedResourceIds`, unless the v1 route keeps the system identity or
 * `systemAssigned: true` asks for it.
 */
export function factoryActingIdentity(args: Pick<DriftRetrainTriggerArgs, "createPipeline" | "managedIdentities">): ActingIdentity {
  return actingIdentity(args.managedIdentities, factoryKeepsSystem(args) || args.managedIdentities?.systemAssigned === true);
}

/**
 * The created factory's identities: the system one when it acts as it (or `systemAssigned: true`),
 * `managedIdentities`' user-assigned ids, plus the customer-managed key's identity (which may differ
 * from the acting one), each id once whatever its case.
 */
export function factoryIdentityMap(args: DriftRetrainTriggerArgs): ReturnType<typeof asIdentityMap> {
  const keyIdentity = args.customerManagedKey?.userAssignedIdentityResourceId;
  const given = args.managedIdentities?.userAssignedResourceIds ?? [];
  const known = new Set(given.map((id) => id.toLowerCase()));
  const ids = keyIdentity !== undefined && !known.has(keyIdentity.toLowerCase()) ? [...given, keyIdentity] : [...given];
  const systemAssigned = args.managedIdentities?.systemAssigned ?? factoryActingIdentity(args).kind === "SystemAssigned";
  return asIdentityMap(identityBlock({ systemAssigned, userAssignedResourceIds: ids }, "Microsoft.DataFactory/factories", factoryKeepsSystem(args)));
}

/** The factory credential of type `ManagedIdentity` naming the user-assigned identity `resourceId` [credential-rest]. */
export function createFactoryCredential(name: string, factory: datafactory.Factory, resourceGroupName: pulumi.Input<string>, resourceId: string, parent: pulumi.Resource): datafactory.CredentialOperation {
  return new datafactory.CredentialOperation(
    `${name}-adf-credential`,
    {
      resourceGroupName,
      factoryName: factory.name,
      credentialName: FACTORY_CREDENTIAL_NAME,
      properties: { type: "ManagedIdentity", description: "The user-assigned identity the retraining pipeline's Web activities act as.", resourceId },
    },
    { parent },
  );
}
