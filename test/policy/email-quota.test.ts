/** email-managed-domain-quota on what EmailAlerts really registers, and on its knobs. */
import * as assert from "assert";
import { analyzeResources, checkResources, fromMockedResources, policies, PolicyConfigError } from "../../policy/api";
import { emailSendActions } from "../../policy/policies/email-managed-domain-quota";
import { AmlEventType } from "../../lib/events/types";
import { alertRules, buildEmailAlertsDefinition, EmailAlertEvent } from "../../lib/notifications/definition";
import { EmailAlerts } from "../../lib/notifications";
import { WorkspaceEvents } from "../../lib/workspace";
import { registered, workspaceId } from "../helpers/pulumi";

const NAME = "email-managed-domain-quota";
const only = () => policies.filter((p) => p.name === NAME);

async function emailStack(prefix: string, alerts?: ConstructorParameters<typeof EmailAlerts>[1]["alerts"]) {
  const events = new WorkspaceEvents(`${prefix}-events`, { workspaceId: workspaceId(prefix), resourceGroupName: "rg-ml", location: "westeurope" });
  new EmailAlerts(`${prefix}-mail`, { events, recipients: ["ml-oncall@contoso.com"], ...(alerts ? { alerts } : {}) });
  return fromMockedResources(await registered(prefix));
}

describe("email-managed-domain-quota", () => {
  it("counts one alert rule per send-email action of the real workflow definition, nested in If/Foreach", () => {
    const alerts: EmailAlertEvent[] = [AmlEventType.RunCompleted, AmlEventType.ModelRegistered, { eventType: AmlEventType.RunStatusChanged, runStatuses: ["Failed"] }];
    const definition = buildEmailAlertsDefinition({ recipients: ["a@contoso.com"], alerts });
    assert.strictEqual(emailSendActions(definition).length, alertRules(alerts).length);
    assert.deepStrictEqual(emailSendActions(buildEmailAlertsDefinition({ recipients: ["a@contoso.com"], alerts, channel: "office365" })), [], "Office 365 sends don't use ACS");
  });

  it("EmailAlerts with its default rules on the Azure-managed domain fits the quota", async () => {
    const resources = await emailStack("quota-default");
    assert.ok(resources.some((r) => r.type === "azure-native:communication:Domain" && r.props.domainManagement === "AzureManaged"));
    const result = await analyzeResources(only(), resources);
    assert.deepStrictEqual(result.violations, []);
    assert.ok(!result.notApplicable.some((n) => n.policyName === NAME), "the policy found the workflow on the managed domain");
  });

  it("EmailAlerts with twelve run-status rules on the Azure-managed domain is reported, naming the workflow and its subscriptions", async () => {
    const statuses = ["Failed", "Canceled", "Completed", "Running", "Queued", "Preparing", "Starting", "Finalizing", "CancelRequested", "NotResponding", "Provisioning", "Paused"];
    const resources = await emailStack("quota-many", statuses.map((s) => ({ eventType: AmlEventType.RunStatusChanged, runStatuses: [s] })));
    const violations = (await checkResources(resources)).filter((v) => v.policyName === NAME);
    assert.strictEqual(violations.length, 1);
    assert.strictEqual(violations[0].enforcementLevel, "advisory");
    assert.strictEqual(violations[0].resourceName, "quota-many-mail-workflow");
    assert.match(violations[0].message, /quota-many-mail-workflow \(12 alert rule\(s\)\).*fed by 1 subscription\(s\) \(quota-many-events-quota-many-mail-run-status\)/);
    assert.match(violations[0].message, /12 rule\(s\) × 1 event\(s\)\/hour = 12 emails\/hour, over the quota of 10\/hour/);
  });

  it("the expected rate and the limits are configurable", async () => {
    const resources = await emailStack("quota-config");
    const busy = await checkResources(resources, { [NAME]: { expectedEventsPerHourPerRule: 6 } });
    assert.match(busy.find((v) => v.policyName === NAME)?.message ?? "", /× 6 event\(s\)\/hour = \d+ emails\/hour/);
    const raised = await checkResources(resources, { [NAME]: { expectedEventsPerHourPerRule: 6, sendsPerHour: 1000 } });
    assert.ok(!raised.some((v) => v.policyName === NAME));
  });

  it("rejects a non-positive expected rate in the config, naming the knob", async () => {
    await assert.rejects(checkResources([], { [NAME]: { expectedEventsPerHourPerRule: 0 } }), (e: Error) => e instanceof PolicyConfigError && /email-managed-domain-quota: expectedEventsPerHourPerRule: must be > 0/.test(e.message));
  });
});
