import * as assert from "assert";
import { AmlEventType, EventGridEvent, monitoringSampleEvents, SAMPLE_WORKSPACE_ID, sampleEvents } from "../../lib/events";
import { buildEmailAlertsDefinition, EmailAlertRule, LEGACY_DRIFT_ALERT, MODEL_MONITOR_BREACH_ALERT, previewEmails, validateEmailDefinitionOptions } from "../../lib/notifications";

function withStatus(event: EventGridEvent, runStatus: string): EventGridEvent {
  return { ...event, id: `${event.id.slice(0, -2)}99`, data: { ...(event.data as Record<string, unknown>), runStatus } };
}

const WS = SAMPLE_WORKSPACE_ID;
const RECIPIENTS = ["ml-oncall@contoso.com"];

/** The documented (PascalCase) payload of the same breach. */
function pascal(event: ReturnType<typeof monitoringSampleEvents>[number]) {
  const d = event.data as Record<string, unknown>;
  return {
    ...event,
    data: { ExperimentId: d.experimentId, ExperimentName: d.experimentName, RunId: d.runId, RunType: d.runType, RunTags: d.runTags, RunProperties: {}, RunStatus: d.runStatus },
  };
}

const EXPECTED_BODY = [
  "A model monitor signal breached its thresholds in workspace mlw-platform.",
  "",
  "Signal: credit-default-monitor_data-drift-signal",
  "Breaching features:",
  "- age: value 0.3127 (jensen_shannon_distance, threshold 0.1)",
  "- credit_limit: value 0.0452 (population_stability_index, threshold 0.02)",
  "",
  "Monitor run: credit-default-monitor-20261204061000-evaluate-data-drift-signal (Completed)",
  "Time: 2026-12-04T06:12:44.1234567Z",
  `Workspace: ${WS}`,
  "",
  `Open the monitor run in Azure Machine Learning studio: https://ml.azure.com/runs/credit-default-monitor-20261204061000-evaluate-data-drift-signal?wsid=${WS}`,
  "",
  "Event id: 6f1d2c8e-3b4a-4e59-8c71-0a9b2d3e4f51",
].join("\n");

describe("EmailAlerts: model monitor breach alert", () => {
  for (const [label, shape] of [
    ["real camelCase payload", (e: ReturnType<typeof monitoringSampleEvents>[number]) => e],
    ["documented PascalCase payload", pascal],
  ] as const) {
    it(`names the signal and lists the breaching features of a Completed breach (${label}); no breach mail for a plain failed run nor a tagged run still running`, () => {
      const [breach, , trainingFailure] = monitoringSampleEvents().map(shape);
      const running = shape(withStatus(monitoringSampleEvents()[0], "Running"));
      const previews = previewEmails({ recipients: RECIPIENTS, alerts: [MODEL_MONITOR_BREACH_ALERT] }, [breach, trainingFailure, running], { workspaceId: WS });
      assert.deepStrictEqual(previews, [
        {
          eventIndex: 0,
          eventId: breach.id,
          eventType: AmlEventType.RunStatusChanged,
          action: "Send_email_ModelMonitorBreach",
          to: RECIPIENTS,
          subject: "[Azure ML] Model monitor breach in mlw-platform: credit-default-monitor_data-drift-signal",
          body: EXPECTED_BODY,
        },
      ]);
    });
  }

  it("is one of the default alerts and a breach is mailed once, as a breach, whatever its status (not again as a failed or completed run)", () => {
    const [breach, laterFailed, trainingFailure] = monitoringSampleEvents();
    const completedEvent = { ...breach, id: "6f1d2c8e-3b4a-4e59-8c71-0a9b2d3e4f54", eventType: AmlEventType.RunCompleted };
    const previews = previewEmails({ recipients: RECIPIENTS }, [breach, trainingFailure, completedEvent, laterFailed], { workspaceId: WS });
    assert.deepStrictEqual(
      previews.map((p) => [p.eventIndex, p.action]),
      [
        [0, "Send_email_ModelMonitorBreach"],
        [1, "Send_email_RunStatusChanged"],
        [3, "Send_email_ModelMonitorBreach"],
      ],
    );
    const withoutBreachRule = previewEmails({ recipients: RECIPIENTS, alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }] }, [laterFailed], { workspaceId: WS });
    assert.deepStrictEqual(withoutBreachRule.map((p) => p.action), ["Send_email_RunStatusChanged"], "without a breach rule a tagged failed run is still a failed run");
  });

  it("the defaults no longer mail legacy DatasetDriftDetected; listing it keeps it", () => {
    const drift = sampleEvents().find((e) => e.eventType === AmlEventType.DatasetDriftDetected);
    assert.ok(drift);
    assert.deepStrictEqual(previewEmails({ recipients: RECIPIENTS }, [drift], { workspaceId: WS }), []);
    assert.strictEqual(previewEmails({ recipients: RECIPIENTS, alerts: [LEGACY_DRIFT_ALERT] }, [drift], { workspaceId: WS }).length, 1);
  });

  it("keeps the rows as the tag wrote them when they are not in the known layout", () => {
    const [breach] = monitoringSampleEvents();
    const d = breach.data as Record<string, unknown>;
    const odd = { ...breach, data: { ...d, runTags: { azureml_modelmonitor_threshold_breached: "The signal 'm_s' has failed due to one or more features violating metric thresholds. [age > 0.1]" } } };
    const [p] = previewEmails({ recipients: RECIPIENTS, alerts: [MODEL_MONITOR_BREACH_ALERT] }, [odd], { workspaceId: WS });
    assert.match(p.body, /Signal: m_s\nBreaching features:\nage > 0\.1]\n/);
  });

  it("refuses run statuses Azure ML never sends (Cancelled, Succeeded) and glob characters in prefixes, naming the fix; real spellings pass", () => {
    const problems = validateEmailDefinitionOptions({
      recipients: RECIPIENTS,
      alerts: [
        { eventType: AmlEventType.RunStatusChanged, runStatuses: ["Cancelled", "succeeded", "weird"] },
        { eventType: AmlEventType.RunCompleted, experimentNamePrefix: "prod-*" },
      ],
    });
    assert.strictEqual(problems.length, 4, problems.join("\n"));
    assert.match(problems[0], /alerts\[0\]\.runStatuses\[0\]: "Cancelled" is not a status Azure ML sends.*use "canceled"/);
    assert.match(problems[1], /alerts\[0\]\.runStatuses\[1\]: "succeeded" .*use "completed"/);
    assert.match(problems[2], /"weird" .*use one of .*Canceled/);
    assert.match(problems[3], /alerts\[1\]\.experimentNamePrefix: "prod-\*" holds a glob character.*Use "prod-" instead/);
    const fine: EmailAlertRule[] = [
      { eventType: AmlEventType.RunStatusChanged, runStatuses: ["Canceled", "failed", "NotResponding"] },
      { eventType: AmlEventType.RunCompleted, experimentNamePrefix: "prod-" },
    ];
    assert.deepStrictEqual(validateEmailDefinitionOptions({ recipients: RECIPIENTS, alerts: fine }), []);
  });

  it("rejects the breach kind on another event type, and breach fields in templates of other event types", () => {
    assert.deepStrictEqual(validateEmailDefinitionOptions({ recipients: RECIPIENTS, alerts: [{ eventType: AmlEventType.RunCompleted, kind: "modelMonitorBreach" }] }), [
      `alerts[0].kind "modelMonitorBreach" needs eventType ${AmlEventType.RunStatusChanged} (the breach tag is on a run), got ${AmlEventType.RunCompleted}; change the event type or remove kind.`,
    ]);
    assert.throws(
      () => buildEmailAlertsDefinition({ recipients: RECIPIENTS, alerts: [{ eventType: AmlEventType.ModelRegistered, bodyTemplate: "{breachSignal}" }] }),
      /alerts\[0\]\.bodyTemplate \(for ModelRegistered\): 'breachSignal' reads the model monitor breach tag of RunStatusChanged events only/,
    );
  });
});
