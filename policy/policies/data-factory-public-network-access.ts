import * as datafactory from "@pulumi/azure-native/datafactory";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf } from "./common";

/** Knobs of {@link dataFactoryPublicNetworkAccess}. */
export interface DataFactoryPublicNetworkAccessConfig {
  /** Accept factories that leave publicNetworkAccess unset or Enabled. */
  readonly allowPublicNetworkAccess: boolean;
}

/** Data factories state their public network access and, by default, turn it off. */
export const dataFactoryPublicNetworkAccess: ResourceValidationPolicy = {
  name: "data-factory-public-network-access",
  description: "Data factories set publicNetworkAccess to Disabled (reached through private endpoints) unless the config allows public access.",
  enforcementLevel: "advisory",
  severity: "low",
  configSchema: {
    properties: {
      allowPublicNetworkAccess: { type: "boolean", default: false, description: "Accept public network access." },
    },
  },
  validateResource: validateResourceOfType(datafactory.Factory, (props, args, reportViolation) => {
    const config = configOf<DataFactoryPublicNetworkAccessConfig>(args, dataFactoryPublicNetworkAccess.configSchema!);
    if (config.allowPublicNetworkAccess || props.publicNetworkAccess === "Disabled") return;
    reportViolation(
      `Data factory ${args.name} has publicNetworkAccess ${JSON.stringify(props.publicNetworkAccess)} (unset means Enabled). ` +
        `Fix: set publicNetworkAccess: "Disabled" with a private endpoint, or set 'allowPublicNetworkAccess' in the policy config.`,
    );
  }),
};
