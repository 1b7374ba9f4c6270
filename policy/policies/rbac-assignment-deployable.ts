import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { normalizeGuid } from "../../lib/rbac/armScope";
import { known, str, UNKNOWN } from "./common";

const GUID_FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The problems Azure would reject the assignment for, from the fields known now (unknown values are skipped). */
export function assignmentDeployProblems(props: Record<string, unknown>, read: <T>(f: () => T) => T | typeof UNKNOWN = known): string[] {
  const problems: string[] = [];
  const name = read(() => str(props.roleAssignmentName));
  if (typeof name === "string" && !GUID_FORM.test(name)) {
    problems.push(`roleAssignmentName ${JSON.stringify(name)} is not a GUID; Azure names role assignments by GUID. Fix: omit it (a GUID is generated) or derive one (assignRole uses a deterministic GUID of scope, principal and role).`);
  }
  // An empty principalId is what a component passes when the provider returned no principal for an identity
  // (offline providers do); Azure refuses it at deploy with its own error. Any other non-GUID is a mistake.
  const principal = read(() => str(props.principalId));
  if (typeof principal === "string" && principal !== "" && !GUID_FORM.test(principal)) {
    const hint = normalizeGuid(principal) !== undefined ? ` Write it as ${normalizeGuid(principal)}.` : " Use the object id of the identity (e.g. a managed identity's principalId), not its name or client id URL.";
    problems.push(`principalId ${JSON.stringify(principal)} is not an object id (a hyphenated GUID).${hint}`);
  }
  const condition = read(() => str(props.condition));
  const version = read(() => str(props.conditionVersion));
  if (typeof condition === "string" && condition.trim() !== "" && version !== UNKNOWN && version !== "2.0") {
    problems.push(`condition is set with conditionVersion ${JSON.stringify(version)}; the only version Azure accepts is "2.0". Fix: set conditionVersion: "2.0".`);
  }
  if (version !== UNKNOWN && version !== undefined && (condition === undefined || (typeof condition === "string" && condition.trim() === ""))) {
    problems.push(`conditionVersion ${JSON.stringify(version)} is set without a condition; Azure rejects it. Fix: remove conditionVersion or add the condition.`);
  }
  return problems;
}

/**
 * Role assignments Azure would refuse at deploy time, caught at preview: a `roleAssignmentName` that is
 * not a GUID (REST "Role Assignments - Create": "The name of the role assignment. It can be any valid
 * GUID."), a `principalId` that is not an object id, a `condition` without `conditionVersion` "2.0" or a
 * version without a condition ("Currently the only accepted value is '2.0'"),
 * https://learn.microsoft.com/rest/api/authorization/role-assignments/create .
 */
export const rbacAssignmentDeployable: ResourceValidationPolicy = {
  name: "rbac-assignment-deployable",
  description: "Role assignments are deployable: a GUID name, an object-id principal, and a condition only with conditionVersion \"2.0\" (what Azure's Role Assignments - Create accepts).",
  enforcementLevel: "mandatory",
  severity: "medium",
  tags: ["rbac", "deploy-readiness"],
  url: "https://learn.microsoft.com/rest/api/authorization/role-assignments/create",
  remediationSteps: "Let assignRole name the assignment (a deterministic GUID), pass the identity's principalId (object id), and pair a condition with conditionVersion \"2.0\".",
  validateResource: validateResourceOfType(authorization.RoleAssignment, (props, _args, reportViolation) => {
    for (const problem of assignmentDeployProblems(props as unknown as Record<string, unknown>)) reportViolation(problem);
  }),
};
