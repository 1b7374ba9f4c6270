import * as web from "@pulumi/azure-native/web";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { hasManagedIdentity, isFunctionApp } from "./hardening-common";

/** Function Apps authenticate with a managed identity, not stored secrets. */
export const functionAppManagedIdentity: ResourceValidationPolicy = {
  name: "function-app-managed-identity",
  description: "Function Apps have a managed identity, so handlers reach Azure ML and storage without stored secrets.",
  enforcementLevel: "advisory",
  severity: "medium",
  validateResource: validateResourceOfType(web.WebApp, (props, args, reportViolation) => {
    if (!isFunctionApp(props.kind)) args.notApplicable("Not a Function App");
    if (hasManagedIdentity(props.identity)) return;
    reportViolation(`Function App ${args.name} has no managed identity. Fix: set identity: {type: "SystemAssigned"} and grant it scoped roles instead of using keys or service-principal secrets.`);
  }),
};
