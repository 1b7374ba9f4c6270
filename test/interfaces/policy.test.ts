/**
 * What the policy pack says about the resources the AVM interfaces add: a stack with every interface
 * set passes every mandatory policy (grants of a read-only role to a group, locks, diagnostic settings).
 */
import * as assert from "assert";
import { checkResources, fromMockedResources } from "../../policy/api";
import { registered } from "../helpers/pulumi";
import { CASES, LAW, PRINCIPAL, UAI } from "./cases";

describe("policy pack on the AVM interfaces", () => {
  for (const c of CASES) {
    it(`${c.component} with every interface passes every mandatory policy`, async () => {
      const name = `avmpol${c.component.toLowerCase().slice(0, 8)}`;
      c.build(name, {
        tags: { env: "prod" },
        ...(c.main ? { lock: { kind: "CanNotDelete" }, roleAssignments: [{ roleDefinitionIdOrName: "Reader", principalId: PRINCIPAL, principalType: "Group" }] } : {}),
        ...(c.diagnosticTargets.length > 0 ? { diagnosticSettings: [{ workspaceResourceId: LAW }] } : {}),
        ...(c.component === "Observability" ? {} : { managedIdentities: { userAssignedResourceIds: [UAI] } }),
      });
      const violations = await checkResources(fromMockedResources(await registered(name)));
      const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
      if (process.env.SHOW_ADVISORY) console.log(violations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.resourceName}: ${v.message}`).join("\n"));
      assert.deepStrictEqual(mandatory.map((v) => `${v.policyName} ${v.resourceName}: ${v.message}`), []);
    });
  }
});
