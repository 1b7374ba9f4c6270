/**
 * AVM `roleAssignments`: extra grants on a component's main resource. A role is named by a built-in
 * role name lib/rbac classifies (any case and spacing: "Storage Blob Data Contributor",
 * `StorageBlobDataContributor`), by its GUID (any spelling lib/rbac's `normalizeGuid` accepts) or by a
 * role definition id. It is then judged by what it can do (lib/rbac/privilege.ts): Owner, Contributor,
 * User Access Administrator, RBAC Administrator and every classified role that can grant roles, list
 * keys or secrets, write code or config or assign identities are refused, whatever the spelling.
 * A custom role's id can't be judged here (its actions live in the tenant); the policy pack judges it.
 * Reader's GUID: Learn, "Azure built-in roles for General"
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general).
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { normalizeGuid, parseRoleDefinitionId } from "../rbac/armScope";
import { assignRole } from "../rbac/assignment";
import { deterministicGuid } from "../rbac/guid";
import { describeEscalations, judgeRoleId } from "../rbac/privilege";
import { BuiltInRole, roleDefinitionIdFor } from "../rbac/roles";
import { RoleAssignment } from "./types";

/** Built-in roles users commonly grant that lib/rbac doesn't list (read-only roles). */
const EXTRA_ROLE_NAMES: Readonly<Record<string, string>> = { Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7" };

/** Short names people use for a role, mapped to the table's name. */
const ROLE_ALIASES: Readonly<Record<string, string>> = { rbacadministrator: "RoleBasedAccessControlAdministrator", azureeventhubsdatasender: "AzureEventHubsDataSender" };

/** A resolved role: its GUID, its table name when known, and the full id when one was given. */
export type ResolvedRole = { readonly guid: string; readonly name?: string; readonly definitionId?: string } | { readonly error: string };

const squash = (s: string): string => s.replace(/[\s_-]/g, "").toLowerCase();

/** The GUID of a role name we know (ignoring case, spaces, hyphens and underscores), or undefined. */
function roleGuidByName(value: string): { guid: string; name: string } | undefined {
  const key = squash(value);
  const table: Record<string, string> = { ...BuiltInRole, ...EXTRA_ROLE_NAMES };
  const name = ROLE_ALIASES[key] ?? Object.keys(table).find((k) => squash(k) === key);
  return name === undefined ? undefined : { guid: table[name], name };
}

/** Resolves a role name, GUID or role definition id; see the file's notes. */
export function resolveRole(value: string): ResolvedRole {
  const byName = roleGuidByName(value);
  if (byName !== undefined) return byName;
  const parsed = parseRoleDefinitionId(value.trim() === value ? value : "\u0000");
  if ("error" in parsed) {
    const known = [...Object.keys(EXTRA_ROLE_NAMES), ...Object.keys(BuiltInRole)].join(", ");
    return { error: `is neither a role this library knows by name (${known}) nor a role GUID or …/providers/Microsoft.Authorization/roleDefinitions/{guid}` };
  }
  return { guid: parsed.guid, ...(parsed.scope !== "/" ? { definitionId: value.replace(/\/$/, "") } : {}) };
}

/** Problems with one `roleDefinitionIdOrName`: unresolvable, or a privileged role. */
export function resolveRoleProblems(component: string, argName: string, value: unknown): string[] {
  if (typeof value !== "string" || value.length === 0) return [`${component}: ${argName} ${JSON.stringify(value)} is not a role; pass a role name such as "Reader", a role GUID or a role definition id.`];
  const role = resolveRole(value);
  if ("error" in role) return [`${component}: ${argName} ${JSON.stringify(value)} ${role.error}. Pass the role's GUID from Learn's built-in roles page, or a custom role's id.`];
  const verdict = judgeRoleId(`/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`);
  if ("error" in verdict || !verdict.privileged) return [];
  const why = verdict.escalations.length > 0 ? describeEscalations(verdict.escalations) : "it can take over the resource";
  return [
    `${component}: ${argName} ${JSON.stringify(value)} is the privileged role ${verdict.builtIn ?? role.guid} (${why}); ` +
      `grant a data-plane or read-only role instead (e.g. "Reader", "StorageBlobDataReader"-style roles by GUID), or a custom role with only the actions needed.`,
  ];
}

/** The Pulumi child name of one grant: stable under reordering when the principal is known. */
export function roleAssignmentChildName(name: string, guid: string, principalId: pulumi.Input<string>, index: number): string {
  const who = typeof principalId === "string" ? (normalizeGuid(principalId) ?? principalId) : `#${index}`;
  return `${name}-ra-${deterministicGuid(guid, who).slice(0, 8)}`;
}

/**
 * Creates one `authorization.RoleAssignment` per entry on `scope` through lib/rbac's `assignRole`
 * (deterministic assignment names, one-resource scopes only). Entries must have passed
 * `validateRoleAssignments`; an unresolvable one throws.
 */
export function createRoleAssignments(name: string, assignments: readonly RoleAssignment[] | undefined, scope: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment[] {
  return (assignments ?? []).map((a, i) => {
    const role = resolveRole(a.roleDefinitionIdOrName);
    if ("error" in role) throw new pulumi.ResourceError(`${name}: roleAssignments[${i}] ${role.error}`, opts.parent);
    const roleDefinitionId = role.definitionId ?? pulumi.output(scope).apply((s) => roleDefinitionIdFor(s, role.guid));
    return assignRole(
      roleAssignmentChildName(name, role.guid, a.principalId, i),
      {
        scope,
        principalId: typeof a.principalId === "string" ? (normalizeGuid(a.principalId) ?? a.principalId) : a.principalId,
        role: { roleDefinitionId },
        principalType: a.principalType ?? "ServicePrincipal",
        ...(a.description !== undefined ? { description: a.description } : {}),
        ...(a.condition !== undefined ? { condition: a.condition, conditionVersion: "2.0" as const } : {}),
      },
      opts,
    );
  });
}
