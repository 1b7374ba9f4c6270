import * as assert from "assert";
import { ModelDeployer } from "../../lib/deployment/modelDeployer";
import { AmlEventType, sampleEvents } from "../../lib/events";
import { EmailAlerts } from "../../lib/notifications";
import { planJson } from "../../lib/plan/cli";
import { conditionsInWords, failedCondition } from "../../lib/plan/conditions";
import { declaredRules, NOT_REACHED, subscriptionReach } from "../../lib/plan/declared";
import { htmlReport } from "../../lib/plan/html";
import { routingMapDot } from "../../lib/plan/map";
import { outcomeOf } from "../../lib/plan/outcomes";
import { Plan } from "../../lib/plan/plan";
import { subscriptionsSection } from "../../lib/plan/report";
import { plannedSubscriptions, planEvents } from "../../lib/plan/routing";
import { WorkspaceEvents } from "../../lib/workspace";
import { registered, workspaceId } from "../helpers/pulumi";

const NOW = "2026-11-22T09:00:00Z";

/** Declares alerts with per-rule conditions and recipients and a deployer with two endpoints, and plans the workspace's sample events. */
async function declaredPlan(): Promise<Plan> {
  const ws = workspaceId("dcl");
  const events = new WorkspaceEvents("dcl", { workspaceId: ws, resourceGroupName: "rg-ml", location: "westeurope" });
  new EmailAlerts("dcl-mail", {
    events,
    recipients: ["ml-oncall@contoso.com"],
    alerts: [
      { eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"], experimentNamePrefix: "churn-", recipients: ["churn-team@contoso.com"] },
      { eventType: AmlEventType.ModelRegistered, tags: { stage: ["production"] }, recipients: ["model-review@contoso.com"] },
      { eventType: AmlEventType.RunCompleted },
    ],
  });
  new ModelDeployer("dcl-dep", {
    events,
    resourceGroupName: "rg-ml",
    location: "westeurope",
    rules: [
      { models: ["sklearn_regression_model"], tags: { type: ["regression"] }, endpointName: "ep-regression-7f3a" },
      { models: ["sklearn_regression_model"], tags: { type: ["classification"] }, endpointName: "ep-classification-7f3a" },
    ],
  });
  const raw = await registered("dcl");
  const subscriptions = plannedSubscriptions(raw);
  const planned = planEvents(sampleEvents(ws), subscriptions);
  const routing = planned.routing.map((r) => ({ ...r, outcomes: r.delivered.map((subscription) => ({ subscription, outcome: outcomeOf(subscription, r.event, NOW) })) }));
  return { resources: [], raw, outputs: {}, subscriptions, routing, violations: [], rejected: [], workspaces: [ws], eventsFrom: "samples", now: NOW, findings: [] };
}

describe("plan: declared rules and targets", () => {
  let plan: Plan;
  before(async () => {
    plan = await declaredPlan();
  });

  it("lists each email rule with its conditions in words and its own recipients, under the subscription that feeds it", () => {
    const text = subscriptionsSection(plan);
    const lines = text.split("\n").map((l) => l.trim());
    assert.ok(
      lines.includes('rule Alert_RunStatusChanged: when event type is RunStatusChanged and data.runStatus is one of ["failed"] (ignoring case) and data.experimentName begins with "churn-" (ignoring case) → email to churn-team@contoso.com'),
      text,
    );
    assert.ok(lines.includes('rule Alert_ModelRegistered: when event type is ModelRegistered and data.modelTags.stage is one of ["production"] (ignoring case) → email to model-review@contoso.com'), text);
    assert.ok(lines.includes("rule Alert_RunCompleted: when event type is RunCompleted → email to ml-oncall@contoso.com"), text);
    // the run-status subscription shows the RunStatusChanged rule only, the other one the rest
    const runStatus = plan.subscriptions.find((s) => s.name === "dcl-mail-run-status");
    assert.deepStrictEqual(subscriptionReach(runStatus!, plan.routing).rules.map((r) => r.name), ["Alert_RunStatusChanged"]);
    const alerts = plan.subscriptions.find((s) => s.name === "dcl-mail-alerts");
    assert.deepStrictEqual(subscriptionReach(alerts!, plan.routing).rules.map((r) => r.name), ["Alert_ModelRegistered", "Alert_RunCompleted"]);
  });

  it("lists every deploy rule's endpoint, reached or not by the sample events", () => {
    const deployer = plan.subscriptions.find((s) => s.name === "dcl-dep-model-registered");
    assert.ok(deployer, plan.subscriptions.map((s) => s.name).join(", "));
    const reach = subscriptionReach(deployer, plan.routing);
    assert.deepStrictEqual(reach.targets, [
      { target: "AML online endpoint ep-regression-7f3a", events: 1 },
      { target: "AML online endpoint ep-classification-7f3a", events: 0 },
    ]);
    assert.deepStrictEqual(
      declaredRules(deployer).map((r) => `${r.conditions.join(" and ")} → ${r.action}`),
      [
        'model name is one of ["sklearn_regression_model"] (exactly) and model tag type is one of ["regression"] (ignoring case) → deploy to endpoint ep-regression-7f3a',
        'model name is one of ["sklearn_regression_model"] (exactly) and model tag type is one of ["classification"] (ignoring case) → deploy to endpoint ep-classification-7f3a',
      ],
    );
    assert.match(subscriptionsSection(plan), new RegExp(`calls AML online endpoint ep-classification-7f3a: ${NOT_REACHED}$`, "m"));
    assert.match(subscriptionsSection(plan), /calls AML online endpoint ep-regression-7f3a: reached by 1 event\(s\)$/m);
  });

  it("says which condition failed when a delivered event makes the workflow do nothing, with the value the event carries", () => {
    const byType = (t: string) => plan.routing.find((r) => r.event.eventType === t)?.outcomes.find((o) => o.subscription.workflow)?.outcome.summary;
    assert.match(
      byType(AmlEventType.RunStatusChanged) ?? "",
      /^nothing to do \(workflow answers HTTP \d{3}\): Alert_RunStatusChanged: data\.experimentName begins with "churn-" \(ignoring case\) — the event has data\.experimentName "automl-local-regression"$/,
    );
    assert.match(byType(AmlEventType.ModelRegistered) ?? "", /: Alert_ModelRegistered: data\.modelTags\.stage is one of \["production"\] \(ignoring case\) — the event has no data\.modelTags\.stage$/);
    assert.match(byType(AmlEventType.RunCompleted) ?? "", /^email to ml-oncall@contoso\.com/);
  });

  it("reads an else branch's composed reason (an event from another workspace) and the simulated status", () => {
    const sub = plan.subscriptions.find((s) => s.name === "dcl-mail-alerts")!;
    const event = { ...sampleEvents()[0], topic: "/subscriptions/0/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/other" };
    assert.match(outcomeOf(sub, event, NOW).summary, /^nothing to do \(workflow answers HTTP \d{3}\): Is_expected_event: not from the expected workspace, or an event type this workflow doesn't handle$/);
  });

  it("draws unreached targets dashed and labels rules in the map, and lists them in the HTML and plan.json", () => {
    const dot = routingMapDot(plan);
    assert.ok(dot.includes(`"svc:AML online endpoint\\nep-classification-7f3a" [label="AML online endpoint\\nep-classification-7f3a\\n${NOT_REACHED}"`), dot);
    assert.ok(dot.includes(`-> "svc:AML online endpoint\\nep-classification-7f3a" [label="${NOT_REACHED}", style=dashed`), dot);
    assert.ok(dot.includes('Alert_RunStatusChanged: event type is RunStatusChanged and data.runStatus is one of [\\"failed\\"] (ignoring case) and data.experimentName begins with \\"churn-\\" (ignoring case)\\n  → email to churn-team@contoso.com'), dot);
    const html = htmlReport(plan, "<svg></svg>");
    assert.ok(html.includes(`<li class="target not-reached">calls AML online endpoint ep-classification-7f3a: ${NOT_REACHED}</li>`), html);
    assert.ok(html.includes("→ email to churn-team@contoso.com</li>"), html);
    const json = planJson(plan) as { subscriptions: { name: string; targets: { target: string; events: number }[]; rules: { recipients: string[] }[] }[] };
    const dep = json.subscriptions.find((s) => s.name === "dcl-dep-model-registered");
    assert.deepStrictEqual(dep?.targets.map((t) => t.events), [1, 0]);
    assert.deepStrictEqual(json.subscriptions.find((s) => s.name === "dcl-mail-run-status")?.rules.map((r) => r.recipients), [["churn-team@contoso.com"]]);
  });
});

describe("plan: conditions in words", () => {
  const event = sampleEvents()[4];
  it("names the first failing part, and nothing when every part holds", () => {
    const ctx = { event, parameters: {}, now: NOW };
    const expr = "@and(equals(string(items('For_each_event')?['eventType']), 'Microsoft.MachineLearningServices.RunStatusChanged'), startsWith(string(items('For_each_event')?['data']?['experimentName']), 'automl-'))";
    assert.strictEqual(failedCondition(expr, ctx), undefined);
    assert.strictEqual(
      failedCondition(expr.replace("'automl-'", "'fraud-'"), ctx),
      'data.experimentName begins with "fraud-" (ignoring case) — the event has data.experimentName "automl-local-regression"',
    );
  });

  it("keeps an expression it can't phrase (or parse) as written, rather than dropping it", () => {
    assert.deepStrictEqual(conditionsInWords("@greater(div(length(triggerBody()), 3), 2)"), ["greater(div(length(triggerBody()), 3), 2)"]);
    assert.deepStrictEqual(conditionsInWords("@and(("), ["@and(("]);
    assert.strictEqual(failedCondition("@and((", { event, parameters: {}, now: NOW }), undefined);
  });
});
