import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..", "..");
const bin = path.join(root, "dist", "lib", "cli", "index.js");
const workflowFile = path.join(root, "examples", "github-actions", "policy-check.yml");
const workflow = fs.readFileSync(workflowFile, "utf8");

/** actionlint built by scripts/actionlint.sh (or named by AML_EVENTS_ACTIONLINT_BIN), or undefined. */
function actionlint(): string | undefined {
  const dirs = process.env.AML_EVENTS_ACTIONLINT_BIN ? [process.env.AML_EVENTS_ACTIONLINT_BIN] : [];
  const cache = path.join(process.env.AML_EVENTS_CACHE ?? path.join(os.homedir(), ".cache", "aml-event-workflows"), "actionlint");
  if (fs.existsSync(cache)) dirs.push(...fs.readdirSync(cache).sort().reverse().map((v) => path.join(cache, v, "bin")));
  return dirs.map((d) => path.join(d, "actionlint")).find((f) => fs.existsSync(f));
}

/** The `run:` script of the step named `name` (the block under `run: |`, dedented). */
export function stepScript(yaml: string, name: string): string {
  const lines = yaml.split("\n");
  const at = lines.findIndex((l) => l.trim() === `- name: ${name}`);
  assert.ok(at >= 0, `no step named ${name}`);
  const run = lines.findIndex((l, i) => i > at && /^\s+run: \|$/.test(l));
  const indent = (l: string): number => /^ */.exec(l)?.[0].length ?? 0;
  const body: string[] = [];
  for (const l of lines.slice(run + 1)) {
    if (l.trim() !== "" && indent(l) <= indent(lines[run])) break;
    body.push(l);
  }
  const margin = Math.min(...body.filter((l) => l.trim() !== "").map(indent));
  return `${body.map((l) => l.slice(margin)).join("\n").trimEnd()}\n`;
}

/** A job's block of the workflow (from `  <job>:` to the next job). */
function jobBlock(job: string): string {
  const m = new RegExp(`^  ${job}:\\n((?:    .*\\n|\\s*\\n)*)`, "m").exec(workflow);
  assert.ok(m, `no job ${job}`);
  return m[1];
}

function program(recipients: readonly string[], extraAlert: boolean): string {
  const lib = JSON.stringify(path.join(root, "dist", "lib"));
  return [
    `const { AmlEventType, EmailAlerts, SAMPLE_WORKSPACE_ID, WorkspaceEvents } = require(${lib});`,
    `const events = new WorkspaceEvents("gh", { workspaceId: SAMPLE_WORKSPACE_ID, resourceGroupName: "rg-ml-platform", location: "westeurope" });`,
    `const alerts = [{ eventType: AmlEventType.ModelRegistered }${extraAlert ? ", { eventType: AmlEventType.ModelDeployed }" : ""}];`,
    `new EmailAlerts("gh-mail", { events, recipients: ${JSON.stringify(recipients)}, alerts });`,
    "",
  ].join("\n");
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=review", "-c", "user.email=review@example.com", ...args], { cwd, encoding: "utf8" });
}

describe("examples/github-actions/policy-check.yml", function () {
  this.timeout(180_000);

  it("is valid for GitHub Actions (actionlint), and actionlint does catch a broken copy", function () {
    const lint = actionlint();
    if (lint === undefined) {
      console.log("    [notice] actionlint is not built (bash scripts/actionlint.sh); skipping the workflow lint");
      this.skip();
    }
    const ok = spawnSync(lint, ["-no-color", workflowFile], { encoding: "utf8" });
    assert.strictEqual(ok.status, 0, ok.stdout + ok.stderr);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
    const broken = path.join(dir, "policy-check.yml");
    // A misspelt permission scope, and the runner context where GitHub does not provide it (job-level env).
    const faults = workflow.replace(/^(\s+)pull-requests: write/m, "$1pull-request: write").replace(/^( {6}AML_EVENTS_CLI: .*)$/m, "$1\n      PLANS: ${{ runner.temp }}/plans");
    fs.writeFileSync(broken, faults);
    const bad = spawnSync(lint, ["-no-color", broken], { encoding: "utf8" });
    assert.strictEqual(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /unknown permission scope "pull-request"/);
    assert.match(bad.stdout, /context "runner" is not allowed here/);
  });

  it("asks for no secret and the least token permissions: read-only everywhere, pull-requests: write only where nothing of the PR runs", () => {
    assert.match(workflow, /^permissions: \{\}$/m);
    const review = jobBlock("review");
    const comment = jobBlock("review-comment");
    assert.doesNotMatch(review + comment, /secrets\./);
    assert.match(review, /permissions:\n\s+contents: read\n/);
    assert.doesNotMatch(review, /:\s*write/);
    assert.match(comment, /permissions:\n\s+pull-requests: write/);
    assert.doesNotMatch(comment, /actions\/checkout|npm |run:/, "the job with a writable token runs no code of the pull request");
    for (const uses of (review + comment).match(/uses: \S+/g) ?? []) assert.match(uses, /^uses: actions\/[a-z-]+@v\d+\.\d+\.\d+$/, uses);
    assert.match(review, /persist-credentials: false/);
  });

  it("its compare step, run on the plans of two commits of a program, writes the comment and flags what needs a look", () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "review-git-"));
    const src = path.join(repo, "src");
    fs.mkdirSync(src);
    git(src, "init", "-q");
    fs.writeFileSync(path.join(src, "program.js"), program(["ml-oncall@contoso.com", "ml-lead@contoso.com"], false));
    git(src, "add", "program.js");
    git(src, "commit", "-qm", "alerts");
    fs.writeFileSync(path.join(src, "program.js"), program(["ml-oncall@contoso.com"], true));
    git(src, "commit", "-qam", "drop a recipient, alert on deployments");
    const plans = path.join(repo, "plans");
    for (const [side, rev] of [["base", "HEAD~1"], ["head", "HEAD"]] as const) {
      fs.mkdirSync(path.join(repo, side));
      execFileSync("sh", ["-c", `git archive ${rev} | tar -x -C ../${side}`], { cwd: src });
      const plan = spawnSync(process.execPath, [bin, "plan", "--program", path.join(repo, side, "program.js"), "--out", path.join(plans, side)], { encoding: "utf8", timeout: 120_000 });
      assert.strictEqual(plan.status, 0, plan.stdout + plan.stderr);
    }
    const script = path.join(repo, "compare.sh");
    fs.writeFileSync(script, stepScript(workflow, "Compare plans"));
    const run = (): { status: number | null; stdout: string; output: string; summary: string } => {
      const output = path.join(repo, "github-output");
      const summary = path.join(repo, "step-summary");
      fs.writeFileSync(output, "");
      fs.writeFileSync(summary, "");
      const env = { ...process.env, PLANS: plans, AML_EVENTS_CLI: `${process.execPath} ${bin}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
      // GitHub runs `run:` scripts with `bash --noprofile --norc -eo pipefail {0}`.
      const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: path.join(repo, "head"), env, encoding: "utf8", timeout: 60_000 });
      return { status: r.status, stdout: r.stdout + r.stderr, output: fs.readFileSync(output, "utf8"), summary: fs.readFileSync(summary, "utf8") };
    };
    const r = run();
    assert.strictEqual(r.status, 0, r.stdout);
    assert.strictEqual(r.output, "exit-code=3\n");
    assert.match(r.stdout, /::warning title=aml-events review::This change needs a reviewer's look/);
    const md = fs.readFileSync(path.join(plans, "review.md"), "utf8");
    assert.strictEqual(r.summary, md);
    assert.match(md, /^<!-- aml-events-review -->\n### ⚠️ aml-events review: \d+ changes; needs a reviewer's look: 2 flow removed\.\n/);
    assert.ok(md.includes('- mail to ml-lead@contoso.com (via gh-mail-alerts): subject "[Azure ML] ModelRegistered in mlw-platform: models/sklearn_regression_model:20"  [flow removed]'), md);
    assert.ok(md.includes("+ now matches ModelDeployed events"), md);
    assert.ok(md.includes("- rule Alert_ModelRegistered no longer mails ml-lead@contoso.com  [flow removed]"), md);
    const json = JSON.parse(fs.readFileSync(path.join(plans, "review.json"), "utf8")) as { needsReview: boolean };
    assert.strictEqual(json.needsReview, true);
    // A malformed plan fails the step (exit 2) instead of posting a misleading comment.
    fs.writeFileSync(path.join(plans, "head", "plan.json"), "{}");
    const bad = run();
    assert.strictEqual(bad.status, 2, bad.stdout);
    assert.strictEqual(bad.output, "exit-code=2\n");
    assert.strictEqual(bad.summary, "");
  });
});
