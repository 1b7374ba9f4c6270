import { createHash } from "crypto";

/**
 * A deterministic, RFC 4122-shaped (version 5 style) GUID from the given parts. Role assignment
 * names must be GUIDs; deriving them from (scope, principal, role) makes them stable across runs
 * and makes a duplicate assignment collide instead of piling up.
 */
export function deterministicGuid(...parts: readonly string[]): string {
  const hash = createHash("sha1").update(parts.join("\u0000")).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
