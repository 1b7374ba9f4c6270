/**
 * The evasion corpus through the offline plan: every case whose values are known declared as resources of
 * one program (the plan runs it under the Azure mocks and analyses it with the pack), and each must come
 * out as the same mandatory violation the pack reports directly (test/policy/evasions.test.ts).
 */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { createPlan } from "../../lib/plan/plan";
import { UNKNOWN_VALUE } from "../../policy/api";
import { evasions } from "./evasions";

/** A resource of any type token, as the engine would register it. */
class Declared extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs) {
    super(type, name, props);
  }
}

const CONFIG = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "policy", "policy-config.json"), "utf8")) as Record<string, unknown>;

describe("policy pack: evasion corpus through the offline plan", function () {
  this.timeout(120_000);
  const cases = evasions().filter((e) => !JSON.stringify(e.resources).includes(JSON.stringify(UNKNOWN_VALUE).slice(1, -1)));

  it("declares every case with known values and finds each expected mandatory violation", async () => {
    assert.ok(cases.length > 60, `the corpus has ${cases.length} plannable cases`);
    const plan = await createPlan({
      program: () => {
        for (const e of cases) for (const r of e.resources) new Declared(r.type, r.name, { ...r.props });
      },
      events: [],
      policyConfig: CONFIG,
    });
    const mandatory = new Set(plan.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName} ${v.resourceName}`));
    const missing = cases.flatMap((e) => e.expect.filter((x) => !mandatory.has(x)).map((x) => `${e.id}: ${x}`));
    assert.deepStrictEqual(missing, [], "cases the offline plan let through");
  });
});
