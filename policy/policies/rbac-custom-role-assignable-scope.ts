import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf, scopeKind, show } from "./common";

/** Knobs of {@link rbacCustomRoleAssignableScope}. */
export interface RbacCustomRoleAssignableScopeConfig {
  /** Custom role names allowed to be assignable at a resource instance (reviewed elsewhere). */
  readonly exemptRoleNames: string[];
}

/**
 * Custom roles are made assignable in a resource group, subscription or management group, not at one
 * resource instance. Microsoft Learn, "Understand Azure role definitions" (AssignableScopes): creating
 * a custom role with a resource instance in AssignableScopes is possible from the command line but not
 * recommended, since each tenant holds at most 5,000 custom roles and the access granted is decided by
 * the role assignment's scope, not by AssignableScopes; create the role at a management group,
 * subscription or resource group and assign it narrowly (what `rbac-single-resource-scope` enforces).
 */
export const rbacCustomRoleAssignableScope: ResourceValidationPolicy = {
  name: "rbac-custom-role-assignable-scope",
  description:
    "Custom role definitions are assignable in a resource group, subscription or management group rather than at a single resource instance, which Microsoft advises against (each tenant holds at most 5,000 custom roles, and the assignment's scope is what limits access).",
  // Advisory: Azure accepts such roles; they only spend the tenant's custom-role quota one resource at a time.
  enforcementLevel: "advisory",
  severity: "low",
  tags: ["rbac"],
  url: "https://learn.microsoft.com/azure/role-based-access-control/role-definitions#assignablescopes",
  remediationSteps:
    "Set the custom role's assignableScopes to the resource group (or subscription) holding the resource, and keep the role assignment's scope on the one resource.",
  configSchema: {
    properties: {
      exemptRoleNames: { type: "array", items: { type: "string" }, default: [], description: "Custom role names allowed to be assignable at one resource." },
    },
  },
  validateResource: validateResourceOfType(authorization.RoleDefinition, (props, args, reportViolation) => {
    const config = configOf<RbacCustomRoleAssignableScopeConfig>(args, rbacCustomRoleAssignableScope.configSchema!);
    const roleName = props.roleName ?? args.name;
    if (props.roleType !== undefined && props.roleType !== "CustomRole") args.notApplicable(`roleType is ${show(props.roleType)}`);
    if (config.exemptRoleNames.includes(roleName)) return;
    const instances = (props.assignableScopes ?? []).filter((s) => scopeKind(s) === "resource");
    if (instances.length === 0) return;
    const group = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(instances[0])?.[0];
    reportViolation(
      `Custom role ${roleName} is assignable only at resource instance(s) ${instances.map((s) => JSON.stringify(s)).join(", ")}; Microsoft advises against it ` +
        `(at most 5,000 custom roles per tenant; the assignment's scope is what limits access). ` +
        `Fix: set assignableScopes to ${group !== undefined ? JSON.stringify(group) : "the resource group"} and keep the role assignment scoped to the resource, or add the role to 'exemptRoleNames'.`,
    );
  }),
};
