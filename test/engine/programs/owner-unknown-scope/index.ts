/**
 * A program for the real-engine preview gate: an Owner grant scoped to a resource group the same
 * program creates (its id is unknown during `pulumi preview`), next to the evasion corpus's stacks
 * registered as plain azure-native resources. `pulumi preview --policy-pack policy` must fail.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { BuiltInRole } from "../../../../lib/rbac/roles";
import { cliEvasions } from "../../../policy/evasions";
import { packageVersion } from "../../providers/urn";

const rg = new resources.ResourceGroup("rg-created-here", { resourceGroupName: "rg-created-here", location: "westeurope" });
new authorization.RoleAssignment("owner-on-new-rg", {
  principalId: "5f1c8e0a-3b7d-4c2e-9a61-2d4b8f0e7c13",
  principalType: "ServicePrincipal",
  roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${BuiltInRole.Owner}`,
  scope: rg.id,
});

/** Any azure-native resource by type token (the provider plugin answers for every token). */
class AzureResource extends pulumi.CustomResource {}
const version = packageVersion("@pulumi/azure-native");
for (const r of cliEvasions()) new AzureResource(r.type, r.name, r.props, { version });
