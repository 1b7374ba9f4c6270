import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, knownText, str } from "./common";

/** Role assignments say what kind of principal they grant to. */
export const rbacPrincipalTypeSet: ResourceValidationPolicy = {
  name: "rbac-principal-type-set",
  description: "Role assignments set principalType, so Azure doesn't fail a fresh managed identity with PrincipalNotFound while Entra ID replicates it.",
  // Mandatory: without it the first deployment of a new identity's grant can fail (PrincipalNotFound), and a
  // missing type is also how a hand-written grant differs from assignRole's.
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: validateResourceOfType(authorization.RoleAssignment, (props, _args, reportViolation) => {
    if (props.principalType !== undefined && props.principalType !== "") return;
    reportViolation(
      `principalType is not set for principal ${knownText(known(() => str(props.principalId)))}. Fix: set principalType: "ServicePrincipal" for managed identities ("User" or "Group" for people), as assignRole() does.`,
    );
  }),
};
