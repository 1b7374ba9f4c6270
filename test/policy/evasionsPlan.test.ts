/**
 * The evasion corpus through the offline plan's path: every case whose values are known declared as
 * resources under the Azure-shaped mocks the plan uses (lib/plan/mocks, installed by test/setup.ts), then
 * read back and analysed as the plan does (fromMockedResources + analyzeWithPack, lib/plan/plan.ts). Each
 * must come out as the same mandatory violation the pack reports directly (test/policy/evasions.test.ts).
 * The shared mock engine is used rather than createPlan, which installs its own and would disturb the
 * other tests of the run.
 */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { analyzeWithPack, fromMockedResources, UNKNOWN_VALUE } from "../../policy/api";
import { registered } from "../helpers/pulumi";
import { evasions } from "./evasions";

/** A resource of any type token, as the engine would register it. */
class Declared extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs) {
    super(type, name, props);
  }
}

const CONFIG = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "policy", "policy-config.json"), "utf8")) as Record<string, unknown>;
const PREFIX = "evp";

describe("policy pack: evasion corpus through the offline plan's mocks and analysis", function () {
  this.timeout(120_000);
  const cases = evasions().filter((e) => !JSON.stringify(e.resources).includes(UNKNOWN_VALUE));

  it("declares every case with known values and finds each expected mandatory violation", async () => {
    assert.ok(cases.length > 60, `the corpus has ${cases.length} plannable cases`);
    for (const e of cases) for (const r of e.resources) new Declared(r.type, `${PREFIX}-${r.name}`, { ...r.props });
    const resources = await registered(PREFIX);
    assert.strictEqual(resources.length, cases.reduce((n, e) => n + e.resources.length, 0), "every case's resources were registered");
    const { violations } = await analyzeWithPack(fromMockedResources(resources), CONFIG);
    const mandatory = new Set(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName} ${v.resourceName}`));
    const missing = cases.flatMap((e) => e.expect.map((x) => x.replace(" ", ` ${PREFIX}-`)).filter((x) => !mandatory.has(x)).map((x) => `${e.id}: ${x}`));
    assert.deepStrictEqual(missing, [], "cases the offline plan's analysis let through");
  });
});
