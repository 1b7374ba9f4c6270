import * as web from "@pulumi/azure-native/web";
import { remediateResourceOfType, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { FLEX_REJECTED_SITE_CONFIG } from "../../lib/deployment/flexSiteConfig";
import { configOf } from "./common";
import { isFlexApp } from "./deploy-common";

/** Knobs of {@link deployFlexSiteConfig}. */
export interface DeployFlexSiteConfigConfig {
  /** siteConfig properties a Flex Consumption site rejects. */
  readonly rejectedProperties: string[];
}

/**
 * siteConfig properties a Flex Consumption site rejects ("The following site configuration property
 * (Site.SiteConfig.NetFrameworkVersion) for Flex Consumption sites is invalid", ARM extended code 51021).
 * Sources: pulumi/pulumi-azure-native#4168 (azure-native's WebApp fills siteConfig.netFrameworkVersion
 * with "v4.6" when unset, so any Flex WebApp with a siteConfig carries it), Azure/azure-cli#31414 (the
 * service lists Use32BitWorkerProcess, PreWarmedInstanceCount, NetFrameworkVersion and
 * FunctionsRuntimeScaleMonitoringEnabled as invalid for Flex), and the Flex migration steps that delete
 * linuxFxVersion / windowsFxVersion ("Flex Consumption plan", learn.microsoft.com). The same error also
 * listed FtpsState; whether ftpsState "Disabled" is rejected on create is not documented, so it is left
 * out by default (add it via the knob).
 */
const REJECTED: string[] = [...FLEX_REJECTED_SITE_CONFIG];

const rejectedIn = (siteConfig: Record<string, unknown> | undefined, rejected: readonly string[]): string[] =>
  Object.keys(siteConfig ?? {}).filter((k) => rejected.some((r) => r.toLowerCase() === k.toLowerCase()) && siteConfig?.[k] !== undefined);

/** Flex Consumption sites carry no siteConfig property Flex rejects. */
export const deployFlexSiteConfig: ResourceValidationPolicy = {
  name: "deploy-flex-site-config",
  description: "Flex Consumption Function Apps (functionAppConfig set) carry no siteConfig runtime property Flex rejects (linuxFxVersion and the like; ARM error 51021).",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["deploy-readiness", "hardening"],
  url: "https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan",
  remediationSteps: "Remove the listed properties from siteConfig (azure-native adds netFrameworkVersion \"v4.6\" to any siteConfig: deploy Flex apps without siteConfig, app settings through a separate WebAppApplicationSettings) and set the runtime in functionAppConfig.runtime; or turn the policy to remediate to drop them.",
  configSchema: {
    properties: {
      rejectedProperties: { type: "array", items: { type: "string" }, default: REJECTED, description: "siteConfig properties a Flex site rejects." },
    },
  },
  validateResource: validateResourceOfType(web.WebApp, (props, args, reportViolation) => {
    if (!isFlexApp(props)) args.notApplicable("Not a Flex Consumption app (no functionAppConfig)");
    const config = configOf<DeployFlexSiteConfigConfig>(args, deployFlexSiteConfig.configSchema!);
    const found = rejectedIn(props.siteConfig as Record<string, unknown> | undefined, config.rejectedProperties);
    if (found.length === 0) return;
    reportViolation(
      `Flex Consumption app ${args.name} sets siteConfig.${found.join(", siteConfig.")}; Azure rejects these on Flex sites (error 51021). ` +
        `Fix: remove them and declare the runtime in functionAppConfig.runtime.`,
    );
  }),
  remediateResource: remediateResourceOfType(web.WebApp, (props, args) => {
    if (!isFlexApp(props)) return undefined;
    const config = configOf<DeployFlexSiteConfigConfig>(args, deployFlexSiteConfig.configSchema!);
    const siteConfig = props.siteConfig as Record<string, unknown> | undefined;
    const found = rejectedIn(siteConfig, config.rejectedProperties);
    if (found.length === 0) return undefined;
    const kept = Object.fromEntries(Object.entries(siteConfig ?? {}).filter(([k]) => !found.includes(k)));
    return { ...props, siteConfig: kept };
  }),
};
