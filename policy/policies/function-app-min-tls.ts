import * as web from "@pulumi/azure-native/web";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf } from "./common";
import { isFunctionApp, tlsAtLeast } from "./hardening-common";

/** Knobs of {@link functionAppMinTls}. */
export interface FunctionAppMinTlsConfig {
  /** Lowest TLS version accepted. */
  readonly minimumTlsVersion: string;
}

/** Function Apps accept TLS 1.2 or later only (site and SCM endpoints). */
export const functionAppMinTls: ResourceValidationPolicy = {
  name: "function-app-min-tls",
  description: "Function Apps require TLS 1.2 or later on the site and its SCM endpoint (unset means Azure's default, 1.2).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      minimumTlsVersion: { type: "string", enum: ["1.2", "1.3"], default: "1.2", description: "Lowest TLS version accepted." },
    },
  },
  validateResource: validateResourceOfType(web.WebApp, (props, args, reportViolation) => {
    if (!isFunctionApp(props.kind)) args.notApplicable("Not a Function App");
    const config = configOf<FunctionAppMinTlsConfig>(args, functionAppMinTls.configSchema!);
    const site = props.siteConfig;
    for (const field of ["minTlsVersion", "scmMinTlsVersion"] as const) {
      const value = site?.[field];
      if (value === undefined) continue;
      if (tlsAtLeast(value, config.minimumTlsVersion) === true) continue;
      reportViolation(`Function App ${args.name} sets siteConfig.${field} ${JSON.stringify(value)}. Fix: set siteConfig.${field}: "${config.minimumTlsVersion}" or later.`);
    }
  }),
};
