/** The policy guide's PR recipe and the GitHub Actions example run the command the real-engine tests run. */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { README_POLICY_FLAGS, REPO } from "./cli";

const TESTED = `pulumi preview ${README_POLICY_FLAGS.join(" ")} --non-interactive`;

describe("policy recipe in the docs", () => {
  it("the policy guide's 'Policy pack in pull requests' shows exactly the tested preview command", () => {
    const readme = fs.readFileSync(path.join(REPO, "docs", "guides", "policy-in-pull-requests.md"), "utf8");
    const section = /## Policy pack in pull requests\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
    const commands = section.split("\n").filter((l) => l.startsWith("pulumi preview"));
    assert.deepStrictEqual(commands, [TESTED]);
  });

  it("examples/github-actions/policy-check.yml runs the same command on the PR's stack", () => {
    const workflow = fs.readFileSync(path.join(REPO, "examples", "github-actions", "policy-check.yml"), "utf8");
    const runs = [...workflow.matchAll(/run: (pulumi preview.*)$/gm)].map((m) => m[1].replace(' --stack "$PULUMI_STACK"', ""));
    assert.deepStrictEqual(runs, [TESTED]);
  });

  it("the policy guide's 'Checking a live stack' shows the analyze command and export recipe the live-stack tests run", () => {
    const readme = fs.readFileSync(path.join(REPO, "docs", "guides", "policy-in-pull-requests.md"), "utf8");
    const section = /### Checking a live stack\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
    const commands = section.split("\n").filter((l) => l.startsWith("pulumi "));
    assert.deepStrictEqual(commands, [
      `pulumi policy analyze --stack prod ${README_POLICY_FLAGS.join(" ")}`,
      "pulumi stack export --stack prod | node dist/policy/live.js - policy/policy-config.json",
    ]);
  });
});
