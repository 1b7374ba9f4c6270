import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..", "..");
const dist = path.join(root, "dist", "lib");

/** Plans a program declaring one EmailAlerts with `emailArgs` in a separate process and returns the email quota findings. */
function findingsFor(emailArgs: string): string[] {
  const script = `
    const lib = require(${JSON.stringify(dist)});
    const { runProgram } = require(${JSON.stringify(path.join(dist, "plan", "run"))});
    const { plannedSubscriptions } = require(${JSON.stringify(path.join(dist, "plan", "routing"))});
    const { emailQuotaFindings } = require(${JSON.stringify(path.join(dist, "plan", "emailQuota"))});
    runProgram(() => {
      const events = new lib.WorkspaceEvents("q", { workspaceId: lib.SAMPLE_WORKSPACE_ID, resourceGroupName: "rg-ml", location: "westeurope" });
      new lib.EmailAlerts("q-mail", { events, recipients: ["ml-oncall@contoso.com"], ${emailArgs} });
    }).then((r) => process.stdout.write(JSON.stringify(emailQuotaFindings(r.resources, plannedSubscriptions(r.resources)))), (e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as string[];
}

describe("offline plan: ACS managed-domain quota finding", () => {
  it("reports a workflow on an Azure-managed domain whose subscriptions can exceed 10 emails an hour", () => {
    const findings = findingsFor("");
    assert.strictEqual(findings.length, 1, findings.join("\n"));
    assert.match(findings[0], /^email workflow q-mail-workflow sends through an Azure-managed domain: the alert rules can send 14\.95 emails\/hour against 10 and 8\.35 emails\/minute at a peak against 5/);
  });

  it("is silent for failed-run alerts only, and for a custom verified domain", () => {
    assert.deepStrictEqual(findingsFor(`alerts: [{ eventType: lib.AmlEventType.RunStatusChanged, runStatuses: ["failed"] }]`), []);
    assert.deepStrictEqual(
      findingsFor(`email: { kind: "communicationServices", domain: { kind: "customerManaged", domainName: "alerts.contoso.com", verified: true } }`),
      [],
    );
  });
});
