import * as web from "@pulumi/azure-native/web";
import { remediateResourceOfType, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { FLEX_REJECTED_SITE_CONFIG, flexInstead } from "../../lib/deployment/flexSiteConfig";
import { configOf } from "./common";
import { isFlexApp } from "./deploy-common";

/** Knobs of {@link deployFlexSiteConfig}. */
export interface DeployFlexSiteConfigConfig {
  /** siteConfig properties a Flex Consumption site rejects. */
  readonly rejectedProperties: string[];
}

/** The one list (lib/deployment/flexSiteConfig.ts, with its sources) the deployer strips too. */
const REJECTED: string[] = [...FLEX_REJECTED_SITE_CONFIG];

const rejectedIn = (siteConfig: Record<string, unknown> | undefined, rejected: readonly string[]): string[] =>
  Object.keys(siteConfig ?? {}).filter((k) => rejected.some((r) => r.toLowerCase() === k.toLowerCase()) && siteConfig?.[k] !== undefined);

/** Flex Consumption sites carry no siteConfig property Flex rejects. */
export const deployFlexSiteConfig: ResourceValidationPolicy = {
  name: "deploy-flex-site-config",
  description: "Flex Consumption Function Apps (functionAppConfig set) carry no siteConfig property Flex rejects or ignores (ftpsState, alwaysOn, functionAppScaleLimit, the runtime *Version keys and the like; ARM error 51021 where rejected).",
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
      `Flex Consumption app ${args.name} sets siteConfig.${found.join(", siteConfig.")}; Azure rejects these on Flex sites (error 51021) or ignores them. ` +
        `Fix: remove them; instead use ${found.map((k) => `${k} → ${flexInstead(k) ?? "nothing"}`).join("; ")}.`,
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
