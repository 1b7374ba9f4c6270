import * as assert from "assert";
import { AmlEventType, EventGridEvent, monitoringSampleEvents, SAMPLE_WORKSPACE_ID, sampleEvents } from "../../lib/events";
import {
  DEFAULT_EVENT_RATES, DEFAULT_PRICE_TABLE, estimateHtml, estimateOperations, EstimateInput, estimateSection, OperationsEstimate, PRICE_KEYS,
  priceTableWith, ratesFor, validatePriceOverrides, validateRates,
} from "../../lib/estimate";
import { buildEmailAlertsDefinition, MODEL_MONITOR_BREACH_ALERT } from "../../lib/notifications";
import { MockedResource } from "../../lib/plan/mocks";
import { outcomeOf } from "../../lib/plan/outcomes";
import { plannedSubscriptions, planEvents } from "../../lib/plan/routing";
import { deterministicGuid } from "../../lib/rbac/guid";
import { simulateWorkflow, SimulatedDefinition } from "../../lib/simulate";

const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml-platform";
const OTHER_WS = SAMPLE_WORKSPACE_ID.replace(/workspaces\/[^/]+$/, "workspaces/mlw-other");
const NOW = "2026-11-22T09:00:00Z";

function resource(type: string, name: string, inputs: Record<string, unknown>): MockedResource {
  return { type, name, urn: `urn:pulumi:plan::p::${type}::${name}`, custom: true, id: `${RG}/providers/x/${name}`, inputs, state: inputs, secretPaths: [], dependencies: [] };
}

const EMAIL = buildEmailAlertsDefinition({ recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["Failed"] }, MODEL_MONITOR_BREACH_ALERT, AmlEventType.ModelRegistered] });
const EMAIL_PARAMETERS = { workspaceId: { value: SAMPLE_WORKSPACE_ID }, emailEndpoint: { value: "https://acs.example" }, senderAddress: { value: "DoNotReply@example.azurecomm.net" } };
/** A workflow that answers Event Grid with `status`, whatever it gets. */
function answering(status: number): SimulatedDefinition {
  return { triggers: { manual: { type: "Request", kind: "Http" } }, actions: { Respond: { type: "Response", inputs: { statusCode: status }, runAfter: {} } } } as unknown as SimulatedDefinition;
}

/** A topic per workspace; each with a webhook subscription into `definition` (dead-lettered, 5 attempts). */
function program(definition: unknown, parameters: Record<string, unknown> = {}, workspaces = [SAMPLE_WORKSPACE_ID]): MockedResource[] {
  return workspaces.flatMap((ws, i) => {
    const wf = `wf${i}`;
    const hook = `https://prod-00.westeurope.logic.azure.com/workflows/${deterministicGuid(wf).replace(/-/g, "")}/triggers/manual/paths/invoke?sig=abc`;
    return [
      resource("azure-native:eventgrid:SystemTopic", `t${i}`, { systemTopicName: `t${i}`, source: ws }),
      resource("azure-native:logic:Workflow", wf, { workflowName: wf, definition, parameters: "workspaceId" in parameters ? { ...parameters, workspaceId: { value: ws } } : parameters }),
      resource("azure-native:eventgrid:SystemTopicEventSubscription", `s${i}`, {
        systemTopicName: `t${i}`,
        eventSubscriptionName: `to-wf${i}`,
        filter: { includedEventTypes: [AmlEventType.RunStatusChanged, AmlEventType.ModelRegistered], advancedFilters: [{ operatorType: "StringBeginsWith", key: "subject", values: ["experiments/", "models/"] }] },
        destination: { endpointType: "WebHook", endpointUrl: hook },
        retryPolicy: { maxDeliveryAttempts: 5, eventTimeToLiveInMinutes: 60 },
        deadLetterWithResourceIdentity: { identity: { type: "SystemAssigned" }, deadLetterDestination: { endpointType: "StorageBlob" } },
      }),
    ];
  });
}

function input(raw: MockedResource[], events: EventGridEvent[], workspaces = [SAMPLE_WORKSPACE_ID]): EstimateInput {
  const subscriptions = plannedSubscriptions(raw);
  const routing = planEvents(events, subscriptions).routing.map((r) => ({ ...r, outcomes: r.delivered.map((subscription) => ({ subscription, outcome: outcomeOf(subscription, r.event, NOW) })) }));
  return { routing, subscriptions, raw, workspaces, now: NOW };
}

const SAMPLES = [...sampleEvents(), ...monitoringSampleEvents()];

function kind(e: OperationsEstimate, label: string, ws = 0): OperationsEstimate["workspaces"][number]["kinds"][number] {
  const k = e.workspaces[ws].kinds.find((x) => x.kind === label);
  assert.ok(k, `no kind ${label} in ${e.workspaces[ws].kinds.map((x) => x.kind).join(", ")}`);
  return k;
}

describe("operations estimate: counts per event kind", () => {
  it("Logic App executions per event kind are what the simulator runs for that event (trigger + every action that ran)", () => {
    const e = estimateOperations(input(program(EMAIL, EMAIL_PARAMETERS), SAMPLES));
    const labels = new Map<string, number[]>();
    for (const event of SAMPLES) {
      // Counted here by running the workflow directly, independently of the plan's outcomes.
      const run = simulateWorkflow(EMAIL as unknown as SimulatedDefinition, { headers: { "aeg-event-type": "Notification" }, body: [event] }, { parameters: EMAIL_PARAMETERS, now: NOW, httpResponses: () => ({ statusCode: 202, body: {} }) });
      const delivered = [AmlEventType.RunStatusChanged, AmlEventType.ModelRegistered].includes(event.eventType as never);
      const executions = delivered ? 1 + run.actions.filter((a) => a.status !== "Skipped").length : 0;
      const label = e.workspaces[0].kinds.find((k) => k.events > 0 && k.kind.startsWith(event.eventType.split(".").pop() ?? "") && (event.eventType !== AmlEventType.RunStatusChanged || k.kind.includes(String((event.data as { runStatus: string }).runStatus).toLowerCase()) && k.kind.includes(event.data && (event.data as { experimentName: string }).experimentName === "azureml-monitoring" ? "monitor" : "training")))?.kind;
      assert.ok(label, `event ${event.eventType} has a kind`);
      labels.set(label, [...(labels.get(label) ?? []), executions]);
    }
    assert.ok(labels.size >= 6, [...labels.keys()].join(", "));
    for (const [label, runs] of labels) {
      const k = kind(e, label);
      assert.strictEqual(k.perEvent.logicAppActions + k.perEvent.logicAppConnectorActions, runs.reduce((s, n) => s + n, 0) / runs.length, label);
    }
    assert.ok(kind(e, "RunStatusChanged failed (training run)").perEvent.logicAppActions > 3, "a failed run's email runs the handler's actions");
    assert.strictEqual(kind(e, "RunStatusChanged failed (training run)").perEvent.emails, 1);
    assert.strictEqual(kind(e, "RunCompleted (training run)").perEvent.eventGridDeliveryAttempts, 0, "RunCompleted is not subscribed");
    assert.strictEqual(kind(e, "RunCompleted (training run)").perEvent.eventGridPublish, 1, "but it is published");
  });

  it("a workflow answering 500 is retried up to maxDeliveryAttempts and dead-lettered; 400 is dead-lettered at once; each attempt runs the workflow", () => {
    for (const [status, attempts] of [[500, 5], [503, 5], [400, 1], [200, 1]] as const) {
      const k = kind(estimateOperations(input(program(answering(status)), sampleEvents())), "ModelRegistered");
      assert.strictEqual(k.perEvent.eventGridDeliveryAttempts, attempts, `status ${status}`);
      assert.strictEqual(k.perEvent.eventGridDeadLetters, status >= 400 ? 1 : 0, `status ${status}`);
      assert.strictEqual(k.perEvent.logicAppActions, 2 * attempts, `status ${status}: trigger + Response per attempt`);
      assert.strictEqual(k.perEvent.eventGridAdvancedMatches, 1);
    }
  });

  it("the non-final run statuses are routed too: published and filtered although nothing receives them here", () => {
    const e = estimateOperations(input(program(EMAIL, EMAIL_PARAMETERS), SAMPLES));
    const k = kind(e, "RunStatusChanged (non-final statuses) (training run)");
    assert.strictEqual(k.perMonth, DEFAULT_EVENT_RATES.runsPerHour * 730 * DEFAULT_EVENT_RATES.statusChangesPerRun);
    assert.strictEqual(k.perEvent.eventGridPublish, 1);
    assert.strictEqual(k.perEvent.emails, 0);
  });
});

describe("operations estimate: rates, prices and limits", () => {
  it("monthly counts follow the rates; a workspace's own rates (by name) apply to it alone", () => {
    const two = [SAMPLE_WORKSPACE_ID, OTHER_WS];
    const events = [...SAMPLES, ...SAMPLES.map((x) => ({ ...x, id: `${x.id}-o`, topic: OTHER_WS }))];
    const e = estimateOperations(input(program(EMAIL, EMAIL_PARAMETERS, two), events, two), { rates: { workspaces: { "MLW-OTHER": { registrationsPerDay: 48 } } } });
    assert.strictEqual(kind(e, "ModelRegistered", 0).perMonth, 730);
    assert.strictEqual(kind(e, "ModelRegistered", 1).perMonth, 1460);
    assert.strictEqual(Math.round(e.workspaces[1].perMonth.emails - e.workspaces[0].perMonth.emails), 730, "730 more registrations, one email each");
    assert.strictEqual(ratesFor(OTHER_WS, { default: { runsPerHour: 1 } }).runsPerHour, 1);
  });

  it("costs are counts × the table's prices; the total applies the free grants once; a price file replaces prices", () => {
    const e = estimateOperations(input(program(EMAIL, EMAIL_PARAMETERS), SAMPLES));
    const w = e.workspaces[0];
    assert.ok(Math.abs(w.cost.emails - w.perMonth.emails * 0.00025) < 0.01);
    const ops = w.perMonth.eventGridPublish + w.perMonth.eventGridAdvancedMatches + w.perMonth.eventGridDeliveryAttempts;
    assert.ok(Math.abs(w.cost.eventGridOperations - (ops / 1e6) * 0.6) < 0.001);
    assert.ok(e.costTotal <= w.costTotal);
    const dear = estimateOperations(input(program(EMAIL, EMAIL_PARAMETERS), SAMPLES), { prices: priceTableWith({ asOf: "2027-01-01", prices: { emails: { usd: 0.0025 } } }) });
    assert.ok(Math.abs(dear.workspaces[0].cost.emails - 10 * w.cost.emails) < 0.01);
    assert.strictEqual(dear.prices.asOf, "2027-01-01");
    assert.match(dear.prices.note, /Overridden by the user: emails/);
  });

  it("every price is dated, has a region and an https source", () => {
    assert.match(DEFAULT_PRICE_TABLE.asOf, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(DEFAULT_PRICE_TABLE.region, /USD/);
    for (const k of PRICE_KEYS) assert.match(DEFAULT_PRICE_TABLE.prices[k].source, /^https:\/\/azure\.microsoft\.com\/pricing\//, k);
  });

  it("warns when emails through an Azure-managed domain would pass 10 an hour", () => {
    const raw = [...program(EMAIL, EMAIL_PARAMETERS), resource("azure-native:communication:Domain", "d", { domainManagement: "AzureManaged" })];
    const quiet = estimateOperations(input(raw, SAMPLES), { rates: { default: { runsPerHour: 1, registrationsPerDay: 1 } } });
    assert.deepStrictEqual(quiet.warnings, []);
    const busy = estimateOperations(input(raw, SAMPLES), { rates: { default: { runsPerHour: 200 } } });
    assert.match(busy.warnings.join("\n"), /Azure-managed domain, whose limit is 5 a minute and 10 an hour/);
  });

  it("warns when a workflow would pass Logic Apps' 100,000 action executions per 5 minutes", () => {
    const e = estimateOperations(input(program(EMAIL, EMAIL_PARAMETERS), SAMPLES), { rates: { default: { runsPerHour: 1_000_000 } } });
    assert.match(e.warnings.join("\n"), /Logic Apps: workflow wf0 runs about [\d.]+ action executions in a peak 5 minutes, over Consumption's 100,000/);
  });

  it("the terminal and HTML sections show the date, the sources and the warnings (escaped)", () => {
    const e = estimateOperations(input(program(EMAIL, EMAIL_PARAMETERS), SAMPLES));
    const text = estimateSection(e);
    assert.match(text, /Operations and cost estimate \(per month; prices of 2026-12-07, East US/);
    assert.match(text, /logicAppActions: \$0\.000025 per built-in action execution — https:\/\/azure\.microsoft\.com\/pricing\/details\/logic-apps\//);
    const html = estimateHtml({ ...e, warnings: ["<script>x</script>"] });
    assert.match(html, /<h2>Operations and cost estimate<\/h2>/);
    assert.match(html, /&lt;script&gt;x&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script>/);
  });
});

describe("operations estimate: hostile rates and price files", () => {
  it("accepts a well-formed file", () => {
    assert.deepStrictEqual(validateRates({ default: { runsPerHour: 3 }, workspaces: { "mlw-a": { breachShare: 0.5 } } }), []);
    assert.deepStrictEqual(validatePriceOverrides({ asOf: "2027-01-01", prices: { emails: { usd: 0.0003 } } }), []);
  });

  it("names the key, the value and the fix for misspelt, negative, non-numeric and out-of-range rates", () => {
    const p = validateRates({ default: { runsPerHuor: 3, registrationsPerDay: -1 }, workspaces: { w: { breachShare: 2, monitorRunsPerDay: "4" } }, extra: 1 });
    assert.match(p.join("\n"), /default\.runsPerHuor is not a rate; use one of runsPerHour/);
    assert.match(p.join("\n"), /default\.registrationsPerDay is -1; expected a finite number ≥ 0/);
    assert.match(p.join("\n"), /workspaces\["w"\]\.breachShare is 2; expected a finite number ≥ 0 and ≤ 1/);
    assert.match(p.join("\n"), /monitorRunsPerDay is "4"/);
    assert.match(p.join("\n"), /rates key "extra" is unknown/);
    assert.match(validateRates([1]).join(""), /expected \{"default"/);
    assert.match(validateRates({ default: { __proto__: { runsPerHour: 1 }, constructor: 1 } }).join(""), /default\.constructor is not a rate/);
  });

  it("rejects unknown meters, bad numbers and a zero unit; priceTableWith throws naming them", () => {
    const p = validatePriceOverrides({ prices: { email: { usd: 1 }, emails: { usd: "cheap", perUnits: 0, colour: "red" } }, when: "now" });
    assert.match(p.join("\n"), /prices\.email is not a meter; use one of eventGridOperations/);
    assert.match(p.join("\n"), /prices\.emails\.usd is "cheap"/);
    assert.match(p.join("\n"), /prices\.emails\.perUnits is 0; expected a finite number ≥ 0 \(and not 0\)/);
    assert.match(p.join("\n"), /prices\.emails\.colour is not a price field/);
    assert.match(p.join("\n"), /price file key "when" is unknown/);
    assert.throws(() => priceTableWith({ prices: { emails: { usd: -1 } } }), /--prices: prices\.emails\.usd is -1/);
  });
});
