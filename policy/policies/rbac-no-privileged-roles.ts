import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { describeEscalations, judgeRoleId } from "../../lib/rbac/privilege";
import { configOf, known, knownText, resourceTypeOf, roleGuids, roleLabel, str, UNKNOWN } from "./common";

/** Knobs of {@link rbacNoPrivilegedRoles}. */
export interface RbacNoPrivilegedRolesConfig {
  /** Privileged roles (built-in names, GUIDs or role definition ids) this pack should nonetheless allow anywhere. */
  readonly allowedRoles: string[];
  /** Resource type → privileged roles accepted on a resource of that type (judged only when the scope is known). */
  readonly allowedOnTargets: Record<string, string[]>;
  /** Principal object ids allowed to receive privileged roles (e.g. a break-glass group). */
  readonly exemptPrincipalIds: string[];
}

/** True when the config accepts privileged `guid` on `scope` (a known resource of a listed type). */
function allowedOnTarget(config: RbacNoPrivilegedRolesConfig, scope: string | undefined | typeof UNKNOWN, guid: string): boolean {
  if (typeof scope !== "string") return false;
  const type = resourceTypeOf(scope)?.toLowerCase();
  const key = Object.keys(config.allowedOnTargets).find((k) => k.toLowerCase() === type);
  return key !== undefined && roleGuids(config.allowedOnTargets[key]).includes(guid);
}

/**
 * No role that lets its holder escalate: Owner, Contributor, the access administrators, and every
 * classified built-in role whose ACTIONS grant roles, list keys or secrets, write code or config that
 * runs as another identity, assign identities, or carry provider-wide wildcards (lib/rbac/privilege.ts,
 * lib/rbac/builtInRoles.ts). Role ids are parsed strictly; an unparsable one is a violation. The policy
 * decides on the role alone: a scope or principal unknown during preview never reaches the message, so
 * `@pulumi/policy` cannot turn the verdict into its "can't run during preview" advisory.
 */
export const rbacNoPrivilegedRoles: ResourceValidationPolicy = {
  name: "rbac-no-privileged-roles",
  description: "Role assignments never grant a role that can escalate (Owner, Contributor, access administrators, or any role whose actions grant roles, list keys or secrets, write code or config, assign identities, or use provider-wide wildcards), and name their role by a well-formed id.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Grant a data-plane role or a custom role with exactly the actions the identity uses, on the one resource it uses.",
  configSchema: {
    properties: {
      allowedRoles: { type: "array", items: { type: "string" }, default: [], description: "Privileged roles to allow anywhere (names, GUIDs or role definition ids)." },
      allowedOnTargets: {
        type: "object",
        additionalProperties: { type: "array", items: { type: "string" } },
        default: {},
        description: "Resource type → privileged roles accepted on one resource of that type (needs a known scope).",
      },
      exemptPrincipalIds: { type: "array", items: { type: "string" }, default: [], description: "Principal object ids allowed to receive privileged roles." },
    },
  },
  validateResource: validateResourceOfType(authorization.RoleAssignment, (props, args, reportViolation) => {
    const config = configOf<RbacNoPrivilegedRolesConfig>(args, rbacNoPrivilegedRoles.configSchema!);
    // An unknown role id (e.g. a custom role created by the same stack) is judged at `pulumi up`, when the
    // engine runs the pack again on resolved inputs; a missing one is malformed (Azure rejects it).
    const roleDefinitionId = known(() => str(props.roleDefinitionId));
    if (roleDefinitionId === UNKNOWN || roleDefinitionId === undefined) return;
    const verdict = judgeRoleId(roleDefinitionId);
    if ("error" in verdict) {
      reportViolation(
        `roleDefinitionId ${JSON.stringify(roleDefinitionId)} ${verdict.error}, so the pack can't tell which role it grants. ` +
          `Fix: write it as /subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{role GUID} (or the tenant-wide /providers/… form).`,
      );
      return;
    }
    const guid = verdict.guid;
    if (!verdict.privileged || roleGuids(config.allowedRoles).includes(guid)) return;
    const scope = known(() => str(props.scope));
    if (allowedOnTarget(config, scope, guid)) return;
    const principal = known(() => str(props.principalId)?.toLowerCase());
    if (principal !== UNKNOWN && principal !== undefined && config.exemptPrincipalIds.map((p) => p.toLowerCase()).includes(principal)) return;
    const why = verdict.escalations.length > 0 ? ` Its actions: ${describeEscalations(verdict.escalations)}.` : "";
    reportViolation(
      `Role ${roleLabel(guid)} is privileged: it lets principal ${knownText(principal)} take over scope ${knownText(scope)}.${why} ` +
        `Fix: grant a least-privilege role instead (a data role, or a custom role with exactly the actions used, on the one target resource), or accept it for that target type in 'allowedOnTargets' (or anywhere in 'allowedRoles') in the policy config.`,
    );
  }),
};
