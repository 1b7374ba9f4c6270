import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DIFF_EXIT, runDiffCli } from "../../lib/review/cli";
import { comparePlans } from "../../lib/review/diff";
import { readPlan } from "../../lib/review/read";
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../lib/review/render";
import { PlanDiff } from "../../lib/review/types";
import { SAMPLE_WORKSPACE_ID } from "../../lib/events";

const root = path.resolve(__dirname, "..", "..", "..");
const bin = path.join(root, "dist", "lib", "cli", "index.js");
const planner = path.join(__dirname, "planVariants.js");

/** Plans fixture variants in a child process (the plan installs its own mocks); returns the output folder. */
export function planVariants(specs: readonly string[], events?: unknown[]): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
  const eventArgs: string[] = [];
  if (events) {
    fs.writeFileSync(path.join(out, "events.json"), JSON.stringify(events));
    eventArgs.push("--events", path.join(out, "events.json"));
  }
  const run = spawnSync(process.execPath, [planner, ...eventArgs, out, ...specs], { encoding: "utf8", timeout: 170_000 });
  assert.strictEqual(run.status, 0, run.stderr);
  return out;
}

/** `aml-events diff` in process: exit code and the text report's lines after the header (which names the files). */
function diff(dir: string, base: string, head: string, format = "text"): { code: number; lines: string[]; text: string } {
  let text = "";
  const code = runDiffCli(path.join(dir, base, "plan.json"), path.join(dir, head, "plan.json"), { format }, (t) => (text += t));
  return { code, lines: text.trimEnd().split("\n").slice(1), text };
}

function amlEvents(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 });
}

const RUN = "experiments/0fa9dfaa-cba3-4fa7-b590-23e48548f5c1/runs/AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5";
const MONITOR = "experiments/5b0e2a4c-7d1f-4c3e-9a51-2f6d8c0b7e14/runs/credit-default-monitor-20261204061000-evaluate-data-drift-signal";
const TRAIN = "experiments/5b0e2a4c-7d1f-4c3e-9a51-2f6d8c0b7e14/runs/train-credit-default-20261204";
const ACCOUNT = "Microsoft.Storage/storageAccounts/streviewdata";

describe("aml-events diff: program pairs that differ in one way (real plans)", function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = planVariants(["base", "again=base", "filter-narrowed", "rule-added", "recipient-removed", "role-widened", "subscription-deleted", "violation-introduced"]);
  });

  it("an unchanged program (planned twice) reports no change and exits 0", () => {
    const r = diff(dir, "base", "again");
    assert.deepStrictEqual(r.lines, ["No change: the same event flows, subscriptions, permissions, policy verdict and figures."]);
    assert.strictEqual(r.code, DIFF_EXIT.ok);
    const cli = amlEvents(["diff", path.join(dir, "base", "plan.json"), path.join(dir, "again", "plan.json")]);
    assert.strictEqual(cli.status, 0, cli.stderr);
  });

  it("a filter narrowed (runStatuses failed, canceled → failed): the subscription matches fewer events, seen from the filter though no sample is canceled", () => {
    const r = diff(dir, "base", "filter-narrowed");
    assert.deepStrictEqual(r.lines, [
      "2 changes; needs a reviewer's look: 1 fewer events delivered.",
      "",
      "Subscriptions and what their filters match",
      "  rv-mail-run-status → Logic App rv-mail-workflow (topic rv-topic)",
      '    ~ condition data.runStatus is one of ["failed","canceled"] → data.runStatus is one of ["failed"] (matches fewer events)  [fewer events delivered]',
      '    ~ rule Alert_RunStatusChanged: when event type is RunStatusChanged and data.runStatus is one of ["failed","canceled"] (ignoring case) → when event type is RunStatusChanged and data.runStatus is one of ["failed"] (ignoring case)',
    ]);
    assert.strictEqual(r.code, DIFF_EXIT.needsReview);
  });

  it("a rule added (RunCompleted mail): a new delivery and mail, the subscription matches one more type; nothing to look at, exit 0", () => {
    const r = diff(dir, "base", "rule-added");
    assert.deepStrictEqual(r.lines, [
      "9 changes, none that needs a reviewer's look.",
      "",
      "Event flows",
      `  RunCompleted ${RUN}`,
      "    + rv-mail-alerts (Logic App rv-mail-workflow) now receives it",
      `    + mail to run-watch@contoso.com (via rv-mail-alerts): subject "[Azure ML] RunCompleted in mlw-platform: ${RUN}"`,
      "",
      "Subscriptions and what their filters match",
      "  rv-mail-alerts → Logic App rv-mail-workflow (topic rv-topic)",
      "    + now matches RunCompleted events",
      "    + rule Alert_RunCompleted added: when event type is RunCompleted → email to run-watch@contoso.com",
      "",
      "Cost, quotas and other figures",
      "  estimate",
      "    ~ estimate.perMonth.eventGridDeliveryAttempts: 2348.2 → 9794.2 (+7446)",
      "    ~ estimate.perMonth.logicAppActions: 21036.2 → 126898.4 (+105862.2)",
      "    ~ estimate.perMonth.emails: 1618.2 → 9064.2 (+7446)",
      "    ~ estimate.costTotal: 0.93 → 5.44 (+4.51)",
      "    + estimate warning: emails: 12.42 an hour on average (6.21 in a peak minute) through an Azure-managed domain, whose limit is 5 a minute and 10 an hour per Azure subscription; sends over it fail with 429 (use a custom verified domain).",
    ]);
    assert.strictEqual(r.code, DIFF_EXIT.ok);
  });

  it("a recipient removed: each mail ml-lead@ no longer gets is a removed flow, and the rule no longer mails them", () => {
    const r = diff(dir, "base", "recipient-removed");
    const mail = (subject: string): string => `    - mail to ml-lead@contoso.com (via rv-mail-run-status): subject "[Azure ML] RunStatusChanged in mlw-platform: ${subject}"  [flow removed]`;
    assert.deepStrictEqual(r.lines, [
      "4 changes; needs a reviewer's look: 4 flow removed.",
      "",
      "Event flows",
      `  RunStatusChanged ${RUN}`,
      mail(RUN),
      `  RunStatusChanged ${MONITOR} [event 6f1d2c8e-3b4a-4e59-8c71-0a9b2d3e4f52]`,
      mail(MONITOR),
      `  RunStatusChanged ${TRAIN}`,
      mail(TRAIN),
      "",
      "Subscriptions and what their filters match",
      "  rv-mail-run-status → Logic App rv-mail-workflow (topic rv-topic)",
      "    - rule Alert_RunStatusChanged no longer mails ml-lead@contoso.com  [flow removed]",
    ]);
    assert.strictEqual(r.code, DIFF_EXIT.needsReview);
  });

  it("a role widened (container → whole storage account): privilege widened for that identity", () => {
    const r = diff(dir, "base", "role-widened");
    assert.deepStrictEqual(r.lines, [
      "1 change; needs a reviewer's look: 1 privilege widened.",
      "",
      "Permissions per identity",
      "  Logic App rv-mail-workflow",
      `    ~ StorageBlobDataContributor: scope widened from ${ACCOUNT}/blobServices/default/containers/reports in resource group rg-ml-platform to ${ACCOUNT} in resource group rg-ml-platform  [privilege widened]`,
    ]);
    assert.strictEqual(r.code, DIFF_EXIT.needsReview);
    // The other way round narrows: reported, nothing to look at.
    const back = diff(dir, "role-widened", "base");
    assert.match(back.lines[4], /~ StorageBlobDataContributor: scope narrowed from .*streviewdata in resource group rg-ml-platform to .*containers\/reports in resource group rg-ml-platform$/);
    assert.strictEqual(back.code, DIFF_EXIT.ok);
  });

  it("a subscription deleted: its deliveries are removed flows and the subscription is gone", () => {
    const r = diff(dir, "base", "subscription-deleted");
    assert.deepStrictEqual(r.lines, [
      "4 changes; needs a reviewer's look: 2 flow removed, 1 fewer events delivered.",
      "",
      "Event flows",
      "  ModelRegistered models/sklearn_regression_model:20",
      "    - oncall-hook (webhook hooks.contoso.com) no longer receives it  [flow removed]",
      "    - POST https://hooks.contoso.com/[secret] (via oncall-hook): body the event  [flow removed]",
      "",
      "Subscriptions and what their filters match",
      "  oncall-hook → webhook hooks.contoso.com (topic rv-topic)",
      "    - subscription deleted (it matched: event type is ModelRegistered)  [fewer events delivered]",
      "",
      "Cost, quotas and other figures",
      "  estimate",
      "    ~ estimate.perMonth.eventGridDeliveryAttempts: 2348.2 → 1618.2 (-730)",
    ]);
    assert.strictEqual(r.code, DIFF_EXIT.needsReview);
  });

  it("a policy violation introduced (a hand-written webhook over plain HTTP): a new mandatory violation, with the flow it adds", () => {
    const r = diff(dir, "base", "violation-introduced");
    assert.deepStrictEqual(r.lines.slice(0, 10), [
      "6 changes; needs a reviewer's look: 2 new mandatory violation.",
      "",
      "Event flows",
      "  ModelDeployed endpoints/my-sklearn-service",
      "    + raw-hook (webhook hooks.contoso.com) now receives it",
      "    + POST http://hooks.contoso.com/[secret] (via raw-hook): body the event",
      "",
      "Subscriptions and what their filters match",
      "  raw-hook → webhook hooks.contoso.com (topic rv-topic)",
      "    + subscription added: event type is ModelDeployed",
    ]);
    assert.deepStrictEqual(r.lines.slice(10, 13), ["", "Policy and deploy readiness", "  policy pack"]);
    assert.match(r.lines[13], /^ {4}\+ mandatory delivery-dead-letter-required on rv-raw-hook: Subscription raw-hook has no dead-letter destination.*\[new mandatory violation\]$/);
    assert.strictEqual(
      r.lines[14],
      '    + mandatory delivery-webhook-https on rv-raw-hook: WebHook endpointUrl is "http://hooks.contoso.com/raw"; it must be an https:// URL. Fix: serve the handler over HTTPS and use its https:// URL (Logic App and Function URLs already are).  [new mandatory violation]',
    );
    assert.strictEqual(r.code, DIFF_EXIT.needsReview);
    // Fixing it is reported as fixed and needs no look.
    const fixed = diff(dir, "violation-introduced", "base");
    assert.ok(fixed.lines.includes("    - fixed: mandatory delivery-webhook-https on rv-raw-hook"), fixed.lines.join("\n"));
  });

  it("aml-events plan --compare <base plan.json> plans and compares in one go (exit 3 when a reviewer must look)", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "review-cmp-"));
    const program = path.join(__dirname, "program.js");
    const r = amlEvents(["plan", "--program", program, "--config", "review:variant=role-widened", "--out", out, "--compare", path.join(dir, "base", "plan.json")]);
    assert.strictEqual(r.status, 3, r.stderr);
    assert.match(r.stdout, /\n1 change; needs a reviewer's look: 1 privilege widened\.\n\nPermissions per identity\n {2}Logic App rv-mail-workflow\n {4}~ StorageBlobDataContributor: scope widened/);
  });

  it("JSON: the same comparison, with needsReview and the attention counts", () => {
    const r = diff(dir, "base", "role-widened", "json");
    const json = JSON.parse(r.text) as PlanDiff & { needsReview: boolean };
    assert.strictEqual(json.needsReview, true);
    assert.deepStrictEqual(json.attention, { "privilege widened": 1 });
    assert.deepStrictEqual(
      json.sections.map((s) => s.id),
      ["permissions"],
    );
  });

  it("a plan of the older format (no permissions, filters or topics) is compared as far as it goes, and says what it could not compare", () => {
    const old = JSON.parse(fs.readFileSync(path.join(dir, "base", "plan.json"), "utf8")) as Record<string, unknown>;
    delete old.planFormat;
    delete old.permissions;
    old.subscriptions = (old.subscriptions as Record<string, unknown>[]).map(({ filterSpec: _f, topic: _t, workspace: _w, ...rest }) => rest);
    fs.mkdirSync(path.join(dir, "old"), { recursive: true });
    fs.writeFileSync(path.join(dir, "old", "plan.json"), JSON.stringify(old));
    const file = path.join(dir, "old", "plan.json");
    const r = diff(dir, "old", "filter-narrowed");
    assert.deepStrictEqual(r.lines, [
      "5 changes; needs a reviewer's look: 2 not compared.",
      "",
      "Subscriptions and what their filters match",
      "  plan format",
      `    ! filters compared by their words only: ${file} is plan format 1, which records no declared filters; plan it again with this version of aml-event-workflows  [not compared]`,
      "  rv-mail-run-status → Logic App rv-mail-workflow",
      '    - filter clause dropped: data.runStatus is one of ["failed","canceled"]',
      '    + filter clause added: data.runStatus is one of ["failed"]',
      '    ~ rule Alert_RunStatusChanged: when event type is RunStatusChanged and data.runStatus is one of ["failed","canceled"] (ignoring case) → when event type is RunStatusChanged and data.runStatus is one of ["failed"] (ignoring case)',
      "",
      "Permissions per identity",
      "  plan format",
      `    ! not compared: ${file} is plan format 1, which records no permissions; plan it again with this version of aml-event-workflows  [not compared]`,
    ]);
    assert.strictEqual(r.code, DIFF_EXIT.needsReview);
  });
});

describe("aml-events diff: usage errors and malformed plans (exit 2, one message naming the file)", function () {
  this.timeout(60_000);
  let dir: string;
  let good: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-bad-"));
    good = path.join(dir, "good.json");
    fs.writeFileSync(good, JSON.stringify({ planFormat: 2, routing: [], subscriptions: [], resources: [], policy: { violations: [] } }));
  });

  const cases: [string, string, RegExp][] = [
    ["missing.json", "", /^aml-events: head plan ".*missing\.json" could not be read: ENOENT/],
    ["broken.json", "{ not json", /^aml-events: head plan ".*broken\.json" is not valid JSON \(/],
    ["array.json", "[1, 2]", /^aml-events: head plan .*array\.json is not a plan\.json written by `aml-events plan`: expected a JSON object, got an array\./],
    ["other.json", '{"name": "some-package"}', /^aml-events: head plan .*other\.json is not a plan\.json written by `aml-events plan`: it has no "routing" \(a list\), "subscriptions" \(a list\), "resources" \(a list\), "policy" \(an object\)\./],
    ["format.json", '{"planFormat": "two", "routing": [], "subscriptions": [], "resources": [], "policy": {}}', /^aml-events: head plan .*format\.json: "planFormat" must be a positive whole number, got "two"\./],
  ];
  for (const [name, content, message] of cases) {
    it(`${name}: ${content === "" ? "no such file" : content}`, () => {
      const file = path.join(dir, name);
      if (content !== "") fs.writeFileSync(file, content);
      const r = amlEvents(["diff", good, file]);
      assert.strictEqual(r.status, DIFF_EXIT.usage, r.stderr);
      assert.match(r.stderr, message);
      assert.strictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.strictEqual(r.stdout, "");
    });
  }

  it("a missing argument, an extra one, an unknown option or format: exit 2 with the fix", () => {
    const expect: [string[], RegExp][] = [
      [["diff", good], /diff needs two plan files: aml-events diff <base plan\.json> <head plan\.json>/],
      [["diff", good, good, good], /diff takes two plan files; unexpected ".*good\.json"/],
      [["diff", good, good, "--fromat", "json"], /unknown option "--fromat"; the options are --format/],
      [["diff", good, good, "--format", "html"], /--format "html" is not a format; use one of text, json, markdown/],
    ];
    for (const [args, message] of expect) {
      const r = amlEvents(args);
      assert.strictEqual(r.status, DIFF_EXIT.usage, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});

describe("aml-events diff: Markdown for a pull-request comment", function () {
  this.timeout(180_000);

  /** Text outside fenced code blocks (where Markdown and HTML would be interpreted). */
  function outsideFences(md: string): string {
    const out: string[] = [];
    let fence: string | undefined;
    for (const line of md.split("\n")) {
      const m = /^(`{3,})/.exec(line);
      if (fence === undefined && m) fence = m[1];
      else if (fence !== undefined && line === fence) fence = undefined;
      else if (fence === undefined) out.push(line);
    }
    assert.strictEqual(fence, undefined, "every fence is closed");
    return out.join("\n");
  }

  it("hostile experiment names and subjects cannot inject HTML, Markdown, mentions or terminal escapes", () => {
    const subject = "experiments/x/runs/```</details><img src=x onerror=alert(1)>\n# @everyone [click](https://evil.example)\u001b[31m\u202e";
    const event = {
      id: "11111111-2222-3333-4444-555555555555",
      topic: SAMPLE_WORKSPACE_ID,
      subject,
      eventType: "Microsoft.MachineLearningServices.RunStatusChanged",
      eventTime: "2026-11-22T08:00:00Z",
      data: { experimentName: "<script>alert(1)</script> ``` @team", runId: "r1", runStatus: "failed", runTags: {}, runProperties: {} },
      dataVersion: "2",
      metadataVersion: "1",
    };
    const dir = planVariants(["base", "recipient-removed"], [event]);
    let text = "";
    const code = runDiffCli(path.join(dir, "base", "plan.json"), path.join(dir, "recipient-removed", "plan.json"), { markdown: path.join(dir, "review.md") }, (t) => (text += t));
    assert.strictEqual(code, DIFF_EXIT.needsReview);
    const md = fs.readFileSync(path.join(dir, "review.md"), "utf8");
    assert.ok(md.includes("@@ RunStatusChanged experiments/x/runs/```</details><img src=x onerror=alert(1)>\\u{a}# @everyone"), md);
    const outside = outsideFences(md);
    for (const bad of ["<img", "<script", "@everyone", "@team", "evil.example", "\u001b", "\u202e"]) assert.ok(!outside.includes(bad), `${JSON.stringify(bad)} outside a code block:\n${outside}`);
    assert.ok(!md.includes("\u001b") && !md.includes("\u202e"));
    assert.ok(!text.includes("\u001b") && text.includes("\\u{1b}[31m\\u{202e}"), text);
    assert.ok(md.startsWith(`${COMMENT_MARKER}\n### ⚠️ aml-events review: `), md.slice(0, 200));
  });

  it("stays under GitHub's comment limit, collapses long sections and keeps must-look lines visible", () => {
    const long = "x".repeat(300);
    const lines = Array.from({ length: 4000 }, (_, i) => ({ sign: "-" as const, text: `mail to r${i}@contoso.com: ${long}`, attention: "flow removed" as const }));
    const big: PlanDiff = {
      base: { file: "a", format: 2 },
      head: { file: "b", format: 2 },
      sections: [{ id: "flows", title: "Event flows", groups: [{ title: "RunCompleted x", lines }] }],
      attention: { "flow removed": 4000 },
      changes: 4000,
      summary: "4000 changes; needs a reviewer's look: 4000 flow removed.",
    };
    const md = renderMarkdown(big);
    assert.ok(md.length <= GITHUB_COMMENT_LIMIT - 1_000, `${md.length}`);
    assert.match(md, /more line\(s\) not shown: run `aml-events diff` on the two plans for all of them/);
    outsideFences(md);
    const small = renderMarkdown({ ...big, sections: [{ id: "flows", title: "Event flows", groups: [{ title: "RunCompleted x", lines: [...lines.slice(0, 2), ...Array.from({ length: 12 }, (_, i) => ({ sign: "+" as const, text: `mail ${i}` }))] }] }] });
    assert.match(small, /#### Event flows — 14 changes, 2 to look at\n\n```diff\n@@ RunCompleted x @@\n- mail to r0@contoso.com: x+ {2}\[flow removed\]\n- mail to r1/);
    assert.match(small, /<details><summary>All 14 changes<\/summary>\n\n```diff\n@@ RunCompleted x @@\n/);
  });

  it("an unchanged pair renders one line of summary with nothing collapsed", () => {
    const plan = readPlan({ routing: [], subscriptions: [], resources: [], policy: { violations: [] }, planFormat: 2, permissions: { assignments: [], roleDefinitions: [] } }, "p.json");
    const md = renderMarkdown(comparePlans(plan, plan));
    assert.strictEqual(md, `${COMMENT_MARKER}\n### ✅ aml-events review: No change: the same event flows, subscriptions, permissions, policy verdict and figures.\n\nPlan format: base 2, head 2.\n`);
  });
});
