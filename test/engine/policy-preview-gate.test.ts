/**
 * The preview gate with the real CLI: `pulumi preview --policy-pack policy` must exit non-zero on an
 * Owner grant scoped to a resource group the same program creates (the scope is unknown during
 * preview; the role is not), and report the evasion corpus's CLI cases as mandatory violations.
 * Needs the CLI from `bash scripts/pulumi-cli.sh` (skipped with a notice locally when absent).
 */
import * as assert from "node:assert";
import { evasions } from "../policy/evasions";
import { PulumiEnv, POLICY_FLAGS, usePulumiEnv } from "./cli";

describe("preview gate with the real CLI: unknown scopes and the evasion corpus", function () {
  this.timeout(240_000);
  let env: PulumiEnv;
  usePulumiEnv((e) => {
    env = e;
  });

  it("fails the preview on Owner scoped to a resource group created in the same program, and on each corpus case", async () => {
    const dir = await env.project("owner-unknown-scope", "test/engine/programs/owner-unknown-scope");
    const r = await env.run(["preview", ...POLICY_FLAGS()], dir);
    const out = `${r.stdout}\n${r.stderr}`;
    assert.notStrictEqual(r.code, 0, `the preview must fail:\n${out}`);
    const expected = [
      "rbac-no-privileged-roles owner-on-new-rg",
      "rbac-single-resource-scope owner-on-new-rg",
      ...evasions().filter((e) => e.cli).flatMap((e) => e.expect),
    ];
    for (const x of expected) {
      const [policy, name] = x.split(" ");
      assert.match(out, new RegExp(`\\[mandatory\\](\\s+\\[severity: \\w+\\])?\\s+${policy}\\s+\\([^)]*: ${name}\\)`), `missing mandatory ${x} in\n${out}`);
    }
    assert.doesNotMatch(out, /can't run policy 'rbac-(no-privileged-roles|single-resource-scope)'/, "a policy gave up during preview");
  });
});
