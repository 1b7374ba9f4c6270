import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { PRIVILEGED_ROLES } from "../../lib/rbac/roles";
import { configOf, known, roleGuidOf, roleLabel, scopeCovers, scopeKind, str, UNKNOWN } from "./common";

/** Knobs of {@link rbacSingleResourceScope}. */
export interface RbacSingleResourceScopeConfig {
  /** Scopes (ARM ids) where wider assignments are accepted anyway. */
  readonly exemptScopes: string[];
}

/** Role assignments apply to one resource, never a subscription, management group, root or resource group. */
export const rbacSingleResourceScope: ResourceValidationPolicy = {
  name: "rbac-single-resource-scope",
  description: "Role assignments are scoped to a single resource, never the root, a management group, a subscription or a resource group.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Set the assignment's scope to the ARM id of the one resource the identity uses.",
  configSchema: {
    properties: {
      exemptScopes: { type: "array", items: { type: "string" }, default: [], description: "ARM scopes where wider assignments are accepted." },
    },
  },
  validateResource: validateResourceOfType(authorization.RoleAssignment, (props, args, reportViolation) => {
    const config = configOf<RbacSingleResourceScopeConfig>(args, rbacSingleResourceScope.configSchema!);
    const scope = known(() => str(props.scope));
    if (scope === UNKNOWN) {
      // Unknown during preview: a plain role is judged at `pulumi up`; a privileged one is reported now,
      // because its reach can't be checked before it is granted.
      const role = known(() => str(props.roleDefinitionId));
      const guid = typeof role === "string" ? roleGuidOf(role) : undefined;
      if (guid === undefined || !PRIVILEGED_ROLES.includes(guid)) return;
      reportViolation(
        `Role ${roleLabel(guid)} is privileged and its scope is unknown during preview (it comes from a resource this stack creates), so how far it reaches can't be checked before it is granted. ` +
          `Fix: scope the assignment to the one resource the identity needs with a least-privilege role, or give the scope as a literal ARM id.`,
      );
      return;
    }
    if (scope === undefined) return; // malformed assignment: Azure rejects it; nothing to judge here
    const kind = scopeKind(scope);
    if (kind === "resource") return;
    if (config.exemptScopes.some((s) => scopeCovers(s, scope) && scopeCovers(scope, s))) return;
    const what =
      kind === "invalid" ? "is not an ARM scope" : kind === "root" ? "is the tenant root" : `is a ${kind.replace("managementGroup", "management group").replace("resourceGroup", "resource group")}`;
    reportViolation(
      `Scope ${JSON.stringify(scope)} ${what}, so the role reaches every resource under it. ` +
        `Fix: scope the assignment to the one resource the identity needs (e.g. /subscriptions/…/resourceGroups/…/providers/Microsoft.EventHub/namespaces/ns/eventhubs/hub), or list the scope in 'exemptScopes'.`,
    );
  }),
};
