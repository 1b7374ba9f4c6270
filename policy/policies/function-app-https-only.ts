import * as web from "@pulumi/azure-native/web";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isFunctionApp } from "./hardening-common";

/** Function Apps refuse plain HTTP. */
export const functionAppHttpsOnly: ResourceValidationPolicy = {
  name: "function-app-https-only",
  description: "Function Apps set httpsOnly so handlers never accept plain HTTP.",
  enforcementLevel: "advisory",
  severity: "medium",
  validateResource: validateResourceOfType(web.WebApp, (props, args, reportViolation) => {
    if (!isFunctionApp(props.kind)) args.notApplicable("Not a Function App");
    if (props.httpsOnly === true) return;
    reportViolation(`Function App ${args.name} has httpsOnly ${JSON.stringify(props.httpsOnly)}. Fix: set httpsOnly: true.`);
  }),
};
