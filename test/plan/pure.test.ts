import * as assert from "assert";
import { AmlEventType, sampleCloudEvents, sampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";
import { planResources, redactInputs, REDACTED } from "../../lib/plan/describe";
import { callTarget, routingMapDot } from "../../lib/plan/map";
import { MockedResource, unwrapSecrets } from "../../lib/plan/mocks";
import { appSettingsOf } from "../../lib/plan/outcomes";
import { Plan } from "../../lib/plan/plan";
import { routingSection } from "../../lib/plan/report";
import { plannedSubscriptions, routeEvents, toEventGrid } from "../../lib/plan/routing";
import { deterministicGuid } from "../../lib/rbac/guid";

const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml-platform";
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<MockedResource> = {}): MockedResource {
  return { type, name, urn: `urn:pulumi:plan::p::${type}::${name}`, custom: true, id: `${RG}/providers/x/${name}`, inputs, state: inputs, secretPaths: [], dependencies: [], ...extra };
}

const topic = resource("azure-native:eventgrid:SystemTopic", "t", { systemTopicName: "t", source: SAMPLE_WORKSPACE_ID });
const workflow = resource("azure-native:logic:Workflow", "wf", { workflowName: "wf" });
const hookUrl = `https://prod-00.westeurope.logic.azure.com/workflows/${deterministicGuid("wf").replace(/-/g, "")}/triggers/When_events_arrive/paths/invoke?sig=abc`;
const subs = [
  resource("azure-native:eventgrid:SystemTopicEventSubscription", "s-hub", {
    systemTopicName: "t",
    eventSubscriptionName: "to-hub",
    filter: { includedEventTypes: [AmlEventType.ModelRegistered] },
    deliveryWithResourceIdentity: { identity: { type: "SystemAssigned" }, destination: { endpointType: "EventHub", resourceId: `${RG}/providers/Microsoft.EventHub/namespaces/ns/eventhubs/hub` } },
    deadLetterWithResourceIdentity: { identity: { type: "SystemAssigned" }, deadLetterDestination: { endpointType: "StorageBlob" } },
  }),
  resource("azure-native:eventgrid:SystemTopicEventSubscription", "s-wf", {
    systemTopicName: "t",
    eventSubscriptionName: "to-wf",
    filter: { includedEventTypes: [AmlEventType.RunStatusChanged], advancedFilters: [{ operatorType: "StringIn", key: "data.runStatus", values: ["failed"] }] },
    destination: { endpointType: "WebHook", endpointUrl: hookUrl },
  }),
];

describe("plan: pure parts", () => {
  it("unwraps secret markers and remembers their paths", () => {
    const { value, secretPaths } = unwrapSecrets({ destination: { ...SECRET, value: { endpointType: "WebHook", endpointUrl: "https://x/?sig=1" } }, list: [{ ...SECRET, value: "k" }] });
    assert.deepStrictEqual(value, { destination: { endpointType: "WebHook", endpointUrl: "https://x/?sig=1" }, list: ["k"] });
    assert.deepStrictEqual(secretPaths, ["destination", "list.0"]);
  });

  it("redacts secret paths (keeping non-secret keys) and any sig= in URLs", () => {
    const redacted = redactInputs({ inputs: { destination: { endpointType: "WebHook", endpointUrl: "https://x/y?a=1&sig=abc" }, other: "https://h/?sig=zzz&b=2" }, secretPaths: ["destination"] });
    assert.deepStrictEqual(redacted, { destination: { endpointType: "WebHook", endpointUrl: REDACTED }, other: `https://h/?sig=${REDACTED}&b=2` });
  });

  it("leaves the stack root out and keeps parents", () => {
    const stack = resource("pulumi:pulumi:Stack", "p-plan", {}, { custom: false });
    const child = resource("azure-native:eventgrid:SystemTopic", "t", {}, { parent: "urn:pulumi:plan::p::aml-events:workspace:WorkspaceEvents::w" });
    assert.deepStrictEqual(planResources([stack, child]).map((r) => [r.name, r.parent]), [["t", "urn:pulumi:plan::p::aml-events:workspace:WorkspaceEvents::w"]]);
  });

  it("joins subscriptions with their topic, target and Logic App", () => {
    const planned = plannedSubscriptions([topic, workflow, ...subs]);
    assert.deepStrictEqual(
      planned.map((s) => [s.name, s.source, s.endpointType, s.target, s.identityDelivery, s.deadLettered, s.workflow?.name]),
      [
        ["to-hub", SAMPLE_WORKSPACE_ID, "EventHub", "EventHub hub", true, true, undefined],
        ["to-wf", SAMPLE_WORKSPACE_ID, "WebHook", "Logic App wf", false, false, "wf"],
      ],
    );
    assert.ok(!planned[1].targetId.includes("sig=abc"), "the signature never reaches the plan");
  });

  it("routes only events of the subscriptions' own workspace, with the first failing clause", () => {
    const planned = plannedSubscriptions([topic, workflow, ...subs]);
    const foreign = { ...sampleEvents()[0], topic: SAMPLE_WORKSPACE_ID.replace("mlw-platform", "mlw-other") };
    const [registered, , , , status, other] = routeEvents([...sampleEvents(), foreign], planned);
    assert.deepStrictEqual(registered.delivered.map((s) => s.name), ["to-hub"]);
    assert.deepStrictEqual(registered.skipped.map((s) => [s.subscription.name, s.clause]), [["to-wf", "includedEventTypes"]]);
    assert.deepStrictEqual(status.delivered.map((s) => s.name), ["to-wf"]);
    assert.deepStrictEqual([other.delivered, other.skipped], [[], []]);
  });

  it("reads CloudEvents as their Event Grid envelope and rejects what is neither", () => {
    assert.strictEqual(toEventGrid(sampleCloudEvents()[0]).eventType, AmlEventType.ModelRegistered);
    assert.strictEqual(toEventGrid(sampleCloudEvents()[0]).topic, SAMPLE_WORKSPACE_ID);
    assert.throws(() => toEventGrid({ hello: "world" }), /Malformed event: no "eventType" \(string\) and not a CloudEvent \(no "specversion": "1.0"\); keys present: hello/);
  });

  it("reads app settings and names downstream services", () => {
    assert.deepStrictEqual(appSettingsOf({ siteConfig: { appSettings: [{ name: "A", value: "1" }, { name: "B" }] } }), { A: "1", B: "" });
    assert.strictEqual(callTarget({ method: "POST", url: "https://acs.europe.communication.azure.com/emails:send?api-version=2023-03-31", auth: "" }), "Azure Communication Services\nemail");
    assert.strictEqual(callTarget({ method: "POST", url: `https://management.azure.com${RG}/providers/Microsoft.DataFactory/factories/adf/pipelines/p/createRun?api-version=2018-06-01`, auth: "" }), "Data Factory adf\npipeline p");
    assert.strictEqual(callTarget({ method: "PUT", url: "https://management.azure.com/x/onlineEndpoints/ep-a/deployments/d?api-version=2022-10-01", auth: "" }), "AML online endpoint\nep-a");
  });

  it("draws a deterministic routing map with every subscription and the delivered edges", () => {
    const planned = plannedSubscriptions([topic, workflow, ...subs]);
    const routing = routeEvents(sampleEvents(), planned).map((r) => ({ ...r, outcomes: r.delivered.map((subscription) => ({ subscription, outcome: { summary: "", calls: [] } })) }));
    const plan: Plan = { resources: [], raw: [], outputs: {}, subscriptions: planned, routing, violations: [], rejected: [], workspaces: [SAMPLE_WORKSPACE_ID], eventsFrom: "samples", now: "2026-11-22T09:00:00Z", findings: [] };
    const dot = routingMapDot(plan);
    assert.strictEqual(dot, routingMapDot(plan));
    assert.match(dot, /"sub:s-hub" \[label="to-hub\\nModelRegistered\\nidentity delivery · dead-letter"/);
    assert.match(dot, /"sub:s-wf" \[label="to-wf\\nRunStatusChanged\\ndata.runStatus StringIn \[\\"failed\\"\]\\nNO dead-letter"/);
    assert.strictEqual((dot.match(/color="#2f9e44"/g) ?? []).length, 2, "two delivered edges: ModelRegistered → hub, RunStatusChanged → workflow");
  });

  it("lists near-misses first (event type matched, a later clause failed) and collapses type mismatches into one line", () => {
    const hub2 = resource("azure-native:eventgrid:SystemTopicEventSubscription", "s-hub2", { ...subs[0].inputs, eventSubscriptionName: "to-hub-2" });
    const planned = plannedSubscriptions([topic, workflow, hub2, ...subs]);
    const completed = { ...sampleEvents()[4], data: { ...(sampleEvents()[4].data as Record<string, unknown>), runStatus: "completed" } };
    const routing = routeEvents([completed], planned).map((r) => ({ ...r, outcomes: [] }));
    const plan: Plan = { resources: [], raw: [], outputs: {}, subscriptions: planned, routing, violations: [], rejected: [], workspaces: [SAMPLE_WORKSPACE_ID], eventsFrom: "input", now: "2026-11-22T09:00:00Z", findings: [] };
    const lines = routingSection(plan).split("\n").filter((l) => l.includes("✗") || l.includes("no subscription"));
    assert.deepStrictEqual(lines, [
      "    (no subscription receives it: every subscription on its topic filters it out (see ✗))",
      '    ✗ to-wf: advancedFilters[0] — data.runStatus "completed" is not in ["failed"] (StringIn)',
      "    ✗ 2 subscription(s) take other event types only: to-hub-2, to-hub",
    ]);
  });
});
