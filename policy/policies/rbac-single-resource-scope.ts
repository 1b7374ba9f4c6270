import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { ArmScopeKind, parseArmScope } from "../../lib/rbac/armScope";
import { judgeRoleId } from "../../lib/rbac/privilege";
import { configOf, known, roleLabel, scopeCovers, str, UNKNOWN } from "./common";

/** Knobs of {@link rbacSingleResourceScope}. */
export interface RbacSingleResourceScopeConfig {
  /** Scopes (ARM ids) where wider assignments are accepted anyway. */
  readonly exemptScopes: string[];
}

const KIND_TEXT: Readonly<Record<ArmScopeKind, string>> = {
  root: "is the tenant root",
  managementGroup: "is a management group",
  subscription: "is a subscription",
  resourceGroup: "is a resource group",
  resource: "is one resource",
};

/**
 * Role assignments apply to one resource, never a subscription, management group, root or resource
 * group; a scope that does not parse strictly as an ARM id (dot segments, empty segments, encodings) is
 * a violation too. A privileged role whose scope is unknown during preview is reported: its reach can't
 * be checked before it is granted.
 */
export const rbacSingleResourceScope: ResourceValidationPolicy = {
  name: "rbac-single-resource-scope",
  description: "Role assignments are scoped to a single resource (a well-formed ARM id), never the root, a management group, a subscription or a resource group.",
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
      // Unknown during preview: a plain role is judged at `pulumi up`; a privileged one is reported now.
      const role = known(() => str(props.roleDefinitionId));
      const verdict = typeof role === "string" ? judgeRoleId(role) : undefined;
      if (verdict === undefined || "error" in verdict || !verdict.privileged) return;
      reportViolation(
        `Role ${roleLabel(verdict.guid)} is privileged and its scope is unknown during preview (it comes from a resource this stack creates), so how far it reaches can't be checked before it is granted. ` +
          `Fix: scope the assignment to the one resource the identity needs with a least-privilege role, or give the scope as a literal ARM id.`,
      );
      return;
    }
    if (scope === undefined) return; // malformed assignment: Azure rejects it; nothing to judge here
    const parsed = parseArmScope(scope);
    if ("kind" in parsed && parsed.kind === "resource") return;
    if (config.exemptScopes.some((s) => scopeCovers(s, scope) && scopeCovers(scope, s))) return;
    const what = "error" in parsed ? `is not a well-formed ARM scope (it ${parsed.error})` : KIND_TEXT[parsed.kind];
    reportViolation(
      `Scope ${JSON.stringify(scope)} ${what}, so the role may reach more than one resource. ` +
        `Fix: scope the assignment to the one resource the identity needs, written as its plain ARM id (e.g. /subscriptions/…/resourceGroups/…/providers/Microsoft.EventHub/namespaces/ns/eventhubs/hub), or list the scope in 'exemptScopes'.`,
    );
  }),
};
