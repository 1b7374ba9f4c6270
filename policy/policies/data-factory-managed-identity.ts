import * as datafactory from "@pulumi/azure-native/datafactory";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { hasManagedIdentity } from "./hardening-common";

/** Data factories have a managed identity for their linked services. */
export const dataFactoryManagedIdentity: ResourceValidationPolicy = {
  name: "data-factory-managed-identity",
  description: "Data factories have a managed identity so linked services (AzureMLService, storage) authenticate without keys.",
  enforcementLevel: "advisory",
  severity: "medium",
  validateResource: validateResourceOfType(datafactory.Factory, (props, args, reportViolation) => {
    if (hasManagedIdentity(props.identity)) return;
    reportViolation(`Data factory ${args.name} has no managed identity. Fix: set identity: {type: "SystemAssigned"} and use MSI authentication in its linked services.`);
  }),
};
