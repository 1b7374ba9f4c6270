/** Helpers for the handler-hardening policies (Function Apps, Logic Apps, Data Factory, AML). */

/** True when a `web.WebApp` kind marks a Function App (`functionapp`, `functionapp,linux`, …). */
export function isFunctionApp(kind: string | undefined): boolean {
  return typeof kind === "string" && kind.toLowerCase().split(",").includes("functionapp");
}

/** True when a managed identity block has a system- or user-assigned identity. */
export function hasManagedIdentity(identity: { type?: string } | undefined): boolean {
  return typeof identity?.type === "string" && /SystemAssigned|UserAssigned/i.test(identity.type);
}

/** Compares TLS versions like "1.0", "1.2", "1.3"; undefined when either isn't a version. */
export function tlsAtLeast(version: string, minimum: string): boolean | undefined {
  const parse = (v: string): number[] | undefined => (/^\d+(\.\d+)*$/.test(v) ? v.split(".").map(Number) : undefined);
  const a = parse(version);
  const b = parse(minimum);
  if (a === undefined || b === undefined) return undefined;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}
