import * as storage from "@pulumi/azure-native/storage";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Storage accounts refuse Shared Key authorization. */
export const hardeningStorageSharedKey: ResourceValidationPolicy = {
  name: "hardening-storage-shared-key",
  description: "Storage accounts set allowSharedKeyAccess: false (unset means allowed), so only Entra ID identities reach the data.",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["hardening", "deploy-readiness"],
  // "Authorize with Shared Key": Microsoft recommends Entra ID with managed identities over Shared Key.
  url: "https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key",
  remediationSteps: "Set allowSharedKeyAccess: false and give every client (Function host, Event Grid dead-letter, deployer) a data role through its managed identity; a Function App's AzureWebJobsStorage then uses the identity-based __accountName settings.",
  validateResource: validateResourceOfType(storage.StorageAccount, (props, args, reportViolation) => {
    if (props.allowSharedKeyAccess === false) return;
    const shown = props.allowSharedKeyAccess === undefined ? "unset (Azure's default allows it)" : JSON.stringify(props.allowSharedKeyAccess);
    reportViolation(`Storage account ${args.name} has allowSharedKeyAccess ${shown}; anyone holding an account key reaches all its data. Fix: set allowSharedKeyAccess: false and use managed identities with data roles.`);
  }),
};
