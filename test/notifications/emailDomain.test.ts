import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AmlEventType } from "../../lib/events";
import { EmailAlerts, validateEmailAlertsArgs, validateEmailDomain } from "../../lib/notifications";
import { WorkspaceEvents } from "../../lib/workspace";
import { capturingWarnings, promiseOf, registered, workspaceId } from "../helpers/pulumi";

function workspaceEvents(name: string): WorkspaceEvents {
  return new WorkspaceEvents(`events-${name}`, { workspaceId: workspaceId(name), resourceGroupName: "rg-ml", location: "westeurope" });
}

const EXISTING_DOMAIN = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mail/providers/Microsoft.Communication/emailServices/mail-prod/domains/alerts.contoso.com";


describe("EmailAlerts: bring-your-own email domain", () => {
  it("creates an unverified customer-managed domain, leaves it unlinked and lists its DNS records as the manual step", async () => {
    const alerts = new EmailAlerts("cmd1", {
      events: workspaceEvents("cmd1"),
      recipients: ["ml-oncall@contoso.com"],
      email: { kind: "communicationServices", domain: { kind: "customerManaged", domainName: "alerts.contoso.com", senderUsername: "ml-alerts" } },
    });
    const mine = await registered("cmd1");
    const domain = mine.find((r) => r.type === "azure-native:communication:Domain");
    assert.strictEqual(domain?.inputs.domainManagement, "CustomerManaged");
    assert.strictEqual(domain?.inputs.domainName, "alerts.contoso.com");
    const acs = mine.find((r) => r.type === "azure-native:communication:CommunicationService");
    assert.deepStrictEqual(acs?.inputs.linkedDomains, [], "Azure refuses to link a domain before it is verified");
    assert.strictEqual(mine.filter((r) => r.type === "azure-native:communication:SenderUsername").length, 0, "no custom sender before verification");
    const records = await promiseOf(alerts.verificationRecords);
    assert.deepStrictEqual(
      records.map((r) => `${r.purpose} ${r.type} ${r.name}`),
      [
        "Domain TXT alerts.contoso.com",
        "SPF TXT alerts.contoso.com",
        "DKIM CNAME selector1-azurecomm-prod-net._domainkey.alerts.contoso.com",
        "DKIM2 CNAME selector2-azurecomm-prod-net._domainkey.alerts.contoso.com",
      ],
    );
    const steps = await promiseOf(alerts.manualSteps);
    assert.strictEqual(steps.length, 2);
    assert.match(steps[0], /Add the DNS records of alerts\.contoso\.com \(Domain: TXT alerts\.contoso\.com → ms-domain-verification=/);
    assert.match(steps[0], /set email\.domain\.verified to true/);
    assert.match(steps[1], /higher sending limits for alerts\.contoso\.com/);
    assert.strictEqual(await promiseOf(alerts.senderAddress!), "DoNotReply@alerts.contoso.com");
    assert.strictEqual(alerts.azureManagedDomain, false);
  });

  it("links a verified customer-managed domain and sends from its custom sender username", async () => {
    const alerts = new EmailAlerts("cmd2", {
      events: workspaceEvents("cmd2"),
      recipients: ["ml-oncall@contoso.com"],
      email: { kind: "communicationServices", domain: { kind: "customerManaged", domainName: "alerts.contoso.com", verified: true, senderUsername: "ml-alerts", senderDisplayName: "ML alerts" } },
    });
    const mine = await registered("cmd2");
    const domain = mine.find((r) => r.type === "azure-native:communication:Domain");
    const acs = mine.find((r) => r.type === "azure-native:communication:CommunicationService");
    assert.deepStrictEqual(acs?.inputs.linkedDomains, [domain?.id]);
    const sender = mine.find((r) => r.type === "azure-native:communication:SenderUsername");
    assert.deepStrictEqual(sender?.inputs, {
      displayName: "ML alerts",
      domainName: "alerts.contoso.com",
      emailServiceName: mine.find((r) => r.type === "azure-native:communication:EmailService")?.state.name,
      resourceGroupName: "rg-ml",
      senderUsername: "ml-alerts",
      username: "ml-alerts",
    });
    assert.strictEqual(await promiseOf(alerts.senderAddress!), "ml-alerts@alerts.contoso.com");
    assert.deepStrictEqual(await promiseOf(alerts.manualSteps), []);
    const wf = mine.find((r) => r.type === "azure-native:logic:Workflow");
    assert.strictEqual((wf?.inputs.parameters as Record<string, { value: string }>).senderAddress.value, "ml-alerts@alerts.contoso.com");
  });

  it("brings an existing verified domain by id: no email service or domain created, the Communication Service links it", async () => {
    const alerts = new EmailAlerts("cmd3", {
      events: workspaceEvents("cmd3"),
      recipients: ["ml-oncall@contoso.com"],
      email: { kind: "communicationServices", domain: { kind: "existing", domainId: EXISTING_DOMAIN, senderUsername: "ml-alerts" } },
    });
    const mine = await registered("cmd3");
    const types = mine.map((r) => r.type);
    assert.ok(!types.includes("azure-native:communication:EmailService") && !types.includes("azure-native:communication:Domain"), types.join(", "));
    const acs = mine.find((r) => r.type === "azure-native:communication:CommunicationService");
    assert.deepStrictEqual(acs?.inputs.linkedDomains, [EXISTING_DOMAIN]);
    assert.strictEqual(acs?.inputs.dataLocation, "Europe", "the domain's own data location");
    const sender = mine.find((r) => r.type === "azure-native:communication:SenderUsername");
    assert.strictEqual(sender?.inputs.emailServiceName, "mail-prod");
    assert.strictEqual(sender?.inputs.resourceGroupName, "rg-mail");
    assert.strictEqual(await promiseOf(alerts.senderAddress!), "ml-alerts@alerts.contoso.com");
  });

  it("warns at construction when the default rules can exceed the Azure-managed domain's quota, not with a custom domain", async () => {
    const managed = await capturingWarnings(async () => new EmailAlerts("quota1", { events: workspaceEvents("quota1"), recipients: ["ml-oncall@contoso.com"] }));
    assert.strictEqual(managed.warnings.length, 1, managed.warnings.join("\n"));
    assert.match(managed.warnings[0], /^EmailAlerts\(quota1\): the alert rules can send 14\.95 emails\/hour against 10 and 8\.35 emails\/minute at a peak against 5 .*Largest: RunCompleted/);
    assert.strictEqual(managed.result.azureManagedDomain, true);
    const custom = await capturingWarnings(async () =>
      new EmailAlerts("quota2", {
        events: workspaceEvents("quota2"),
        recipients: ["ml-oncall@contoso.com"],
        email: { kind: "communicationServices", domain: { kind: "existing", domainId: EXISTING_DOMAIN } },
      }),
    );
    assert.deepStrictEqual(custom.warnings, []);
    const failuresOnly = await capturingWarnings(async () =>
      new EmailAlerts("quota3", { events: workspaceEvents("quota3"), recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }] }),
    );
    assert.deepStrictEqual(failuresOnly.warnings, [], "1.2 failed runs an hour fit the managed domain");
  });

  const bad: { label: string; domain: Parameters<typeof validateEmailDomain>[0]; expect: RegExp }[] = [
    { label: "domain name", domain: { kind: "customerManaged", domainName: "contoso" }, expect: /email\.domain\.domainName "contoso" is not a DNS domain name; give .*alerts\.contoso\.com/ },
    { label: "domain id", domain: { kind: "existing", domainId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Communication/emailServices/x" }, expect: /email\.domain\.domainId ".*emailServices\/x" is not an email domain ARM id; expected .*\/domains\/\{domain\}/ },
    { label: "sender with @", domain: { kind: "customerManaged", domainName: "alerts.contoso.com", senderUsername: "ml@alerts" }, expect: /email\.domain\.senderUsername "ml@alerts" is not a valid sender username; use 1-64 letters/ },
    { label: "sender with doubled dot", domain: { kind: "existing", domainId: EXISTING_DOMAIN, senderUsername: "ml..alerts" }, expect: /senderUsername "ml\.\.alerts"/ },
    { label: "sender too long", domain: { kind: "existing", domainId: EXISTING_DOMAIN, senderUsername: "a".repeat(65) }, expect: /senderUsername "a{65}"/ },
    { label: "display name without sender", domain: { kind: "existing", domainId: EXISTING_DOMAIN, senderDisplayName: "ML" }, expect: /senderDisplayName is set without a custom senderUsername/ },
  ];
  for (const c of bad) {
    it(`refuses a bad ${c.label} naming the argument, the value and the fix`, () => {
      const problems = validateEmailDomain(c.domain);
      assert.strictEqual(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], c.expect);
    });
  }

  it("accepts RFC 5322 dot-atom sender usernames and throws a ResourceError at construction for a bad one", () => {
    for (const user of ["ml-alerts", "ml.alerts", "ml_alerts+prod", "DoNotReply"]) {
      assert.deepStrictEqual(validateEmailDomain({ kind: "customerManaged", domainName: "alerts.contoso.com", senderUsername: user }), [], user);
    }
    const args = { events: workspaceEvents("cmdbad"), recipients: ["a@contoso.com"], email: { kind: "communicationServices" as const, domain: { kind: "customerManaged" as const, domainName: "alerts.contoso.com", senderUsername: ".ml" } } };
    assert.match(validateEmailAlertsArgs("cmdbad", args).join("\n"), /senderUsername "\.ml"/);
    assert.throws(() => new EmailAlerts("cmdbad", args), (e: Error) => e instanceof pulumi.ResourceError && /EmailAlerts\("cmdbad"\):\nemail\.domain\.senderUsername "\.ml"/.test(e.message));
  });
});
