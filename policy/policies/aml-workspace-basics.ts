import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf } from "./common";
import { hasManagedIdentity } from "./hardening-common";

/** Knobs of {@link amlWorkspaceBasics}. */
export interface AmlWorkspaceBasicsConfig {
  /** Require publicNetworkAccess Disabled. */
  readonly requirePrivateNetwork: boolean;
}

/** AML workspaces declared in these stacks have an identity, monitoring, and no v1 legacy mode. */
export const amlWorkspaceBasics: ResourceValidationPolicy = {
  name: "aml-workspace-basics",
  description: "Azure Machine Learning workspaces declared here have a managed identity, an Application Insights component, v1 legacy mode off, and (if configured) no public network access.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      requirePrivateNetwork: { type: "boolean", default: false, description: "Require publicNetworkAccess Disabled." },
    },
  },
  validateResource: validateResourceOfType(machinelearningservices.Workspace, (props, args, reportViolation) => {
    const config = configOf<AmlWorkspaceBasicsConfig>(args, amlWorkspaceBasics.configSchema!);
    if (!hasManagedIdentity(props.identity)) {
      reportViolation(`Workspace ${args.name} has no managed identity. Fix: set identity: {type: "SystemAssigned"}.`);
    }
    if (props.applicationInsights === undefined || props.applicationInsights === "") {
      reportViolation(`Workspace ${args.name} has no applicationInsights. Fix: set applicationInsights to an Application Insights component id so runs and endpoints are monitored.`);
    }
    if (props.v1LegacyMode === true) {
      reportViolation(`Workspace ${args.name} enables v1LegacyMode, which blocks v2 APIs such as managed online endpoints. Fix: remove v1LegacyMode.`);
    }
    if (config.requirePrivateNetwork && props.publicNetworkAccess !== "Disabled") {
      reportViolation(`Workspace ${args.name} has publicNetworkAccess ${JSON.stringify(props.publicNetworkAccess)}. Fix: set publicNetworkAccess: "Disabled" and reach it through a private endpoint.`);
    }
  }),
};
