import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { deterministicGuid } from "./guid";
import { BuiltInRole, BuiltInRoleName, PRIVILEGED_ROLES, roleDefinitionIdFor } from "./roles";

/** Arguments of {@link assignRole}. */
export interface RoleGrant {
  /** The ARM id of the ONE resource the role applies to (never a subscription or resource group). */
  readonly scope: pulumi.Input<string>;
  /** Object id of the managed identity receiving the role. */
  readonly principalId: pulumi.Input<string>;
  /** A built-in role name, or a custom role definition's full ARM id. */
  readonly role: BuiltInRoleName | { readonly roleDefinitionId: pulumi.Input<string> };
  /** Kind of principal; managed identities are service principals. @default "ServicePrincipal" */
  readonly principalType?: "ServicePrincipal" | "User" | "Group" | "ForeignGroup" | "Device";
  /** Why the grant exists, shown in the portal. @default - none */
  readonly description?: string;
  /** An ABAC condition limiting the grant. @default - none */
  readonly condition?: string;
  /** Version of the condition language. @default - "2.0" when `condition` is set */
  readonly conditionVersion?: "2.0";
}

/** True when `scope` is a single resource (has a `/providers/…/{type}/{name}` tail), not a subscription or resource group. */
export function isSingleResourceScope(scope: string): boolean {
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+/i.test(scope);
}

/**
 * Grants `role` to `principalId` on exactly one resource. The assignment's name is a deterministic
 * GUID of (scope, principal, role), so re-running never piles up duplicates. Refuses privileged roles
 * (Owner, Contributor, User Access Administrator, RBAC Administrator) and scopes wider than one resource.
 */
export function assignRole(name: string, grant: RoleGrant, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment {
  if (typeof grant.role === "string" && (PRIVILEGED_ROLES as readonly string[]).includes(BuiltInRole[grant.role])) {
    throw new pulumi.ResourceError(`assignRole(${name}): role ${grant.role} is privileged; grant a data-plane or service-specific role instead.`, opts.parent);
  }
  const role = grant.role;
  const wide = (s: string): string => `assignRole(${name}): scope ${JSON.stringify(s)} is wider than one resource; pass the resource id the identity needs.`;
  // A known scope is checked now; one that comes from another resource is checked once it resolves.
  if (typeof grant.scope === "string" && !isSingleResourceScope(grant.scope)) throw new pulumi.ResourceError(wide(grant.scope), opts.parent);
  const scope = pulumi.output(grant.scope).apply((s) => {
    if (s && !isSingleResourceScope(s)) throw new pulumi.ResourceError(wide(s), opts.parent);
    return s;
  });
  const roleDefinitionId =
    typeof role === "string" ? scope.apply((s) => roleDefinitionIdFor(s, BuiltInRole[role])) : pulumi.output(role.roleDefinitionId);
  return new authorization.RoleAssignment(
    name,
    {
      roleAssignmentName: pulumi
        .all([scope, grant.principalId, roleDefinitionId])
        .apply(([s, p, r]) => deterministicGuid(s.toLowerCase(), p, r.split("/").pop() ?? r)),
      scope,
      principalId: grant.principalId,
      principalType: grant.principalType ?? "ServicePrincipal",
      roleDefinitionId,
      ...(grant.description ? { description: grant.description } : {}),
      ...(grant.condition ? { condition: grant.condition, conditionVersion: grant.conditionVersion ?? "2.0" } : {}),
    },
    opts,
  );
}
