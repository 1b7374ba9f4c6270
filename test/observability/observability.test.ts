import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MlEventWorkflows } from "../../lib/composite";
import { AmlEventType } from "../../lib/events";
import {
  DIAGNOSTIC_PROFILES,
  Observability,
  diagnosticSettingInputs,
  emailReceivers,
  isoMinutes,
  metricAlertCriteria,
  validateAlertSettings,
  validateObservabilityArgs,
} from "../../lib/observability";
import { keySettings } from "../../lib/plan/describe";
import { promiseOf, registered, workspaceId } from "../helpers/pulumi";

type Criteria = { allOf: { metricName: string; threshold: number; dimensions?: unknown }[] };
const criteriaOf = (r: { inputs: Record<string, unknown> }): Criteria["allOf"][0] => (r.inputs.criteria as Criteria).allOf[0];
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers";
const TOPIC = `${SUB}/Microsoft.EventGrid/systemTopics/ws-topic`;
const WORKFLOW = `${SUB}/Microsoft.Logic/workflows/wf-email`;
const FACTORY = `${SUB}/Microsoft.DataFactory/factories/adf-retrain`;
const FUNCTION = `${SUB}/Microsoft.Web/sites/func-deployer`;

describe("observability builders", () => {
  it("formats alert windows as ISO 8601 durations", () => {
    const table: [number, string][] = [[1, "PT1M"], [5, "PT5M"], [15, "PT15M"], [60, "PT1H"], [360, "PT6H"], [1440, "P1D"]];
    for (const [minutes, iso] of table) assert.strictEqual(isoMinutes(minutes), iso);
  });

  it("builds per-subscription criteria split by EventSubscriptionName", () => {
    assert.deepStrictEqual(metricAlertCriteria("deadlettered", 0, ["b-sub", "a-sub"]), {
      odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
      allOf: [
        {
          criterionType: "StaticThresholdCriterion",
          name: "DeadLetteredCount",
          metricNamespace: "Microsoft.EventGrid/systemTopics",
          metricName: "DeadLetteredCount",
          dimensions: [{ name: "EventSubscriptionName", operator: "Include", values: ["a-sub", "b-sub"] }],
          operator: "GreaterThan",
          threshold: 0,
          timeAggregation: "Total",
        },
      ],
    });
    assert.deepStrictEqual(metricAlertCriteria("dropped", 3, [])["allOf"][0].dimensions, [{ name: "EventSubscriptionName", operator: "Include", values: ["*"] }]);
    const table: [Parameters<typeof metricAlertCriteria>[0], string, string][] = [
      ["deliveryfailed", "Microsoft.EventGrid/systemTopics", "DeliveryAttemptFailCount"],
      ["runsfailed", "Microsoft.Logic/workflows", "RunsFailed"],
      ["pipelinefailed", "Microsoft.DataFactory/factories", "PipelineFailedRuns"],
    ];
    for (const [key, ns, metric] of table) {
      const c = metricAlertCriteria(key, 1).allOf[0];
      assert.deepStrictEqual([c.metricNamespace, c.metricName, c.dimensions, c.threshold], [ns, metric, undefined, 1]);
    }
  });

  it("sends the documented log categories per resource kind", () => {
    assert.deepStrictEqual(diagnosticSettingInputs("systemTopic"), {
      logs: [{ category: "DeliveryFailures", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
      logAnalyticsDestinationType: "Dedicated",
    });
    assert.deepStrictEqual(diagnosticSettingInputs("workflow").logs, [{ category: "WorkflowRuntime", enabled: true }]);
    assert.deepStrictEqual(diagnosticSettingInputs("functionApp"), { logs: [{ category: "FunctionAppLogs", enabled: true }] });
    assert.deepStrictEqual(diagnosticSettingInputs("factory"), {
      logs: [{ category: "PipelineRuns", enabled: true }, { category: "ActivityRuns", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
      logAnalyticsDestinationType: "Dedicated",
    });
    assert.deepStrictEqual(Object.keys(DIAGNOSTIC_PROFILES).sort(), ["factory", "functionApp", "systemTopic", "workflow"]);
  });

  it("names email receivers uniquely and stably", () => {
    assert.deepStrictEqual(emailReceivers(["ml.oncall@contoso.com", "ml.oncall@fabrikam.com"]).map((r) => r.name), ["email-1-ml-oncall", "email-2-ml-oncall"]);
  });

  it("rejects out-of-range thresholds, windows, frequencies and severities, naming the value", () => {
    const problems = validateAlertSettings("X", { deadlettered: -1, bogus: 1 } as never, { windowMinutes: 10, evaluationFrequencyMinutes: 7, severity: 5 });
    assert.strictEqual(problems.length, 5, problems.join("\n"));
    assert.match(problems.join("\n"), /thresholds\.deadlettered is -1/);
    assert.match(problems.join("\n"), /thresholds\.bogus is not a known alert/);
    assert.match(problems.join("\n"), /windowMinutes is 10; Azure Monitor accepts 1, 5, 15/);
    assert.match(problems.join("\n"), /evaluationFrequencyMinutes is 7/);
    assert.match(problems.join("\n"), /severity is 5/);
    assert.match(validateAlertSettings("X", {}, { windowMinutes: 5, evaluationFrequencyMinutes: 15 }).join(), /longer than windowMinutes 5/);
    assert.deepStrictEqual(validateAlertSettings("X", undefined, undefined), []);
  });

  it("rejects empty or malformed recipients, a wrong workspace id and nothing to watch", () => {
    const base = { resourceGroupName: "rg", location: "westeurope" };
    assert.match(validateObservabilityArgs("o", { ...base, recipients: [], factoryId: FACTORY }).join(), /recipients is empty/);
    assert.match(validateObservabilityArgs("o", { ...base, recipients: ["not-an-email"], factoryId: FACTORY }).join(), /"not-an-email" is not an email address/);
    assert.match(validateObservabilityArgs("o", { ...base, recipients: ["a@b.co"] }).join(), /nothing to watch/);
    assert.match(
      validateObservabilityArgs("o", { ...base, recipients: ["a@b.co"], factoryId: FACTORY, logAnalytics: { workspaceId: FACTORY } }).join(),
      /logAnalytics\.workspaceId ".*factories\/adf-retrain" is not a Log Analytics workspace id/,
    );
    assert.match(validateObservabilityArgs("o", { ...base, recipients: ["a@b.co"], factoryId: FACTORY, retentionInDays: 7 }).join(), /retentionInDays is 7; expected a whole number from 30 to 730/);
    // A created workspace takes any retention in range; a brought one is refused with the fix.
    assert.deepStrictEqual(validateObservabilityArgs("o", { ...base, recipients: ["a@b.co"], factoryId: FACTORY, retentionInDays: 90 }), []);
    assert.match(
      validateObservabilityArgs("o", { ...base, recipients: ["a@b.co"], factoryId: FACTORY, retentionInDays: 90, logAnalytics: { workspaceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.OperationalInsights/workspaces/law-central" } }).join(),
      /retentionInDays is set but the Log Analytics workspace is brought; set retention on that workspace instead/,
    );
    assert.match(validateObservabilityArgs("o", { ...base, recipients: ["a@b.co"], workflows: [{ label: "x", id: WORKFLOW }, { label: "x", id: WORKFLOW }] }).join(), /used twice/);
    assert.throws(() => new Observability("obs-bad", { ...base, recipients: [] }), (e: Error) => e instanceof pulumi.ResourceError && /Observability\("obs-bad"\): recipients is empty/.test(e.message));
  });
});

describe("Observability", () => {
  it("declares one workspace, one action group, a diagnostic setting per watched resource and the alerts", async () => {
    const obs = new Observability("obs1", {
      resourceGroupName: "rg-ml",
      location: "westeurope",
      recipients: ["ml-oncall@contoso.com", "data-eng@contoso.com"],
      systemTopic: { id: TOPIC, subscriptionNames: ["obs1-email-alerts", "obs1-retrain"] },
      workflows: [{ label: "email", id: WORKFLOW }],
      functionAppId: FUNCTION,
      factoryId: FACTORY,
      thresholds: { deliveryfailed: 10 },
      alertTiming: { windowMinutes: 60, evaluationFrequencyMinutes: 15, severity: 1 },
    });
    const rs = await registered("obs1");
    const byType = (t: string) => rs.filter((r) => r.type === `azure-native:${t}`);
    assert.deepStrictEqual(byType("operationalinsights:Workspace").map((r) => [r.name, r.inputs.retentionInDays, r.inputs.sku]), [["obs1-logs", 30, { name: "PerGB2018" }]]);
    const [group] = byType("monitor:ActionGroup");
    assert.deepStrictEqual([group.name, group.inputs.location, group.inputs.groupShortName, (group.inputs.emailReceivers as { emailAddress: string }[]).map((r: { emailAddress: string }) => r.emailAddress)], [
      "obs1-actions", "global", "obs1", ["ml-oncall@contoso.com", "data-eng@contoso.com"],
    ]);
    const diags = byType("monitor:DiagnosticSetting");
    assert.deepStrictEqual(diags.map((d) => [d.name, d.inputs.resourceUri, (d.inputs.logs as { category: string }[]).map((l: { category: string }) => l.category).join("+")]).sort(), [
      ["obs1-diag-email", WORKFLOW, "WorkflowRuntime"],
      ["obs1-diag-factory", FACTORY, "PipelineRuns+ActivityRuns"],
      ["obs1-diag-function", FUNCTION, "FunctionAppLogs"],
      ["obs1-diag-topic", TOPIC, "DeliveryFailures"],
    ]);
    const workspace = await promiseOf(obs.logAnalyticsWorkspaceId);
    for (const d of diags) assert.strictEqual(d.inputs.workspaceId, workspace);
    const alerts = byType("monitor:MetricAlert");
    const actionGroupId = await promiseOf(obs.actionGroupId);
    assert.deepStrictEqual(alerts.map((a) => [a.name, criteriaOf(a).metricName, criteriaOf(a).threshold, (a.inputs.scopes as string[])[0]]).sort(), [
      ["obs1-alert-deadlettered", "DeadLetteredCount", 0, TOPIC],
      ["obs1-alert-deliveryfailed", "DeliveryAttemptFailCount", 10, TOPIC],
      ["obs1-alert-dropped", "DroppedEventCount", 0, TOPIC],
      ["obs1-alert-pipelinefailed", "PipelineFailedRuns", 0, FACTORY],
      ["obs1-alert-runsfailed-email", "RunsFailed", 0, WORKFLOW],
    ]);
    for (const a of alerts) {
      assert.deepStrictEqual([a.inputs.windowSize, a.inputs.evaluationFrequency, a.inputs.severity, a.inputs.location, a.inputs.actions], ["PT1H", "PT15M", 1, "global", [{ actionGroupId }]]);
    }
    assert.deepStrictEqual(criteriaOf(alerts.find((a) => a.name === "obs1-alert-dropped") ?? alerts[0]).dimensions, [
      { name: "EventSubscriptionName", operator: "Include", values: ["obs1-email-alerts", "obs1-retrain"] },
    ]);
    assert.ok(!rs.some((r) => r.type === "azure-native:authorization:RoleAssignment"), "monitoring grants no roles");
    const plan = (n: string) => {
      const r = rs.find((x) => x.name === n) ?? rs[0];
      return keySettings({ type: r.type, name: r.name, urn: "", inputs: r.inputs });
    };
    assert.strictEqual(plan("obs1-alert-dropped"), "DroppedEventCount > 0 in PT1H sev=1 per EventSubscriptionName=obs1-email-alerts,obs1-retrain");
    assert.strictEqual(plan("obs1-diag-factory"), "on=adf-retrain logs=PipelineRuns,ActivityRuns +AllMetrics to=obs1-logs");
    assert.strictEqual(plan("obs1-actions"), "email=ml-oncall@contoso.com,data-eng@contoso.com");
  });

  it("uses a brought Log Analytics workspace and creates none", async () => {
    const la = `${SUB}/Microsoft.OperationalInsights/workspaces/central-logs`;
    new Observability("obs2", { resourceGroupName: "rg", location: "westeurope", recipients: ["a@contoso.com"], factoryId: FACTORY, logAnalytics: { workspaceId: la } });
    const rs = await registered("obs2");
    assert.ok(!rs.some((r) => r.type === "azure-native:operationalinsights:Workspace"));
    assert.deepStrictEqual(rs.filter((r) => r.type === "azure-native:monitor:DiagnosticSetting").map((d) => d.inputs.workspaceId), [la]);
  });
});

describe("MlEventWorkflows monitoring", () => {
  it("watches the topic, both workflows, the Function App and the factory when recipients are given", async () => {
    const ml = new MlEventWorkflows("mlobs", {
      workspaceId: workspaceId("mlobs"),
      resourceGroupName: "rg-ml",
      location: "westeurope",
      email: { recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }] },
      retrain: { minimumDriftCoefficient: 0.5, createPipeline: { experimentName: "retrain", mlPipelineId: "00000000-0000-0000-0000-0000000000aa" } },
      deployer: { rules: [{ models: ["sklearn_regression_model"], tags: { stage: ["production"] }, endpointName: "ep-prod" }] },
      monitoring: { recipients: ["ops@contoso.com"] },
    });
    const rs = await registered("mlobs-monitoring");
    const names = rs.filter((r) => r.type.startsWith("azure-native:monitor:")).map((r) => r.name).sort();
    assert.deepStrictEqual(names, [
      "mlobs-monitoring-actions",
      "mlobs-monitoring-alert-deadlettered",
      "mlobs-monitoring-alert-deliveryfailed",
      "mlobs-monitoring-alert-dropped",
      "mlobs-monitoring-alert-pipelinefailed",
      "mlobs-monitoring-alert-runsfailed-email",
      "mlobs-monitoring-alert-runsfailed-retrain",
      "mlobs-monitoring-diag-email",
      "mlobs-monitoring-diag-factory",
      "mlobs-monitoring-diag-function",
      "mlobs-monitoring-diag-retrain",
      "mlobs-monitoring-diag-topic",
    ]);
    const topicId = await promiseOf(ml.events.systemTopicId);
    assert.strictEqual(rs.find((r) => r.name === "mlobs-monitoring-diag-topic")?.inputs.resourceUri, topicId);
    const outputs = await promiseOf(pulumi.output(ml.outputs));
    assert.match(String(outputs.actionGroupId), /actionGroups|mlobs-monitoring-actions/);
    assert.ok(outputs.logAnalyticsWorkspaceId);
  });

  it("creates no monitoring without the option, and rejects it without recipients", async () => {
    new MlEventWorkflows("mlobs2", { workspaceId: workspaceId("mlobs2"), resourceGroupName: "rg", location: "westeurope", streaming: {} });
    assert.ok(!(await registered("mlobs2")).some((r) => r.type.startsWith("azure-native:monitor:")));
    assert.throws(
      () => new MlEventWorkflows("mlobs3", { workspaceId: workspaceId("mlobs3"), resourceGroupName: "rg", location: "westeurope", streaming: {}, monitoring: { recipients: [] } }),
      /Observability\("mlobs3-monitoring"\): recipients is empty/,
    );
  });
});
