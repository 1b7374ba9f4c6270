/**
 * The evasion corpus: stacks written to slip past the pack (odd spellings, unknown values during
 * preview, escalating roles under harmless names, ...), each with the mandatory violations the pack
 * must report. Run through checkResources (test/policy/evasions.test.ts) and, for the cases marked
 * `cli`, through the real CLI's preview (test/engine/policy-preview-gate.test.ts).
 */
import { PolicyResourceInput, UNKNOWN_VALUE } from "../../policy/api";
import { BuiltInRole } from "../../lib/rbac/roles";
import { FACTORY, RG, roleAssignment, SUB, TOPIC_PRINCIPAL } from "./fixtures";

/** One evasion attempt. */
export interface Evasion {
  /** Short id; resource names in the case start with it. */
  readonly id: string;
  /** What the stack tries. */
  readonly what: string;
  readonly resources: PolicyResourceInput[];
  /** `policy resourceName` pairs that must be mandatory violations. */
  readonly expect: readonly string[];
  /** Also run through the real CLI's preview (values only: no preview unknowns). */
  readonly cli?: boolean;
}

const OWNER = BuiltInRole.Owner;
const grant = (name: string, roleDefinitionId: string, scope: string, props: Record<string, unknown> = {}): PolicyResourceInput =>
  ({ ...roleAssignment(name, "Owner", scope), props: { ...roleAssignment(name, "Owner", scope).props, roleDefinitionId, ...props } });

/** Every case of the corpus. */
export function evasions(): Evasion[] {
  return [
    {
      id: "owner-unknown-scope",
      what: "Owner, literal role id, scope unknown during preview (a resource group the stack creates)",
      resources: [grant("owner-unknown-scope", `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, UNKNOWN_VALUE)],
      expect: ["rbac-no-privileged-roles owner-unknown-scope", "rbac-single-resource-scope owner-unknown-scope"],
    },
    {
      id: "owner-unknown-principal",
      what: "Owner on a resource, principal unknown during preview (an identity the stack creates)",
      resources: [grant("owner-unknown-principal", `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, FACTORY, { principalId: UNKNOWN_VALUE })],
      expect: ["rbac-no-privileged-roles owner-unknown-principal"],
    },
    {
      id: "owner-on-rg",
      what: "Owner on a resource group, plain spelling",
      resources: [grant("owner-on-rg", `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, RG)],
      expect: ["rbac-no-privileged-roles owner-on-rg", "rbac-single-resource-scope owner-on-rg"],
      cli: true,
    },
  ];
}

/** The resources of the cases the real-CLI preview runs, and the violations it must show. */
export function cliEvasions(): PolicyResourceInput[] {
  return evasions().filter((e) => e.cli).flatMap((e) => e.resources);
}

/** Principal used by the corpus (the fixtures' topic identity). */
export const EVASION_PRINCIPAL = TOPIC_PRINCIPAL;
