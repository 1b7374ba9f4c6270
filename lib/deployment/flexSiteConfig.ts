/** Flex Consumption siteConfig facts shared by the deployer and the policy pack (no resources here). */

/**
 * siteConfig properties a Flex Consumption site rejects (ARM error 51021; sources in
 * policy/policies/deploy-flex-site-config.ts, which flags the same list). The deployer sets none of them,
 * but azure-native injects `netFrameworkVersion`, so all are stripped before they reach ARM.
 */
export const FLEX_REJECTED_SITE_CONFIG = [
  "netFrameworkVersion",
  "linuxFxVersion",
  "windowsFxVersion",
  "use32BitWorkerProcess",
  "preWarmedInstanceCount",
  "functionsRuntimeScaleMonitoringEnabled",
] as const;
/**
 * Reported in the same ARM error but not documented as rejected on create: stripped by the deployer,
 * flagged by the policy only when configured.
 */
export const FLEX_MAYBE_REJECTED_SITE_CONFIG = ["ftpsState"] as const;
