import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { FILTER_SEMANTICS_MARKDOWN } from "../../lib/filters";
import { describePolicies } from "../../policy/api";

const root = path.resolve(__dirname, "..", "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

describe("README", () => {
  it("shows the two commands a newcomer needs", () => {
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /npm test/);
  });

  it("documents the filter semantics exactly as the evaluator implements them", () => {
    const block = /<!-- filter-semantics:start -->\n([\s\S]*?)\n<!-- filter-semantics:end -->/.exec(readme);
    assert.ok(block, "the README has the generated filter-semantics block");
    assert.strictEqual(block[1].trim(), FILTER_SEMANTICS_MARKDOWN.trim(), "regenerate the block from FILTER_SEMANTICS_MARKDOWN");
  });

  it("lists every policy of the pack with its default level", () => {
    for (const p of describePolicies()) {
      const row = readme.split("\n").find((line) => line.startsWith("| ") && line.includes(`\`${p.name}\``));
      assert.ok(row, `README policy table misses ${p.name}`);
      assert.ok(row.includes(`| ${p.enforcementLevel} |`), `README gives ${p.name} another level than ${p.enforcementLevel}`);
    }
  });

  it("names only examples that exist", () => {
    for (const [, example] of readme.matchAll(/`(examples\/[a-z0-9/._-]+)`/g)) {
      const candidates = [example, `${example}.ts`, path.join(example, "index.ts")];
      assert.ok(candidates.some((c) => fs.existsSync(path.join(root, c))), `README names ${example}, which does not exist`);
    }
  });
});
