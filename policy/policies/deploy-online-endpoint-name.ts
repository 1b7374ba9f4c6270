import * as ml from "@pulumi/azure-native/machinelearningservices";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf } from "./common";
import { hasUniqueSuffix } from "./deploy-common";

/** Knobs of {@link deployOnlineEndpointName}. */
export interface DeployOnlineEndpointNameConfig {
  /** Shortest unique suffix accepted. */
  readonly minSuffixLength: number;
}

/** Online endpoint names are unique per region, so explicit ones carry a suffix. */
export const deployOnlineEndpointName: ResourceValidationPolicy = {
  name: "deploy-online-endpoint-name",
  description: "Explicit online endpoint names end in a unique suffix: the name becomes <name>.<region>.inference.ml.azure.com and must be unique in the region.",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["deploy-readiness"],
  // "Deploy and score a machine learning model by using an online endpoint": the endpoint name must be unique in the Azure region.
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-deploy-online-endpoints",
  remediationSteps: "Leave endpointName unset (auto-named) or append a random or workspace-derived suffix.",
  configSchema: {
    properties: {
      minSuffixLength: { type: "integer", minimum: 3, maximum: 16, default: 5, description: "Shortest suffix (letters and digits, containing a digit) counted as unique." },
    },
  },
  validateResource: validateResourceOfType(ml.OnlineEndpoint, (props, args, reportViolation) => {
    const name = props.endpointName;
    if (name === undefined) return;
    const config = configOf<DeployOnlineEndpointNameConfig>(args, deployOnlineEndpointName.configSchema!);
    if (hasUniqueSuffix(name, config.minSuffixLength)) return;
    reportViolation(
      `Online endpoint ${args.name} is named ${JSON.stringify(name)} in ${JSON.stringify(props.location ?? "the workspace's region")}; endpoint names are unique per region, so a common name collides with other tenants' endpoints. ` +
        `Fix: leave endpointName unset or append a suffix of ${config.minSuffixLength}+ letters/digits with a digit.`,
    );
  }),
};
