import * as assert from "assert";
import { AmlEventType, AmlEventTypeName, documentedSampleEvents, sampleEvents, SAMPLE_WORKSPACE_ID, SUBSCRIPTION_VALIDATION_EVENT } from "../../lib/events";
import {
  alertRules,
  buildEmailAlertsDefinition,
  DEFAULT_ALERT_EVENTS,
  compileTemplate,
  EmailDefinitionOptions,
  LEGACY_DRIFT_ALERT,
  previewEmails,
  validateEmailDefinitionOptions,
} from "../../lib/notifications";
import { simulateWorkflow } from "../../lib/simulate";

const WS = SAMPLE_WORKSPACE_ID;
const ENDPOINT = "https://acs-alerts.europe.communication.azure.com";
const SENDER = "DoNotReply@0f1e2d3c-aaaa-bbbb-cccc-123456789abc.azurecomm.net";
const params = {
  workspaceId: { value: WS },
  emailEndpoint: { value: ENDPOINT },
  senderAddress: { value: SENDER },
};
const RUN_ID = "AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5";
const EXPERIMENT_ID = "0fa9dfaa-cba3-4fa7-b590-23e48548f5c1";
const RECIPIENTS = ["ml-oncall@contoso.com", "data-science@contoso.com"];
const NOW = "2026-12-04T16:30:05Z";

function simulate(options: EmailDefinitionOptions, events: readonly unknown[]) {
  return simulateWorkflow(buildEmailAlertsDefinition(options), { body: events }, { parameters: params, now: NOW, httpResponses: () => ({ statusCode: 202, headers: {} }) });
}

function sends(result: ReturnType<typeof simulate>) {
  return result.actions.filter((a) => a.type === "Http" && a.status !== "Skipped");
}

describe("buildEmailAlertsDefinition (simulated)", () => {
  for (const [label, events] of [
    ["real camelCase events", sampleEvents()],
    ["documented PascalCase events", documentedSampleEvents()],
  ] as const) {
    it(`sends the exact RunStatusChanged(failed) email for ${label}`, () => {
      const runStatusChanged = events[4];
      const r = simulate({ recipients: RECIPIENTS }, [runStatusChanged]);
      assert.deepStrictEqual(r.response, { statusCode: 200, headers: { "Content-Type": "application/json" }, body: { received: 1, failedEventIds: [], throttledEventIds: [], rejectedEventIds: [] } });
      const [send] = sends(r);
      assert.strictEqual(send.name, "Send_email_RunStatusChanged");
      assert.strictEqual(send.status, "Succeeded");
      assert.deepStrictEqual(send.inputs, {
        method: "POST",
        uri: `${ENDPOINT}/emails:send?api-version=2023-03-31`,
        headers: {
          "Content-Type": "application/json",
          // The event id with the rule's index (0) as its last three hex digits: stable across Event Grid retries.
          "Repeatability-Request-Id": "831e1650-001e-001b-66ab-eeb76e069000",
          "Repeatability-First-Sent": "Fri, 04 Dec 2026 16:30:05 GMT",
        },
        body: {
          senderAddress: SENDER,
          content: {
            subject: `[Azure ML] RunStatusChanged in mlw-platform: experiments/${EXPERIMENT_ID}/runs/${RUN_ID}`,
            plainText: [
              "A run changed status in workspace mlw-platform.",
              "",
              "Event type: Microsoft.MachineLearningServices.RunStatusChanged",
              `Subject: experiments/${EXPERIMENT_ID}/runs/${RUN_ID}`,
              "Time: 2017-06-26T18:41:00.9584103Z",
              `Workspace: ${WS}`,
              "Experiment: automl-local-regression",
              `Run: ${RUN_ID}`,
              "Status: failed",
              "",
              `Open in Azure Machine Learning studio: https://ml.azure.com/runs/${RUN_ID}?wsid=${WS}`,
              "",
              "Event id: 831e1650-001e-001b-66ab-eeb76e069635",
            ].join("\n"),
          },
          recipients: { to: [{ address: "ml-oncall@contoso.com" }, { address: "data-science@contoso.com" }] },
        },
        authentication: { type: "ManagedServiceIdentity", audience: "https://communication.azure.com/" },
        retryPolicy: { type: "none" },
      });
    });

    it(`sends one email per default alert for the five samples (${label}), model details in both casings; legacy drift only when listed`, () => {
      const previews = previewEmails({ recipients: RECIPIENTS, alerts: [...DEFAULT_ALERT_EVENTS.slice(0, 3), LEGACY_DRIFT_ALERT, ...DEFAULT_ALERT_EVENTS.slice(3)] }, events, { workspaceId: WS });
      assert.deepStrictEqual(
        previewEmails({ recipients: RECIPIENTS }, events, { workspaceId: WS }).map((p) => p.eventIndex),
        [0, 1, 2, 4],
        "the defaults skip the retired v1 DatasetDriftDetected",
      );
      assert.deepStrictEqual(
        previews.map((p) => [p.eventIndex, p.action, p.to, p.subject]),
        [
          [0, "Send_email_ModelRegistered", RECIPIENTS, "[Azure ML] ModelRegistered in mlw-platform: models/sklearn_regression_model:20"],
          [1, "Send_email_ModelDeployed", RECIPIENTS, "[Azure ML] ModelDeployed in mlw-platform: endpoints/my-sklearn-service"],
          [2, "Send_email_RunCompleted", RECIPIENTS, `[Azure ML] RunCompleted in mlw-platform: experiments/${EXPERIMENT_ID}/runs/${RUN_ID}`],
          [
            3,
            "Send_email_DatasetDriftDetected",
            RECIPIENTS,
            "[Azure ML] DatasetDriftDetected in mlw-platform: datadrift/01d29aa4-e6a4-470a-9ef3-66660d21f8ef/run/01d29aa4-e6a4-470a-9ef3-66660d21f8ef_1571590300380",
          ],
          [4, "Send_email_RunStatusChanged", RECIPIENTS, `[Azure ML] RunStatusChanged in mlw-platform: experiments/${EXPERIMENT_ID}/runs/${RUN_ID}`],
        ],
      );
      assert.ok(previews[1].body.split("\n").includes("Service: my-sklearn-service (ACI)"));
      assert.ok(previews[3].body.split("\n").includes("Drift coefficient: 0.8350349068479208"));
      const model = previews[0].body.split("\n");
      assert.ok(model.includes("Model: sklearn_regression_model version 20"));
      assert.ok(model.includes(`Open in Azure Machine Learning studio: https://ml.azure.com/model/sklearn_regression_model:20/details?wsid=${WS}`));
    });
  }

  it("answers the subscription validation handshake and sends nothing", () => {
    const r = simulate({ recipients: RECIPIENTS }, [
      {
        id: "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
        topic: WS,
        subject: "",
        data: { validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", validationUrl: "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/x/validate?id=1" },
        eventType: SUBSCRIPTION_VALIDATION_EVENT,
        eventTime: "2018-01-25T22:12:19.4556811Z",
        metadataVersion: "1",
        dataVersion: "1",
      },
    ]);
    assert.deepStrictEqual(r.response, {
      statusCode: 200,
      headers: { "Content-Type": "application/json" },
      body: { validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" },
    });
    assert.deepStrictEqual(sends(r), []);
  });

  it("sends nothing for an event from another workspace", () => {
    const foreign = sampleEvents(WS.replace("mlw-platform", "mlw-elsewhere"));
    const r = simulate({ recipients: RECIPIENTS }, foreign);
    assert.deepStrictEqual(sends(r), []);
    assert.deepStrictEqual(r.response?.body, { received: 5, failedEventIds: [], throttledEventIds: [], rejectedEventIds: [] });
  });

  it("keeps sending for the other events when one event in the batch is malformed, and answers 400 for it", () => {
    const [modelRegistered, , runCompleted] = sampleEvents();
    const malformed = { ...runCompleted, id: "malformed-1", data: ["not", "an", "object"] };
    const r = simulate(
      { recipients: RECIPIENTS, alerts: [AmlEventType.RunCompleted, AmlEventType.ModelRegistered], subjectTemplate: "{eventTypeShort} @{items('For_each_event').data}" },
      [modelRegistered, malformed, runCompleted],
    );
    assert.deepStrictEqual(
      r.actions.filter((a) => a.name.startsWith("Send_email_") && a.status !== "Skipped").map((a) => `${a.iteration[0]}:${a.name}:${a.status}`),
      ["0:Send_email_ModelRegistered:Succeeded", "2:Send_email_RunCompleted:Succeeded"],
    );
    assert.deepStrictEqual(
      r.actions.filter((a) => a.name === "Reject_malformed_event" && a.status === "Succeeded").map((a) => a.iteration[0]),
      [1],
    );
    assert.deepStrictEqual(r.response, {
      statusCode: 400,
      headers: { "Content-Type": "application/json" },
      body: { received: 3, failedEventIds: [], throttledEventIds: [], rejectedEventIds: ["malformed-1"] },
    });
  });

  it("applies conditions: run status, experiment prefix, model tags; per-rule recipients", () => {
    const events = sampleEvents();
    const options: EmailDefinitionOptions = {
      recipients: RECIPIENTS,
      alerts: [
        { eventType: AmlEventType.RunStatusChanged, runStatuses: ["Failed", "Canceled"], experimentNamePrefix: "AUTOML-" },
        { eventType: AmlEventType.RunCompleted, experimentNamePrefix: "nightly-" },
        { eventType: AmlEventType.ModelRegistered, tags: { area: ["Diabetes"] }, recipients: ["models@contoso.com"] },
        { eventType: AmlEventType.ModelRegistered, tags: { area: ["cardio"] }, recipients: ["cardio@contoso.com"] },
      ],
    };
    const previews = previewEmails(options, events, { workspaceId: WS });
    assert.deepStrictEqual(
      previews.map((p) => [p.eventIndex, p.action, p.to]),
      [
        [0, "Send_email_ModelRegistered", ["models@contoso.com"]],
        [4, "Send_email_RunStatusChanged", RECIPIENTS],
      ],
    );
    const running = { ...events[4], data: { ...(events[4].data as object), runStatus: "Running" } };
    assert.deepStrictEqual(previewEmails(options, [running], { workspaceId: WS }), []);
  });

  it("a RunStatusChanged rule without runStatuses alerts on failed runs only, like the bare event type", () => {
    const events = sampleEvents();
    const failed = events.find((e) => e.eventType === AmlEventType.RunStatusChanged);
    assert.ok(failed);
    const running = { ...failed, id: "running-1", data: { ...(failed.data as object), runStatus: "Running" } };
    const documentedFailed = { ...failed, id: "failed-pascal", data: { RunStatus: "Failed", ExperimentName: "x" } };
    const options: EmailDefinitionOptions = { recipients: RECIPIENTS, alerts: [{ eventType: AmlEventType.RunStatusChanged, recipients: ["runs@contoso.com"] }] };
    assert.deepStrictEqual(
      previewEmails(options, [failed, running, documentedFailed], { workspaceId: WS }).map((p) => [p.eventId, p.to]),
      [
        [failed.id, ["runs@contoso.com"]],
        ["failed-pascal", ["runs@contoso.com"]],
      ],
    );
    assert.deepStrictEqual(alertRules(options.alerts), [{ eventType: AmlEventType.RunStatusChanged, recipients: ["runs@contoso.com"], runStatuses: ["failed"] }]);
  });

  it("sends through the Office 365 connector with the same texts", () => {
    const previews = previewEmails({ recipients: RECIPIENTS, channel: "office365", alerts: [AmlEventType.RunCompleted], subjectTemplate: "{eventTypeShort}", bodyTemplate: "Run {data.runId}\nin {workspaceName}" }, [sampleEvents()[2]], {
      workspaceId: WS,
    });
    assert.deepStrictEqual(previews, [
      {
        eventIndex: 0,
        eventId: "831e1650-001e-001b-66ab-eeb76e069633",
        eventType: AmlEventType.RunCompleted,
        action: "Send_email_RunCompleted",
        to: RECIPIENTS,
        subject: "RunCompleted",
        body: `Run ${RUN_ID}<br>in mlw-platform`,
      },
    ]);
  });
});

describe("validateEmailDefinitionOptions", () => {
  it("accepts the defaults", () => {
    assert.deepStrictEqual(validateEmailDefinitionOptions({ recipients: RECIPIENTS }), []);
  });

  it("names bad addresses, empty lists, unknown event types, unknown fields and unparsable expressions with positions", () => {
    const problems = validateEmailDefinitionOptions({
      recipients: ["ml-oncall@contoso", "ok@contoso.com"],
      alerts: [
        "Microsoft.MachineLearningServices.RunFailed" as AmlEventTypeName,
        { eventType: AmlEventType.RunCompleted, recipients: [], subjectTemplate: "Run {data.runIdd} done" },
        { eventType: AmlEventType.ModelRegistered, bodyTemplate: "Model @{concat('a', items('For_each_event')?['data']?['modelName']}" },
        { eventType: AmlEventType.ModelDeployed, subjectTemplate: "{data.modelName} @{toLowr('x')}" },
      ],
    });
    assert.deepStrictEqual(problems, [
      'recipients: "ml-oncall@contoso" is not a valid email address; expected name@domain.tld.',
      'alerts[0]: "Microsoft.MachineLearningServices.RunFailed" is not an AML event type; use one of Microsoft.MachineLearningServices.RunCompleted, Microsoft.MachineLearningServices.ModelRegistered, Microsoft.MachineLearningServices.ModelDeployed, Microsoft.MachineLearningServices.DatasetDriftDetected, Microsoft.MachineLearningServices.RunStatusChanged.',
      "alerts[1].recipients is empty; give at least one email address.",
      "alerts[1] (RunCompleted) has no recipients: recipients is empty and the rule gives none; add addresses.",
      `alerts[1].subjectTemplate (for RunCompleted): unknown field 'data.runIdd' for Microsoft.MachineLearningServices.RunCompleted; its data fields are data.experimentId, data.experimentName, data.runId, data.runType, data.runTags, data.runProperties at position 4 in "Run {data.runIdd} done"; fix the template (see the EmailAlerts template fields).`,
      `alerts[2].bodyTemplate (for ModelRegistered): expected ',' or ')' in call to 'concat' but found '}' at position 66 in "Model @{concat('a', items('For_each_event')?['data']?['modelName']}"; fix the template (see the EmailAlerts template fields).`,
      `alerts[3].subjectTemplate (for ModelDeployed): unknown field 'data.modelName' for Microsoft.MachineLearningServices.ModelDeployed; its data fields are data.serviceName, data.serviceComputeType, data.modelIds, data.serviceTags, data.serviceProperties at position 0 in "{data.modelName} @{toLowr('x')}"; fix the template (see the EmailAlerts template fields).`,
      `alerts[3].subjectTemplate (for ModelDeployed): unknown function 'toLowr' at position 19 in "{data.modelName} @{toLowr('x')}"; fix the template (see the EmailAlerts template fields).`,
    ]);
  });

  it("rejects an empty recipient list when a rule has none, and conditions on the wrong event type", () => {
    assert.deepStrictEqual(validateEmailDefinitionOptions({ recipients: [], alerts: [AmlEventType.ModelDeployed] }), [
      "alerts[0] (ModelDeployed) has no recipients: recipients is empty and the rule gives none; add addresses.",
    ]);
    assert.deepStrictEqual(validateEmailDefinitionOptions({ recipients: RECIPIENTS, alerts: [{ eventType: AmlEventType.ModelDeployed, runStatuses: ["failed"] }] }), [
      "alerts[0].runStatuses applies to run events only, not Microsoft.MachineLearningServices.ModelDeployed; remove it.",
    ]);
    assert.throws(() => buildEmailAlertsDefinition({ recipients: [] }), /has no recipients/);
  });

  it("names run statuses, tag values and prefixes that would break or widen the condition", () => {
    const bad = [
      { eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed", 3 as unknown as string, ""], experimentNamePrefix: "" },
      { eventType: AmlEventType.ModelRegistered, tags: { stage: [true as unknown as string] } },
    ];
    assert.deepStrictEqual(validateEmailDefinitionOptions({ recipients: RECIPIENTS, alerts: bad }), [
      'alerts[0].runStatuses[1]: 3 is not a run status; use a status name such as "failed" or "canceled".',
      'alerts[0].runStatuses[2]: "" is not a run status; use a status name such as "failed" or "canceled".',
      'alerts[0].experimentNamePrefix: "" matches every experiment; give a prefix such as "churn-", or remove it.',
      'alerts[1].tags.stage: [true] must hold non-empty strings (tag values are text); e.g. ["production"].',
    ]);
  });

  it("reads raw expressions' references against the catalog and escapes literal @", () => {
    const bad = compileTemplate("@{items('For_each_event')?['data']?['modelNme']}", AmlEventType.ModelRegistered);
    assert.deepStrictEqual(bad, {
      ok: false,
      problems: [{ message: "unknown field 'data.modelNme' for Microsoft.MachineLearningServices.ModelRegistered; its data fields are modelName, modelVersion, modelTags, modelProperties", position: 2 }],
    });
    const at = compileTemplate("@team {{urgent}} {eventTypeShort}", AmlEventType.RunCompleted);
    assert.ok(at.ok);
    if (at.ok) assert.strictEqual(at.value, "@{'@'}team {urgent} @{last(split(string(items('For_each_event')?['eventType']), '.'))}");
  });
});
