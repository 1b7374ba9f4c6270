import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { describeEscalations, escalationsOf } from "../../lib/rbac/privilege";
import { configOf, known, str } from "./common";

/** Knobs of {@link rbacCustomRoleLeastPrivilege}. */
export interface RbacCustomRoleLeastPrivilegeConfig {
  /** Custom role names allowed to break the rule (reviewed elsewhere). */
  readonly exemptRoleNames: string[];
}

/**
 * Custom role definitions declared by these stacks stay least-privilege, judged by their actions as
 * built-in roles are (lib/rbac/privilege.ts): nothing that grants roles, lists keys or secrets, writes
 * code or config that runs as another identity, assigns identities, no provider-wide wildcards
 * (`Microsoft.X/*`, `*`) and no broad data-action wildcards; and never the root scope `/`
 * (Microsoft reserves it for built-in roles). Where a custom role may be assigned is
 * `rbac-custom-role-assignable-scope`'s concern; what it grants is decided by the assignment's scope,
 * which `rbac-single-resource-scope` keeps to one resource.
 */
export const rbacCustomRoleLeastPrivilege: ResourceValidationPolicy = {
  name: "rbac-custom-role-least-privilege",
  description: "Custom role definitions grant no escalation (role writes, key or secret listing, code or config writes, identity assignment, provider-wide or broad data wildcards) and are not assignable at the root scope.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "List the exact actions the identity needs, and set assignableScopes to the resource group (or subscription) where the role is used.",
  configSchema: {
    properties: {
      exemptRoleNames: { type: "array", items: { type: "string" }, default: [], description: "Custom role names allowed to break the rule." },
    },
  },
  validateResource: validateResourceOfType(authorization.RoleDefinition, (props, args, reportViolation) => {
    const config = configOf<RbacCustomRoleLeastPrivilegeConfig>(args, rbacCustomRoleLeastPrivilege.configSchema!);
    const named = known(() => str(props.roleName));
    const roleName = typeof named === "string" ? named : args.name;
    if (config.exemptRoleNames.includes(roleName)) return;
    const permissions = props.permissions ?? [];
    for (const [i, p] of permissions.entries()) {
      const found = escalationsOf([p]);
      if (found.length > 0) {
        reportViolation(
          `Custom role ${roleName} permissions[${i}] can escalate: ${describeEscalations(found)}. ` +
            `Fix: list the exact operations the identity calls (e.g. "Microsoft.DataFactory/factories/pipelines/createrun/action"), or add the role to 'exemptRoleNames' after review.`,
        );
      }
    }
    const root = (props.assignableScopes ?? []).filter((s) => s.trim() === "/");
    if (root.length > 0) {
      reportViolation(
        `Custom role ${roleName} is assignable at the root scope "/", which Microsoft reserves for built-in roles. ` +
          `Fix: set assignableScopes to the resource group (or subscription) where the role is used.`,
      );
    }
  }),
};
