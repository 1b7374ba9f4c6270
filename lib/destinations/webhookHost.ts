/**
 * Webhook hosts that must never receive events: IP literals (a webhook is a named, certificate-bearing
 * HTTPS endpoint; an address bypasses name-based controls), and in particular loopback, link-local
 * (169.254.0.0/16, where cloud instance metadata lives), private (RFC 1918: 10/8, 172.16/12, 192.168/16;
 * RFC 4193 unique local fc00::/7), IPv6 link-local fe80::/10, unspecified (0.0.0.0, ::) addresses.
 * Hosts are read with the WHATWG URL parser, which turns every IPv4 spelling (decimal `2130706433`,
 * hex `0x7f.1`, octal `0177.0.0.1`) into dotted decimal, so no spelling slips past.
 */

/** Why a host is refused, or undefined when it is a DNS name. */
export function webhookHostProblem(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined; // not a URL: the caller reports that on its own
  }
  if (host.startsWith("[")) return `is the IPv6 literal ${host}${ipv6Range(host.slice(1, -1))}`;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4 !== null) return `is the IPv4 literal ${host}${ipv4Range(v4.slice(1).map(Number))}`;
  return undefined;
}

function ipv4Range([a, b]: number[]): string {
  if (a === 127) return " (loopback)";
  if (a === 169 && b === 254) return " (link-local, where instance metadata endpoints live)";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return " (private range)";
  if (a === 0) return " (unspecified)";
  if (a === 100 && b >= 64 && b <= 127) return " (carrier-grade NAT range)";
  return "";
}

function ipv6Range(addr: string): string {
  if (addr === "::1") return " (loopback)";
  if (addr === "::") return " (unspecified)";
  if (/^fe[89ab]/.test(addr)) return " (link-local)";
  if (/^f[cd]/.test(addr)) return " (unique local, private)";
  const mapped = /^::ffff:(.+)$/.exec(addr);
  if (mapped !== null) return " (IPv4-mapped)";
  return "";
}
