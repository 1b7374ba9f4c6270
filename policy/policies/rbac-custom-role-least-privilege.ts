import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf } from "./common";

/** Knobs of {@link rbacCustomRoleLeastPrivilege}. */
export interface RbacCustomRoleLeastPrivilegeConfig {
  /** Custom role names allowed to break the rule (reviewed elsewhere). */
  readonly exemptRoleNames: string[];
}

/** Actions that make a custom role as powerful as Owner or Contributor. */
function broadActions(actions: readonly string[]): string[] {
  return actions.filter((a) => a.trim() === "*" || /^\*\//.test(a) || /^Microsoft\.Authorization\/(\*|.*\/(write|delete|\*))$/i.test(a.trim()));
}

/**
 * Custom role definitions declared by these stacks stay least-privilege: no `*` actions and no writes on
 * `Microsoft.Authorization` (which let a principal grant itself anything), and never the root scope `/`
 * (Microsoft reserves it for built-in roles). Where a custom role may be assigned is
 * `rbac-custom-role-assignable-scope`'s concern; what it grants is decided by the assignment's scope,
 * which `rbac-single-resource-scope` keeps to one resource.
 */
export const rbacCustomRoleLeastPrivilege: ResourceValidationPolicy = {
  name: "rbac-custom-role-least-privilege",
  description: "Custom role definitions have no wildcard or Microsoft.Authorization write actions and are not assignable at the root scope.",
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
    const roleName = props.roleName ?? args.name;
    if (config.exemptRoleNames.includes(roleName)) return;
    for (const [i, p] of (props.permissions ?? []).entries()) {
      const broad = [...broadActions(p.actions ?? []), ...broadActions(p.dataActions ?? [])];
      if (broad.length > 0) {
        reportViolation(
          `Custom role ${roleName} permissions[${i}] grants ${broad.map((a) => JSON.stringify(a)).join(", ")}, which is as powerful as Owner or Contributor. ` +
            `Fix: list the exact actions the identity needs (e.g. "Microsoft.Communication/CommunicationServices/Read"), or add the role to 'exemptRoleNames' after review.`,
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
