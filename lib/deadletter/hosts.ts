/**
 * Where the dead-letter tool may send a Microsoft Entra token.
 *
 * A token for Storage or Event Hubs is a bearer credential: whoever receives it can act as the signed-in user
 * until it expires. So a token goes only to a host of the Azure service it was issued for, in the public cloud or
 * a sovereign cloud, unless the user names another host explicitly (`--allow-token-host`, for Azurite or a
 * loopback test server). Endpoint suffixes:
 * - public cloud: `<account>.blob.core.windows.net`, `<account>.queue.core.windows.net`,
 *   `<namespace>.servicebus.windows.net` ("Storage account overview — standard endpoints" and "Event Hubs
 *   features — namespace", Microsoft Learn);
 * - Azure operated by 21Vianet (China): `core.chinacloudapi.cn` for Storage, `servicebus.chinacloudapi.cn` for
 *   Service Bus and Event Hubs ("Azure China developer guide — check endpoints in Azure",
 *   https://learn.microsoft.com/azure/china/resources-developer-guide);
 * - Azure Government: `core.usgovcloudapi.net` for Storage, `servicebus.usgovcloudapi.net` for Service Bus and
 *   Event Hubs ("Compare Azure Government and global Azure — guidance for developers",
 *   https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure).
 * The same suffixes are the `storageEndpointSuffix` / `serviceBusEndpointSuffix` of each cloud in the Azure SDKs'
 * environment tables (e.g. hashicorp/go-azure-sdk `sdk/environments`, Azure/aks-traffic-manager cloud files).
 */

/** Azure services the tool signs in to. */
export type TokenService = "blob" | "queue" | "eventHubs";

const CLOUDS = ["windows.net", "chinacloudapi.cn", "usgovcloudapi.net"] as const;

/** Host suffixes (with the leading dot) of each service, in every cloud. */
export const TOKEN_HOST_SUFFIXES: Readonly<Record<TokenService, readonly string[]>> = {
  blob: CLOUDS.map((c) => `.blob.core.${c}`),
  queue: CLOUDS.map((c) => `.queue.core.${c}`),
  eventHubs: CLOUDS.map((c) => `.servicebus.${c}`),
};

const SERVICE_NAMES: Readonly<Record<TokenService, string>> = { blob: "a Blob Storage", queue: "a Queue Storage", eventHubs: "an Event Hubs" };

/** Lower-case `host[:port]` of a URL as the user would write it for `--allow-token-host`. */
function hostOf(u: URL): string {
  return u.host.toLowerCase();
}

/** Whether `hostname` is exactly one DNS label in front of one of the service's suffixes. */
export function isServiceHost(hostname: string, service: TokenService): boolean {
  const h = hostname.toLowerCase();
  return TOKEN_HOST_SUFFIXES[service].some((suffix) => h.endsWith(suffix) && /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(h.slice(0, -suffix.length)));
}

/** Whether the host is the loopback interface (plain HTTP is only ever accepted there). */
export function isLoopback(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

/**
 * Problems with sending a token for `service` to `url` (empty when allowed). `flag` names the option the URL came
 * from; `allowed` holds the `host[:port]` values the user allowed with `--allow-token-host`.
 */
export function tokenHostProblems(flag: string, url: URL, service: TokenService, allowed: readonly string[]): string[] {
  const host = hostOf(url);
  const explicitly = allowed.map((a) => a.toLowerCase()).includes(host);
  if (url.username !== "" || url.password !== "") return [`${flag}: a URL with user name or password is not accepted; give https://<host>/… only.`];
  if (explicitly) {
    if (url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname))) return [];
    return [`${flag}: ${url.protocol}// is accepted only for a loopback host (127.0.0.1, localhost); use https://.`];
  }
  if (url.protocol !== "https:") return [`${flag}: a Microsoft Entra token is sent only over https://; got ${url.protocol}// ${host}.`];
  if (isServiceHost(url.hostname, service)) return [];
  return [
    `${flag}: ${host} is not ${SERVICE_NAMES[service]} host (*${TOKEN_HOST_SUFFIXES[service].join(", *")}); ` +
      `the tool sends your Microsoft Entra token only there. If you trust ${host} (an emulator or a test server), pass --allow-token-host ${host}.`,
  ];
}

/** Throws the first problem of {@link tokenHostProblems}. */
export function checkTokenHost(flag: string, url: URL, service: TokenService, allowed: readonly string[]): void {
  const [problem] = tokenHostProblems(flag, url, service, allowed);
  if (problem) throw new Error(problem);
}
