/** Every policy carries its framework controls, and docs/policy-pack.md shows exactly them. */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { policies } from "../../policy/api";
import { controlsTableMarkdown } from "../../policy/policies/controls";

describe("policy pack: framework controls", () => {
  it("each policy names Microsoft cloud security benchmark controls in its framework metadata", () => {
    for (const p of policies) {
      assert.strictEqual(p.framework?.name, "Microsoft cloud security benchmark", p.name);
      assert.match(p.framework?.reference ?? "", /^[A-Z]{2}-\d+(, [A-Z]{2}-\d+)*$/, p.name);
    }
  });

  it("docs/policy-pack.md carries the generated controls table", () => {
    const doc = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "docs", "policy-pack.md"), "utf8");
    assert.ok(doc.includes(controlsTableMarkdown(policies.map((p) => p.name))), "regenerate the table in docs/policy-pack.md from controlsTableMarkdown");
  });
});
