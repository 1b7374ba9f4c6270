import * as pulumi from "@pulumi/pulumi";

/**
 * siteConfig properties Azure rejects on Flex Consumption sites (ARM error 51021). azure-native's
 * WebApp fills `siteConfig.netFrameworkVersion` with "v4.6" whenever siteConfig is given
 * (pulumi/pulumi-azure-native#4168), so a Flex app must drop it before registration.
 */
export const FLEX_REJECTED_SITE_CONFIG = ["netFrameworkVersion"] as const;

/** A resource transformation removing {@link FLEX_REJECTED_SITE_CONFIG} from a WebApp's siteConfig. */
export function withoutFlexRejectedSiteConfig(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined {
  if (args.type !== "azure-native:web:WebApp") return undefined;
  const siteConfig = (args.props as { siteConfig?: pulumi.Input<Record<string, unknown>> }).siteConfig;
  if (siteConfig === undefined) return undefined;
  // The SDK applies its defaults inside an Output, so the property is dropped inside one too.
  const kept = pulumi.output(siteConfig).apply((sc) => Object.fromEntries(Object.entries(sc).filter(([k]) => !(FLEX_REJECTED_SITE_CONFIG as readonly string[]).includes(k))));
  return { props: { ...args.props, siteConfig: kept }, opts: args.opts };
}
