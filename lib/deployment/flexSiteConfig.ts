/**
 * Flex Consumption siteConfig facts shared by the deployer and the policy pack (no resources here): the
 * ONE list of siteConfig keys Azure rejects or ignores on a Flex Consumption site. The deployer strips
 * them (azure-native injects `netFrameworkVersion` into any siteConfig); `deploy-flex-site-config` flags
 * any of them on a user's own Flex app.
 *
 * Sources, per key below:
 * - [learn-deprecated] Learn, "Flex Consumption plan" (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan),
 *   the deprecated-properties table: properties that "shouldn't be used" on Flex, e.g. `properties.ftpsState`
 *   ("FTPS not supported"), runtime version keys (the runtime lives in functionAppConfig.runtime), scale
 *   keys (scale lives in functionAppConfig.scaleAndConcurrency).
 * - [avm-fc1] Azure Verified Modules, web site module, FC1 (Flex) test: its site omits ftpsState, alwaysOn,
 *   functionAppScaleLimit, use32BitWorkerProcess and the `*Version` runtime keys the other tests set; its
 *   notes say older regions ignore these properties while newer ones reject them.
 * - [arm-51021] ARM error 51021 "The following site configuration property (Site.SiteConfig.X) for Flex
 *   Consumption sites is invalid": Azure/azure-cli#31414 (Use32BitWorkerProcess, PreWarmedInstanceCount,
 *   NetFrameworkVersion, FunctionsRuntimeScaleMonitoringEnabled, FtpsState), pulumi/pulumi-azure-native#4168
 *   (netFrameworkVersion "v4.6" injected by the WebApp constructor).
 * Where Azure ignores rather than rejects a key in some regions, setting it is still a mistake: the
 * setting does nothing there and fails the deployment elsewhere.
 */

/** One siteConfig key Flex Consumption rejects or ignores. */
export interface FlexUnsupportedKey {
  /** The siteConfig property (ARM casing). */
  readonly key: string;
  /** What to use instead, or why it has no meaning on Flex. */
  readonly instead: string;
  /** Source tags (see the file comment). */
  readonly sources: readonly ("learn-deprecated" | "avm-fc1" | "arm-51021")[];
}

const RUNTIME = "functionAppConfig.runtime (name and version)";
const SCALE = "functionAppConfig.scaleAndConcurrency";

/** siteConfig keys Azure rejects or ignores on Flex Consumption, in alphabetical order. */
export const FLEX_UNSUPPORTED_SITE_CONFIG: readonly FlexUnsupportedKey[] = [
  { key: "alwaysOn", instead: `always-ready instances in ${SCALE}`, sources: ["learn-deprecated", "avm-fc1"] },
  { key: "ftpsState", instead: "nothing: Flex has no FTP/FTPS endpoint (FTPS not supported)", sources: ["learn-deprecated", "avm-fc1", "arm-51021"] },
  { key: "functionAppScaleLimit", instead: `maximumInstanceCount in ${SCALE}`, sources: ["learn-deprecated", "avm-fc1"] },
  { key: "functionsRuntimeScaleMonitoringEnabled", instead: "nothing: Flex scales per function by itself", sources: ["arm-51021"] },
  { key: "javaVersion", instead: RUNTIME, sources: ["learn-deprecated", "avm-fc1"] },
  { key: "linuxFxVersion", instead: RUNTIME, sources: ["learn-deprecated", "avm-fc1"] },
  { key: "netFrameworkVersion", instead: RUNTIME, sources: ["avm-fc1", "arm-51021"] },
  { key: "nodeVersion", instead: RUNTIME, sources: ["learn-deprecated", "avm-fc1"] },
  { key: "phpVersion", instead: RUNTIME, sources: ["avm-fc1"] },
  { key: "powerShellVersion", instead: RUNTIME, sources: ["learn-deprecated", "avm-fc1"] },
  { key: "preWarmedInstanceCount", instead: `always-ready instances in ${SCALE}`, sources: ["arm-51021"] },
  { key: "pythonVersion", instead: RUNTIME, sources: ["learn-deprecated", "avm-fc1"] },
  { key: "use32BitWorkerProcess", instead: "nothing: Flex runs 64-bit Linux workers", sources: ["avm-fc1", "arm-51021"] },
  { key: "windowsFxVersion", instead: RUNTIME, sources: ["learn-deprecated", "avm-fc1"] },
];

/** The keys of {@link FLEX_UNSUPPORTED_SITE_CONFIG}. */
export const FLEX_REJECTED_SITE_CONFIG: readonly string[] = FLEX_UNSUPPORTED_SITE_CONFIG.map((k) => k.key);

/** Kept for callers of the earlier two-list shape: every key is now in {@link FLEX_REJECTED_SITE_CONFIG}. */
export const FLEX_MAYBE_REJECTED_SITE_CONFIG: readonly string[] = [];

/** What to use instead of `key` on Flex, or undefined when Flex accepts the key (case-insensitive). */
export function flexInstead(key: string): string | undefined {
  return FLEX_UNSUPPORTED_SITE_CONFIG.find((k) => k.key.toLowerCase() === key.toLowerCase())?.instead;
}
