import * as assert from "assert";
import { AmlEventType, monitoringSampleEvents, sampleCloudEvents, sampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";
import { deploymentBody, endpointBody } from "../../lib/deployment/arm";
import { DEPLOYER_SETTINGS } from "../../lib/deployment/constants";
import { planModelDeployment } from "../../lib/deployment/decision";
import { advanced } from "../../lib/filters";
import { outcomeOf } from "../../lib/plan/outcomes";
import { parseNow } from "../../lib/plan/cli";
import { filterInWords } from "../../lib/plan/filterWords";
import { MockedResource } from "../../lib/plan/mocks";
import { declaredWorkspaces, workspaceSampleEvents } from "../../lib/plan/plan";
import { plannedSubscriptions, planEvents, readEvent } from "../../lib/plan/routing";

const PROD = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-ml-prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod";
const DEV = "/subscriptions/66666666-7777-8888-9999-000000000000/resourceGroups/rg-ml-dev/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev";

function resource(type: string, name: string, inputs: Record<string, unknown>): MockedResource {
  return { type, name, urn: `urn:pulumi:plan::p::${type}::${name}`, custom: true, id: `/x/${name}`, inputs, state: inputs, secretPaths: [], dependencies: [] };
}

const resources = [
  resource("azure-native:eventgrid:SystemTopic", "prod-topic", { systemTopicName: "prod-topic", source: PROD }),
  resource("azure-native:eventgrid:SystemTopic", "dev-topic", { systemTopicName: "dev-topic", source: DEV }),
  // a second topic for prod, written with another casing and a trailing slash, is the same workspace
  resource("azure-native:eventgrid:SystemTopic", "prod-topic-2", { systemTopicName: "prod-topic-2", source: `${PROD.toUpperCase()}/` }),
  resource("azure-native:eventgrid:SystemTopicEventSubscription", "prod-hub", {
    systemTopicName: "prod-topic",
    eventSubscriptionName: "prod-to-hub",
    filter: { includedEventTypes: [AmlEventType.ModelRegistered] },
    destination: { endpointType: "EventHub", resourceId: "/subscriptions/x/resourceGroups/r/providers/Microsoft.EventHub/namespaces/ns/eventhubs/hub" },
  }),
  resource("azure-native:eventgrid:SystemTopicEventSubscription", "dev-queue", {
    systemTopicName: "dev-topic",
    eventSubscriptionName: "dev-to-queue",
    filter: { includedEventTypes: [AmlEventType.RunStatusChanged] },
    destination: { endpointType: "StorageQueue", resourceId: "/subscriptions/y/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/sa", queueName: "runs" },
  }),
];

describe("plan: events of every declared workspace", () => {
  it("finds each declared workspace once (case and trailing slash ignored), in declaration order", () => {
    assert.deepStrictEqual(declaredWorkspaces(resources), [PROD, DEV]);
  });

  it("generates the sample events of every declared workspace with its own topic and unique ids", () => {
    const events = workspaceSampleEvents([PROD, DEV]);
    const perWorkspace = [...sampleEvents(), ...monitoringSampleEvents()];
    assert.strictEqual(events.length, 2 * perWorkspace.length);
    assert.deepStrictEqual([...new Set(events.map((e) => e.topic))], [PROD, DEV]);
    for (const ws of [PROD, DEV]) {
      assert.deepStrictEqual(events.filter((e) => e.topic === ws).map((e) => e.eventType), perWorkspace.map((e) => e.eventType));
    }
    assert.strictEqual(new Set(events.map((e) => e.id)).size, events.length, "event ids are unique across workspaces");
    assert.deepStrictEqual(workspaceSampleEvents([]).map((e) => e.topic), perWorkspace.map(() => SAMPLE_WORKSPACE_ID));
  });

  it("routes each workspace's samples to its own subscriptions: both workspaces get deliveries", () => {
    const { routing, rejected } = planEvents(workspaceSampleEvents(declaredWorkspaces(resources)), plannedSubscriptions(resources));
    assert.deepStrictEqual(rejected, []);
    const delivered = routing.flatMap((r) => r.delivered.map((s) => `${String(r.event.topic).split("/").pop()}→${s.name}`));
    // dev-to-queue takes every RunStatusChanged: the sample run and the three model monitoring samples.
    assert.deepStrictEqual(delivered, ["mlw-prod→prod-to-hub", ...Array(4).fill("mlw-dev→dev-to-queue")]);
    assert.ok(routing.every((r) => r.unrouted === undefined));
  });

  it("routes an event whose topic differs only in case or a trailing slash", () => {
    const event = { ...sampleEvents(PROD)[0], topic: `${PROD.toLowerCase()}/` };
    const [r] = planEvents([event], plannedSubscriptions(resources)).routing;
    assert.deepStrictEqual(r.delivered.map((s) => s.name), ["prod-to-hub"]);
  });

  it("gives an event of an undeclared workspace, or without a topic, an explicit outcome naming the declared workspaces", () => {
    const foreign = { ...sampleEvents(PROD)[0], topic: PROD.replace("mlw-prod", "mlw-other") };
    const noTopic: Record<string, unknown> = { ...sampleEvents(PROD)[0] };
    delete noTopic.topic;
    const [other, none] = planEvents([foreign, noTopic], plannedSubscriptions(resources)).routing;
    assert.deepStrictEqual([other.delivered, other.skipped, none.delivered, none.skipped], [[], [], [], []]);
    assert.match(other.unrouted ?? "", /^its topic \/subscriptions\/.*\/workspaces\/mlw-other is no workspace the program subscribes to \(declared workspaces: .*mlw-prod, .*mlw-dev\)$/);
    assert.match(none.unrouted ?? "", /^the event has no "topic": Event Grid publishes an AML event only on the system topic of the workspace named in its topic \(declared workspaces: .*mlw-prod, .*mlw-dev\)$/);
  });
});

describe("plan: malformed events", () => {
  it("reports each malformed event with its position and reason and plans the rest", () => {
    const good = sampleEvents(PROD)[0];
    const input = [null, { ...good, data: "sklearn_regression_model:20" }, good, { hello: "world" }, { ...good, subject: 7 }, sampleCloudEvents(DEV)[4], [good]];
    const { routing, rejected } = planEvents(input, plannedSubscriptions(resources));
    assert.deepStrictEqual(routing.map((r) => r.event.id), [good.id, sampleCloudEvents(DEV)[4].id]);
    assert.deepStrictEqual(rejected.map((r) => r.index), [0, 1, 3, 4, 6]);
    assert.match(rejected[0].reason, /expected a JSON object .*, got null/);
    assert.match(rejected[1].reason, /^"data" must be a JSON object .*, got string "sklearn_regression_model:20"$/);
    assert.match(rejected[2].reason, /no "eventType" .* keys present: hello/);
    assert.match(rejected[3].reason, /"subject" must be a string .*, got 7/);
    assert.match(rejected[4].reason, /got an array/);
  });

  it("accepts a well-formed event and returns it in the Event Grid schema", () => {
    const e = readEvent(sampleCloudEvents(DEV)[0]);
    assert.ok(typeof e !== "string");
    assert.strictEqual(e.topic, DEV);
  });

  it("--now accepts an ISO 8601 time with a zone and rejects anything else, naming the value", () => {
    assert.strictEqual(parseNow("2026-12-01T08:30:00+01:00"), "2026-12-01T08:30:00+01:00");
    assert.throws(() => parseNow("yesterday"), (err: Error & { exitCode?: number }) => /^--now "yesterday": expected an ISO 8601 date-time with a time zone, e\.g\. 2026-11-22T09:00:00Z\.$/.test(err.message) && err.exitCode === 2);
    assert.throws(() => parseNow("2026-11-22T09:00:00"), /--now "2026-11-22T09:00:00"/);
  });
});

describe("plan: filters in plain words", () => {
  it("states every clause: types, subject prefix and suffix with their case rule, each advanced condition", () => {
    const words = filterInWords({
      includedEventTypes: [AmlEventType.RunStatusChanged],
      subjectBeginsWith: "experiments/",
      subjectEndsWith: "_5",
      isSubjectCaseSensitive: true,
      advancedFilters: [advanced.stringIn("data.runStatus", "failed", "canceled"), advanced.stringBeginsWith("data.experimentName", "churn-"), { operatorType: "IsNotNull", key: "data.runTags.team" }],
    });
    assert.deepStrictEqual(words, [
      "event type is RunStatusChanged",
      'subject begins with "experiments/" (case-sensitive)',
      'subject ends with "_5" (case-sensitive)',
      'data.runStatus is one of ["failed","canceled"]',
      'data.experimentName begins with one of ["churn-"]',
      "data.runTags.team is present and not null",
    ]);
    assert.deepStrictEqual(filterInWords({}), ["every event type"]);
  });
});

describe("plan: deployer requests", () => {
  it("shows the endpoint and deployment PUT bodies exactly as the deployer sends them, and labels the traffic PUT a summary", () => {
    const rule = { models: ["sklearn_regression_model"], tags: { stage: ["production"] }, endpointName: "churn-ep", instanceCount: 2 };
    const app = resource("azure-native:web:WebApp", "deployer", {
      siteConfig: {
        appSettings: [
          { name: DEPLOYER_SETTINGS.workspaceId, value: PROD },
          { name: DEPLOYER_SETTINGS.workspaceLocation, value: "northeurope" },
          { name: DEPLOYER_SETTINGS.rules, value: JSON.stringify([rule]) },
        ],
      },
    });
    const sub = { ...plannedSubscriptions(resources)[0], endpointType: "AzureFunction", functionApp: app };
    const event = { ...sampleEvents(PROD)[0], data: { ...(sampleEvents(PROD)[0].data as Record<string, unknown>), modelTags: { stage: "production" } } };
    const outcome = outcomeOf(sub, event);
    const puts = outcome.calls.filter((c) => c.method === "PUT");
    assert.strictEqual(puts.length, 3, outcome.summary);
    const decision = planModelDeployment(event, { workspaceId: PROD, rules: [rule] });
    assert.ok(decision.action === "deploy");
    assert.deepStrictEqual([puts[0].bodyKind, puts[0].body], ["exact", endpointBody(decision.rule, "northeurope")]);
    assert.deepStrictEqual([puts[1].bodyKind, puts[1].body], ["exact", deploymentBody(decision, PROD, "northeurope")]);
    assert.strictEqual(puts[2].bodyKind, "summary");
  });
});
