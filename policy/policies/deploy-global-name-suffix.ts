import { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, str } from "./common";
import { hasUniqueSuffix } from "./deploy-common";

/** Knobs of {@link deployGlobalNameSuffix}. */
export interface DeployGlobalNameSuffixConfig {
  /** Shortest unique suffix accepted. */
  readonly minSuffixLength: number;
}

/**
 * Resource types whose names are global DNS names (`<name>.servicebus.windows.net`,
 * `<name>.blob.core.windows.net`, `<name>.azurewebsites.net`) and the input holding the name.
 * Source: "Naming rules and restrictions for Azure resources",
 * https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules (scope: global).
 */
const GLOBAL_NAMES: Readonly<Record<string, string>> = {
  "azure-native:eventhub:Namespace": "namespaceName",
  "azure-native:storage:StorageAccount": "accountName",
  "azure-native:web:WebApp": "name",
};

/** Explicit global names end in a unique suffix. */
export const deployGlobalNameSuffix: ResourceValidationPolicy = {
  name: "deploy-global-name-suffix",
  description: "Explicit names of globally unique resources (Event Hubs namespaces, storage accounts, Function/Web Apps) end in a unique suffix; a plain derived name is often already taken in another tenant.",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["deploy-readiness"],
  url: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules",
  remediationSteps: "Leave the name input unset so Pulumi auto-names it with a random suffix, or append a random or subscription-derived suffix (e.g. random.RandomString or a hash of the resource group id).",
  configSchema: {
    properties: {
      minSuffixLength: { type: "integer", minimum: 3, maximum: 16, default: 5, description: "Shortest suffix (letters and digits, containing a digit) counted as unique." },
    },
  },
  validateResource: (args, reportViolation) => {
    const field = GLOBAL_NAMES[args.type];
    if (field === undefined) args.notApplicable(`Only ${Object.keys(GLOBAL_NAMES).join(", ")} have global names`);
    const name = str(args.props[field]);
    if (name === undefined) return; // auto-named by Pulumi: random suffix
    const config = configOf<DeployGlobalNameSuffixConfig>(args, deployGlobalNameSuffix.configSchema!);
    if (hasUniqueSuffix(name, config.minSuffixLength)) return;
    reportViolation(
      `${args.type.replace("azure-native:", "")} ${args.name} sets ${field} ${JSON.stringify(name)}, a global DNS name without a unique suffix; ` +
        `if anyone holds it already, pulumi up fails with a name-taken error. Fix: leave ${field} unset (auto-named) or append a suffix of ${config.minSuffixLength}+ letters/digits with a digit.`,
    );
  },
};
