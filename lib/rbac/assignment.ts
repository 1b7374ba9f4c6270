import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { parseArmScope } from "./armScope";
import { deterministicGuid } from "./guid";
import { describeEscalations, judgeRoleId } from "./privilege";
import { BuiltInRole, BuiltInRoleName, roleDefinitionIdFor } from "./roles";

/**
 * An explicit, reviewed exception that lets {@link assignRole} grant a role the action judgement
 * (lib/rbac/privilege.ts) calls privileged, on one kind of target only.
 */
export interface PrivilegedRoleAllowance {
  /** Resource type the grant's scope must be, e.g. `Microsoft.Web/sites`; any other target is still refused. */
  readonly targetType: string;
  /** Why this identity needs the privileged role on that target (kept in the error trail and the grant's description). */
  readonly reason: string;
}

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
  /**
   * Accept a privileged role on one kind of target, after review. Without it every privileged role is
   * refused. @default - none: privileged roles are refused
   */
  readonly allowPrivileged?: PrivilegedRoleAllowance;
  /** An ABAC condition limiting the grant. @default - none */
  readonly condition?: string;
  /** Version of the condition language. @default - "2.0" when `condition` is set */
  readonly conditionVersion?: "2.0";
}

/** True when `scope` is a single resource (has a `/providers/…/{type}/{name}` tail), not a subscription or resource group. */
export function isSingleResourceScope(scope: string): boolean {
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+/i.test(scope);
}

/** `Microsoft.Web/sites` for a site id (child types joined: `Microsoft.Storage/storageAccounts/queueServices/queues`); undefined when not a resource. */
export function resourceTypeOfScope(scope: string): string | undefined {
  const parsed = parseArmScope(scope);
  if ("error" in parsed || parsed.kind !== "resource") return undefined;
  const segs = parsed.normalized.split("/").slice(6);
  return [segs[0], ...segs.slice(1).filter((_, i) => i % 2 === 0)].join("/");
}

/**
 * Why granting `roleDefinitionId` on `scope` is refused, or undefined when it is not: an unparsable role
 * id, or a role whose actions are privileged without an allowance naming the scope's resource type.
 * `scope` undefined means "not known yet" (checked again once it resolves).
 */
export function privilegedGrantProblem(name: string, roleDefinitionId: string, scope: string | undefined, allowance?: PrivilegedRoleAllowance): string | undefined {
  const verdict = judgeRoleId(roleDefinitionId);
  if ("error" in verdict) return `assignRole(${name}): role ${JSON.stringify(roleDefinitionId)} ${verdict.error}; pass a built-in role name or /subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}.`;
  if (!verdict.privileged) return undefined;
  const type = scope === undefined ? undefined : resourceTypeOfScope(scope);
  const allowed = allowance !== undefined && allowance.reason.trim() !== "" && type !== undefined && type.toLowerCase() === allowance.targetType.toLowerCase();
  if (allowed || (scope === undefined && allowance !== undefined)) return undefined;
  const label = verdict.builtIn ?? verdict.guid;
  const why = verdict.escalations.length > 0 ? ` (its actions: ${describeEscalations(verdict.escalations)})` : "";
  const fix = allowance === undefined
    ? `pass allowPrivileged: { targetType: ${JSON.stringify(type ?? "<the target's resource type>")}, reason: "…" } after review`
    : `allowPrivileged names targetType ${JSON.stringify(allowance.targetType)}${allowance.reason.trim() === "" ? " with an empty reason" : ""}, but the scope is ${type === undefined ? "not one resource" : `a ${type}`}`;
  return `assignRole(${name}): role ${label} is privileged${why}. Grant a data-plane or service-specific role with exactly the actions used instead, or ${fix}.`;
}

/**
 * Grants `role` to `principalId` on exactly one resource. The assignment's name is a deterministic
 * GUID of (scope, principal, role), so re-running never piles up duplicates. Refuses scopes wider than
 * one resource and every role the action judgement calls privileged (Owner, Contributor, the access
 * administrators, Storage Account Contributor, Website Contributor, …) unless `allowPrivileged` names
 * the target's resource type.
 */
export function assignRole(name: string, grant: RoleGrant, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment {
  const fail = (message: string): never => {
    throw new pulumi.ResourceError(message, opts.parent);
  };
  const role = grant.role;
  const knownScope = typeof grant.scope === "string" ? grant.scope : undefined;
  const wide = (s: string): string => `assignRole(${name}): scope ${JSON.stringify(s)} is wider than one resource; pass the resource id the identity needs.`;
  // Known values are checked now; values that come from other resources are checked once they resolve.
  if (knownScope !== undefined && !isSingleResourceScope(knownScope)) fail(wide(knownScope));
  const literalRole = typeof role === "string" ? BuiltInRole[role] : typeof role.roleDefinitionId === "string" ? role.roleDefinitionId : undefined;
  const early = literalRole === undefined ? undefined : privilegedGrantProblem(name, literalRole, knownScope, grant.allowPrivileged);
  if (early !== undefined) fail(early);
  const scope = pulumi.output(grant.scope).apply((s) => {
    if (s && !isSingleResourceScope(s)) fail(wide(s));
    return s;
  });
  const roleDefinitionId = typeof role === "string" ? scope.apply((s) => roleDefinitionIdFor(s, BuiltInRole[role])) : pulumi.output(role.roleDefinitionId);
  const checkedRole = pulumi.all([scope, roleDefinitionId]).apply(([s, r]) => {
    const problem = s && r ? privilegedGrantProblem(name, r, s, grant.allowPrivileged) : undefined;
    return problem === undefined ? r : fail(problem);
  });
  const description = grant.description ?? (grant.allowPrivileged ? `Privileged grant allowed: ${grant.allowPrivileged.reason}` : undefined);
  return new authorization.RoleAssignment(
    name,
    {
      roleAssignmentName: pulumi
        .all([scope, grant.principalId, checkedRole])
        .apply(([s, p, r]) => deterministicGuid(s.toLowerCase(), p, r.split("/").pop() ?? r)),
      scope,
      principalId: grant.principalId,
      principalType: grant.principalType ?? "ServicePrincipal",
      roleDefinitionId: checkedRole,
      ...(description ? { description } : {}),
      ...(grant.condition ? { condition: grant.condition, conditionVersion: grant.conditionVersion ?? "2.0" } : {}),
    },
    opts,
  );
}
