import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FILTER_SEMANTICS_MARKDOWN } from "../../lib/filters";
import { describePolicies, policies, policyTableMarkdown } from "../../policy/api";
import { docFiles, readDoc } from "./markdown";
import { OFFLINE_PLAN_GUIDE, POLICY_GUIDE } from "./guides";

const root = path.resolve(__dirname, "..", "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
/** The guides the generated blocks live in. */
const offlinePlan = readDoc(OFFLINE_PLAN_GUIDE);
const policyGuide = readDoc(POLICY_GUIDE);

describe("README", () => {
  it("shows the two commands a newcomer needs", () => {
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /npm test/);
  });

  it("documents the filter semantics exactly as the evaluator implements them", () => {
    const block = /<!-- filter-semantics:start -->\n([\s\S]*?)\n<!-- filter-semantics:end -->/.exec(offlinePlan);
    assert.ok(block, `${OFFLINE_PLAN_GUIDE} has the generated filter-semantics block`);
    assert.strictEqual(block[1].trim(), FILTER_SEMANTICS_MARKDOWN.trim(), "regenerate the block from FILTER_SEMANTICS_MARKDOWN");
  });

  it("the policy table is the one generated from the pack's own metadata", () => {
    const block = /<!-- policy-table:start -->\n([\s\S]*?)\n<!-- policy-table:end -->/.exec(policyGuide);
    assert.ok(block, `${POLICY_GUIDE} has the generated policy-table block`);
    assert.strictEqual(block[1].trim(), policyTableMarkdown(policies).trim(), "regenerate it: npx tsc -p . && node scripts/policy-table.mjs");
  });

  it("lists every policy of the pack with its default level", () => {
    for (const p of describePolicies()) {
      const row = policyGuide.split("\n").find((line) => line.startsWith("| ") && line.includes(`\`${p.name}\``));
      assert.ok(row, `${POLICY_GUIDE}: the policy table misses ${p.name}`);
      assert.ok(row.includes(`| ${p.enforcementLevel} |`), `${POLICY_GUIDE} gives ${p.name} another level than ${p.enforcementLevel}`);
    }
  });

  it("the README and every guide name only examples that exist", () => {
    for (const file of docFiles()) {
      for (const [, example] of readDoc(file).matchAll(/`(examples\/[a-z0-9/._-]+)`/g)) {
        const candidates = [example, `${example}.ts`, path.join(example, "index.ts")];
        assert.ok(candidates.some((c) => fs.existsSync(path.join(root, c))), `${file} names ${example}, which does not exist`);
      }
    }
  });

  it("the usage example runs: planned offline, it passes every mandatory policy", function () {
    this.timeout(120_000);
    const block = /## Usage\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, "the README has a Usage code block");
    const js = block[1]
      .replace(/import \{ ([^}]+) \} from "aml-event-workflows";/, (_, names: string) => `const { ${names} } = require(${JSON.stringify(path.join(root, "dist", "lib"))});`)
      .replace(/^export const (\w+) = /m, "exports.$1 = ");
    assert.doesNotMatch(js, /^(import|export) /m, "only CommonJS is left");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-usage-"));
    fs.writeFileSync(path.join(dir, "index.js"), js);
    const run = spawnSync(process.execPath, [path.join(root, "dist", "lib", "plan", "cli.js"), "--program", dir, "--out", dir], { encoding: "utf8", timeout: 110_000 });
    assert.strictEqual(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /Policy pack aml-event-workflows: passed/);
  });
});
