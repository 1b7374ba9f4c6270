/**
 * Strict parsing of ARM scopes and role definition ids. Azure RBAC scopes are `/` (root),
 * `/providers/Microsoft.Management/managementGroups/{mg}`, `/subscriptions/{id}`,
 * `/subscriptions/{id}/resourceGroups/{rg}` and resource ids under them (Learn, "Understand scope for
 * Azure RBAC": https://learn.microsoft.com/azure/role-based-access-control/scope-overview). Role
 * definition ids are `{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}` (REST
 * "Role Definitions - Get By Id": https://learn.microsoft.com/rest/api/authorization/role-definitions/get-by-id),
 * where built-in roles also appear tenant-wide as `/providers/Microsoft.Authorization/roleDefinitions/{guid}`.
 * Anything else (dot segments, empty segments, query strings, encodings) is refused, not guessed at.
 */

/** What an ARM scope covers. */
export type ArmScopeKind = "root" | "managementGroup" | "subscription" | "resourceGroup" | "resource";

/** A parsed scope, or why it isn't one. */
export type ParsedScope = { readonly kind: ArmScopeKind; readonly normalized: string } | { readonly error: string };

const GUID_HEX = /^[0-9a-f]{32}$/i;
// eslint-disable-next-line no-control-regex
const NAME = /^[^\u0000-\u001f]+$/;

/** The problem with one path segment, or undefined when it is a plain name. */
function segmentProblem(segment: string): string | undefined {
  if (segment === "") return "has an empty segment ('//')";
  if (segment === "." || segment === "..") return `has a '${segment}' segment`;
  if (/%|\\|\?|#|\s$|^\s/.test(segment)) return `has an encoded, escaped or padded segment ${JSON.stringify(segment)}`;
  if (!NAME.test(segment)) return `has a segment ${JSON.stringify(segment)} that is not an ARM name`;
  return undefined;
}

/** `/a/b` → ["a","b"] after one trailing `/` is dropped; undefined when it doesn't start with `/`. */
function segmentsOf(scope: string): string[] | undefined {
  if (!scope.startsWith("/")) return undefined;
  const body = scope.length > 1 && scope.endsWith("/") ? scope.slice(1, -1) : scope.slice(1);
  return body === "" ? [] : body.split("/");
}

function kindOf(segs: readonly string[]): ArmScopeKind | undefined {
  const eq = (i: number, v: string) => segs[i]?.toLowerCase() === v.toLowerCase();
  if (segs.length === 0) return "root";
  if (segs.length === 4 && eq(0, "providers") && eq(1, "Microsoft.Management") && eq(2, "managementGroups")) return "managementGroup";
  // The subscription segment is not required to be a GUID: documentation placeholders ("…") stay
  // readable; dot segments, encodings and empty segments are already refused per segment.
  if (!eq(0, "subscriptions") || segs.length < 2) return undefined;
  if (segs.length === 2) return "subscription";
  if (!eq(2, "resourceGroups") || segs.length < 4) return undefined;
  if (segs.length === 4) return "resourceGroup";
  // providers/{namespace}/{type}/{name}(/{type}/{name})*, possibly followed by extension resources.
  if (!eq(4, "providers") || segs.length < 8 || (segs.length - 6) % 2 !== 0 || !segs[5].includes(".")) return undefined;
  return "resource";
}

/** Parses an ARM scope strictly (one trailing `/` tolerated); see the file's sources. */
export function parseArmScope(scope: string): ParsedScope {
  const segs = segmentsOf(scope);
  if (segs === undefined) return { error: "does not start with '/'" };
  for (const s of segs) {
    const problem = segmentProblem(s);
    if (problem !== undefined) return { error: problem };
  }
  const kind = kindOf(segs);
  if (kind === undefined) return { error: "is not a root, management group, subscription, resource group or resource id" };
  return { kind, normalized: `/${segs.join("/")}` };
}

/** A parsed role definition id: its GUID (lower case, hyphenated) and the scope it is written under. */
export type ParsedRoleId = { readonly guid: string; readonly scope: string } | { readonly error: string };

/** `{8E3AF657-...}`, `8e3af657a8ff...` or `8e3af657-…` → hyphenated lower case; undefined when not a GUID. */
export function normalizeGuid(value: string): string | undefined {
  const inner = /^\{.*\}$/.test(value) ? value.slice(1, -1) : value;
  const hex = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(inner) ? inner.replace(/-/g, "") : inner;
  if (!GUID_HEX.test(hex)) return undefined;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Parses a role definition id: a bare GUID (any case, with braces or without hyphens), or
 * `{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}` for the tenant (`/providers/…`),
 * a management group, a subscription or a resource group; one trailing `/` is tolerated.
 */
export function parseRoleDefinitionId(value: string): ParsedRoleId {
  const bare = normalizeGuid(value.endsWith("/") ? value.slice(0, -1) : value);
  if (bare !== undefined) return { guid: bare, scope: "/" };
  const m = /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)\/?$/i.exec(value);
  if (m === null) return { error: "is neither a role GUID nor …/providers/Microsoft.Authorization/roleDefinitions/{guid}" };
  const guid = normalizeGuid(m[2]);
  if (guid === undefined) return { error: `ends in ${JSON.stringify(m[2])}, which is not a GUID` };
  if (m[1] === "") return { guid, scope: "/" };
  const scope = parseArmScope(m[1]);
  if ("error" in scope) return { error: `is written under a scope that ${scope.error}` };
  if (scope.kind === "resource" || scope.kind === "root") return { error: "is written under a resource, where role definitions don't live" };
  return { guid, scope: scope.normalized };
}
