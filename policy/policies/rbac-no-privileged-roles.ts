import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { PRIVILEGED_ROLES } from "../../lib/rbac/roles";
import { configOf, known, knownText, roleGuidOf, roleGuids, roleLabel, str, UNKNOWN } from "./common";

/** Knobs of {@link rbacNoPrivilegedRoles}. */
export interface RbacNoPrivilegedRolesConfig {
  /** Privileged roles (built-in names, GUIDs or role definition ids) this pack should nonetheless allow. */
  readonly allowedRoles: string[];
  /** Principal object ids allowed to receive privileged roles (e.g. a break-glass group). */
  readonly exemptPrincipalIds: string[];
}

/**
 * No Owner, Contributor, User Access Administrator or RBAC Administrator assignments. The policy decides
 * on the role alone: a scope or principal that is unknown during preview (an Output of a resource the
 * same stack creates) never reaches the message, so `@pulumi/policy` cannot turn the verdict into its
 * "can't run during preview" advisory.
 */
export const rbacNoPrivilegedRoles: ResourceValidationPolicy = {
  name: "rbac-no-privileged-roles",
  description: "Role assignments made by these stacks never grant Owner, Contributor, User Access Administrator or Role Based Access Control Administrator.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Grant the data-plane or service role the identity needs (e.g. Azure Event Hubs Data Sender, Data Factory Contributor) on the one resource it uses.",
  configSchema: {
    properties: {
      allowedRoles: { type: "array", items: { type: "string" }, default: [], description: "Privileged roles to allow anyway (names, GUIDs or role definition ids)." },
      exemptPrincipalIds: { type: "array", items: { type: "string" }, default: [], description: "Principal object ids allowed to receive privileged roles." },
    },
  },
  validateResource: validateResourceOfType(authorization.RoleAssignment, (props, args, reportViolation) => {
    const config = configOf<RbacNoPrivilegedRolesConfig>(args, rbacNoPrivilegedRoles.configSchema!);
    // An unknown role id (e.g. a custom role created by the same stack) is judged at `pulumi up`, when the
    // engine runs the pack again on resolved inputs; a missing one is malformed (Azure rejects it).
    const roleDefinitionId = known(() => str(props.roleDefinitionId));
    if (roleDefinitionId === UNKNOWN || roleDefinitionId === undefined) return;
    const guid = roleGuidOf(roleDefinitionId);
    if (!PRIVILEGED_ROLES.includes(guid) || roleGuids(config.allowedRoles).includes(guid)) return;
    const principal = known(() => str(props.principalId)?.toLowerCase());
    if (principal !== UNKNOWN && principal !== undefined && config.exemptPrincipalIds.map((p) => p.toLowerCase()).includes(principal)) return;
    reportViolation(
      `Role ${roleLabel(guid)} is privileged: it lets principal ${knownText(principal)} take over scope ${knownText(known(() => str(props.scope)))}. ` +
        `Fix: grant a least-privilege role instead (e.g. a data role on the one target resource), or add the role to 'allowedRoles' in the policy config if this stack really must grant it.`,
    );
  }),
};
