/** The evasion corpus through checkResources with the shipped config: every case is a mandatory violation. */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkResources } from "../../policy/api";
import { evasions } from "./evasions";

const CONFIG = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "policy", "policy-config.json"), "utf8")) as Record<string, unknown>;

describe("policy pack: evasion corpus (checkResources, shipped config)", () => {
  for (const e of evasions()) {
    it(`${e.id}: ${e.what}`, async () => {
      const violations = await checkResources(e.resources, CONFIG);
      const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName} ${v.resourceName}`);
      for (const x of e.expect) assert.ok(mandatory.includes(x), `missing mandatory ${x}; got:\n${violations.map((v) => `[${v.enforcementLevel}] ${v.policyName} ${v.resourceName}: ${v.message}`).join("\n")}`);
      const cantRun = violations.filter((v) => v.message.startsWith("can't run") && e.expect.some((x) => x.startsWith(`${v.policyName} `)));
      assert.deepStrictEqual(cantRun, [], "an expected policy gave up during preview");
    });
  }
});
