import * as assert from "assert";
import { AmlEventType } from "../../lib/events";
import { ACS_EMAIL_SENDER_ACTIONS, EmailAlertRule, EmailAlerts, OFFICE365_CONSENT_STEP, validateEmailAlertsArgs } from "../../lib/notifications";
import { WorkspaceEvents } from "../../lib/workspace";
import { isSecretOutput, promiseOf, registered, settle, workspaceId } from "../helpers/pulumi";
import { mockEngine } from "../setup";

const SUB = "00000000-0000-0000-0000-000000000000";

function workspaceEvents(name: string): WorkspaceEvents {
  return new WorkspaceEvents(`events-${name}`, { workspaceId: workspaceId(name), resourceGroupName: "rg-ml", location: "westeurope" });
}

describe("EmailAlerts", () => {
  it("creates the ACS email stack, the workflow, a custom role on the one Communication Service and a secret subscription", async () => {
    const events = workspaceEvents("mail1");
    const alerts = new EmailAlerts("mail1", { events: events, recipients: ["ml-oncall@contoso.com"] });
    await settle();
    const mine = await registered("mail1");
    const byType = (t: string) => mine.filter((r) => r.type === t);
    assert.deepStrictEqual(
      mine
        .filter((r) => r.parent === mine.find((x) => x.type === EmailAlerts.__type)?.urn)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
      [
        "azure-native:authorization:RoleAssignment mail1-sender",
        "azure-native:authorization:RoleDefinition mail1-sender-role",
        "azure-native:communication:CommunicationService mail1-acs",
        "azure-native:communication:Domain mail1-domain",
        "azure-native:communication:EmailService mail1-service",
        "azure-native:logic:Workflow mail1-workflow",
        "pulumi-nodejs:dynamic:Resource mail1-sender-role-replicated",
      ],
    );

    const [emailService] = byType("azure-native:communication:EmailService");
    assert.deepStrictEqual(emailService.inputs, { dataLocation: "Europe", location: "global", resourceGroupName: "rg-ml", tags: {} });
    const [domain] = byType("azure-native:communication:Domain");
    assert.strictEqual(domain.inputs.domainName, "AzureManagedDomain");
    assert.strictEqual(domain.inputs.domainManagement, "AzureManaged");
    const [acs] = byType("azure-native:communication:CommunicationService");
    assert.deepStrictEqual(acs.inputs.linkedDomains, [domain.id]);
    const acsId = String(acs.id);

    const [role] = byType("azure-native:authorization:RoleDefinition");
    assert.deepStrictEqual(role.inputs.assignableScopes, [acsId.split("/providers/")[0]], "assignable in the resource group, assigned on the one service");
    assert.deepStrictEqual((role.inputs.permissions as { actions: string[] }[])[0].actions, [...ACS_EMAIL_SENDER_ACTIONS]);
    assert.strictEqual(role.inputs.scope, `/subscriptions/${SUB}`);
    const [grant] = byType("azure-native:authorization:RoleAssignment");
    assert.strictEqual(grant.inputs.scope, acsId, "the role applies to the one Communication Service");
    assert.strictEqual(grant.inputs.roleDefinitionId, `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role.inputs.roleDefinitionId}`);
    assert.notStrictEqual(String(grant.inputs.roleDefinitionId).split("/").pop(), "b24988ac-6180-42a0-ab88-20f7382dd24c", "never Contributor");
    assert.strictEqual(grant.inputs.principalId, await promiseOf(alerts.principalId));
    assert.strictEqual(grant.inputs.principalType, "ServicePrincipal");

    const [wf] = byType("azure-native:logic:Workflow");
    assert.deepStrictEqual(wf.inputs.identity, { type: "SystemAssigned" });
    assert.deepStrictEqual(JSON.parse(JSON.stringify(wf.inputs.definition)), JSON.parse(JSON.stringify(alerts.definition)));
    const parameters = wf.inputs.parameters as Record<string, { value: string }>;
    assert.deepStrictEqual(Object.keys(parameters).sort(), ["emailEndpoint", "senderAddress", "workspaceId"]);
    assert.strictEqual(parameters.emailEndpoint.value, `https://${acs.state.hostName}`);
    assert.strictEqual(parameters.senderAddress.value, `DoNotReply@${domain.state.fromSenderDomain}`);
    assert.strictEqual(parameters.workspaceId.value, await promiseOf(events.workspaceId));

    const subs = mockEngine
      .resources()
      .filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription" && r.name.startsWith("events-mail1-"))
      .map((r) => [r.name, r.inputs.filter]);
    assert.deepStrictEqual(subs, [
      [
        "events-mail1-mail1-alerts",
        {
          enableAdvancedFilteringOnArrays: false,
          includedEventTypes: [AmlEventType.RunCompleted, AmlEventType.ModelRegistered, AmlEventType.ModelDeployed],
          isSubjectCaseSensitive: false,
        },
      ],
      [
        "events-mail1-mail1-run-status",
        {
          advancedFilters: [{ key: "data.runStatus", operatorType: "StringIn", values: ["failed"] }],
          enableAdvancedFilteringOnArrays: false,
          includedEventTypes: [AmlEventType.RunStatusChanged],
          isSubjectCaseSensitive: false,
        },
      ],
      [
        // Breaches on their own subscription: the tagged run ends Completed, and no other completed run is delivered.
        "events-mail1-mail1-breach",
        {
          advancedFilters: [
            { key: "data.runTags.azureml_modelmonitor_threshold_breached", operatorType: "StringContains", values: ["has failed due to one or more features violating metric thresholds"] },
            { key: "data.runStatus", operatorType: "StringIn", values: ["completed", "failed"] },
          ],
          enableAdvancedFilteringOnArrays: false,
          includedEventTypes: [AmlEventType.RunStatusChanged],
          isSubjectCaseSensitive: false,
        },
      ],
    ]);
    assert.strictEqual(alerts.subscriptions.length, 3);
    assert.strictEqual(await isSecretOutput(alerts.callbackUrl), true);
    assert.match(await promiseOf(alerts.callbackUrl), /\/triggers\/When_events_arrive\/paths\/invoke\?.*sig=/);
    assert.deepStrictEqual(await promiseOf(alerts.manualSteps), []);
    assert.strictEqual(await promiseOf(alerts.communicationServiceId), acsId);
  });

  it("filters RunStatusChanged on data.runStatus in Event Grid for a rule that lists no statuses (failed by default)", async () => {
    const events = workspaceEvents("mail7");
    const alerts = new EmailAlerts("mail7", { events, recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.RunStatusChanged, recipients: ["runs@contoso.com"] }] });
    await settle();
    const subs = mockEngine
      .resources()
      .filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription" && r.name.startsWith("events-mail7-"))
      .map((r) => [r.name, r.inputs.filter]);
    assert.deepStrictEqual(subs, [
      [
        "events-mail7-mail7-run-status",
        {
          advancedFilters: [{ key: "data.runStatus", operatorType: "StringIn", values: ["failed"] }],
          enableAdvancedFilteringOnArrays: false,
          includedEventTypes: [AmlEventType.RunStatusChanged],
          isSubjectCaseSensitive: false,
        },
      ],
    ]);
    assert.strictEqual(alerts.subscriptions.length, 1);
  });

  it("uses an existing Communication Service: no ACS resources, role scoped to it", async () => {
    const acsId = `/subscriptions/${SUB}/resourceGroups/rg-shared/providers/Microsoft.Communication/communicationServices/acs-shared`;
    new EmailAlerts("mail2", {
      events: workspaceEvents("mail2"),
      recipients: ["ml-oncall@contoso.com"],
      email: { kind: "existingCommunicationServices", communicationServiceId: acsId, hostName: "acs-shared.europe.communication.azure.com", senderAddress: "alerts@contoso.com" },
    });
    const mine = await registered("mail2");
    assert.strictEqual(mine.filter((r) => r.type.startsWith("azure-native:communication:")).length, 0);
    const [grant] = mine.filter((r) => r.type === "azure-native:authorization:RoleAssignment" && r.name === "mail2-sender");
    assert.strictEqual(grant.inputs.scope, acsId);
    const [role] = mine.filter((r) => r.type === "azure-native:authorization:RoleDefinition");
    assert.deepStrictEqual(role.inputs.assignableScopes, [acsId.split("/providers/")[0]], "assignable in the resource group, assigned on the one service");
    const [wf] = mine.filter((r) => r.type === "azure-native:logic:Workflow");
    assert.deepStrictEqual((wf.inputs.parameters as Record<string, { value: string }>).senderAddress, { value: "alerts@contoso.com" });
  });

  it("Office 365: an API connection, no role, and the consent step in manualSteps", async () => {
    const alerts = new EmailAlerts("mail3", { events: workspaceEvents("mail3"), recipients: ["ml-oncall@contoso.com"], email: { kind: "office365" } });
    const mine = await registered("mail3");
    const [conn] = mine.filter((r) => r.type === "azure-native:web:Connection");
    assert.strictEqual(
      (conn.inputs.properties as { api: { id: string } }).api.id,
      `/subscriptions/${SUB}/providers/Microsoft.Web/locations/westeurope/managedApis/office365`,
    );
    assert.strictEqual(mine.filter((r) => r.type.startsWith("azure-native:authorization:")).length, 0);
    assert.deepStrictEqual(await promiseOf(alerts.manualSteps), [OFFICE365_CONSENT_STEP]);
    const [wf] = mine.filter((r) => r.type === "azure-native:logic:Workflow");
    const connections = (wf.inputs.parameters as Record<string, { value: { office365: { connectionId: string } } }>)["$connections"];
    assert.strictEqual(connections.value.office365.connectionId, conn.id);
  });

  it("fails at construction, before creating anything, with every problem named", async () => {
    const events = workspaceEvents("mail4");
    assert.throws(
      () =>
        new EmailAlerts("mail4", {
          events: events,
          recipients: ["not-an-address"],
          alerts: [{ eventType: AmlEventType.RunCompleted, subjectTemplate: "Run {data.runid} {data.nope}" }],
        }),
      (e: Error) =>
        /recipients: "not-an-address" is not a valid email address/.test(e.message) &&
        /unknown field 'data.nope' for Microsoft.MachineLearningServices.RunCompleted.* at position 17 in "Run \{data.runid\} \{data.nope\}"/.test(e.message),
    );
    const mine = await registered("mail4");
    assert.deepStrictEqual(mine.filter((r) => r.type !== "aml-events:index:EmailAlerts"), []);
  });

  it("validateEmailAlertsArgs checks the component name and the existing service id", () => {
    const events = workspaceEvents("mail5");
    assert.deepStrictEqual(
      validateEmailAlertsArgs("bad name", {
        events: events,
        recipients: ["a@contoso.com"],
        email: { kind: "existingCommunicationServices", communicationServiceId: "acs-shared", hostName: "h", senderAddress: "s@contoso.com" },
      }),
      [
        'name "bad name" is used in Azure resource names, which take 1-50 letters, digits and hyphens (not at either end); rename the component (e.g. "bad-name").',
        `email.communicationServiceId "acs-shared" is not a Communication Service ARM id; expected /subscriptions/…/providers/Microsoft.Communication/communicationServices/{name}.`,
      ],
    );
  });

  it("a string where a list is expected is one clear error, not one per character", () => {
    const events = workspaceEvents("mail6");
    const cast = <T>(v: unknown): T => v as T;
    assert.deepStrictEqual(validateEmailAlertsArgs("mail6", { events, recipients: cast<string[]>("ml-oncall@contoso.com") }), [
      'recipients must be a list of addresses, e.g. ["ml-oncall@contoso.com"]; got "ml-oncall@contoso.com".',
    ]);
    assert.deepStrictEqual(validateEmailAlertsArgs("mail6", { events, recipients: ["a@contoso.com"], alerts: [{ eventType: AmlEventType.ModelRegistered, recipients: cast<string[]>("b@contoso.com") }] }), [
      'alerts[0].recipients must be a list of addresses, e.g. ["b@contoso.com"]; got "b@contoso.com".',
    ]);
    assert.deepStrictEqual(validateEmailAlertsArgs("mail6", { events, recipients: ["a@contoso.com"], alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: cast<string[]>("failed") }] }), [
      'alerts[0].runStatuses must be a list, e.g. ["failed"]; got "failed".',
    ]);
    const alerts = validateEmailAlertsArgs("mail6", { events, recipients: ["a@contoso.com"], alerts: cast<EmailAlertRule[]>(AmlEventType.RunCompleted) });
    assert.strictEqual(alerts.filter((p) => p.startsWith("alerts must be a list")).length, 1, alerts.join("\n"));
  });

  it("Azure Communication Services: at most 50 recipients per email, refused with the limit and the fix; Office 365 is not limited here", () => {
    const events = workspaceEvents("mail7");
    const many = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@contoso.com`);
    assert.deepStrictEqual(validateEmailAlertsArgs("mail7", { events, recipients: many(50) }), []);
    const [problem, ...rest] = validateEmailAlertsArgs("mail7", { events, recipients: many(51) });
    assert.deepStrictEqual(rest, []);
    assert.match(problem, /^recipients has 51 addresses; Azure Communication Services sends one email to at most 50 recipients .*distribution list address/);
    const perRule = validateEmailAlertsArgs("mail7", { events, recipients: ["a@contoso.com"], alerts: [{ eventType: AmlEventType.ModelRegistered, recipients: many(10000) }] });
    assert.deepStrictEqual(perRule.map((p) => p.slice(0, 40)), ["alerts[0].recipients has 10000 addresses"]);
  });
});
