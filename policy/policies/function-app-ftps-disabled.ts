import * as web from "@pulumi/azure-native/web";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf } from "./common";
import { isFunctionApp } from "./hardening-common";

/** Knobs of {@link functionAppFtpsDisabled}. */
export interface FunctionAppFtpsDisabledConfig {
  /** Accept `FtpsOnly` as well as `Disabled`. */
  readonly allowFtpsOnly: boolean;
}

/** Function Apps turn FTP/FTPS deployment off (code ships by one deploy or a package). */
export const functionAppFtpsDisabled: ResourceValidationPolicy = {
  name: "function-app-ftps-disabled",
  description: "Function Apps (other than Flex Consumption, which rejects the property) set siteConfig.ftpsState to Disabled; code ships by one deploy or a package, never FTP.",
  enforcementLevel: "advisory",
  severity: "low",
  configSchema: {
    properties: {
      allowFtpsOnly: { type: "boolean", default: false, description: "Accept FtpsOnly as well as Disabled." },
    },
  },
  validateResource: validateResourceOfType(web.WebApp, (props, args, reportViolation) => {
    if (!isFunctionApp(props.kind)) args.notApplicable("Not a Function App");
    // Flex Consumption apps (functionAppConfig set) reject siteConfig.ftpsState with ARM error 51021 in several regions.
    if (props.functionAppConfig !== undefined) args.notApplicable("Flex Consumption app: siteConfig.ftpsState is rejected there");
    const config = configOf<FunctionAppFtpsDisabledConfig>(args, functionAppFtpsDisabled.configSchema!);
    const state = props.siteConfig?.ftpsState;
    if (state === "Disabled" || (config.allowFtpsOnly && state === "FtpsOnly")) return;
    reportViolation(`Function App ${args.name} has siteConfig.ftpsState ${JSON.stringify(state)} (unset lets Azure pick). Fix: set siteConfig.ftpsState: "Disabled".`);
  }),
};
