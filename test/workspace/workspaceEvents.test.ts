import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  EventHubDestination,
  LogicAppDestination,
  ServiceBusQueueDestination,
  StorageQueueDestination,
  WebhookDestination,
  AzureFunctionDestination,
} from "../../lib/destinations";
import { AmlEventType } from "../../lib/events";
import { advanced, runStatusIn } from "../../lib/filters";
import { BuiltInRole } from "../../lib/rbac";
import { WorkspaceEvents } from "../../lib/workspace";
import { EventHubStream } from "../../lib/streaming";
import { capturingWarnings, isSecretOutput, promiseOf, registered, workspaceId } from "../helpers/pulumi";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml";
const HUB = `${SUB}/providers/Microsoft.EventHub/namespaces/ns1/eventhubs/hub1`;
const QUEUE = `${SUB}/providers/Microsoft.Storage/storageAccounts/st1/queueServices/default/queues/q1`;
const SBQ = `${SUB}/providers/Microsoft.ServiceBus/namespaces/sb1/queues/q1`;

function events(name: string, extra: Partial<ConstructorParameters<typeof WorkspaceEvents>[1]> = {}): WorkspaceEvents {
  return new WorkspaceEvents(name, { workspaceId: workspaceId(name), resourceGroupName: "rg-ml", location: "westeurope", ...extra });
}

function inputs(r: { inputs: Record<string, unknown> }): Record<string, unknown> {
  return r.inputs;
}

describe("WorkspaceEvents", () => {
  it("creates one system topic with a managed identity for N subscriptions, each with dead-letter, retry and identity", async () => {
    const ev = events("wsa");
    ev.subscribe("to-hub", { destination: new EventHubDestination({ eventHubId: HUB }) });
    ev.subscribe("to-queue", { destination: new StorageQueueDestination({ queueId: QUEUE }), filter: { includedEventTypes: [AmlEventType.ModelRegistered] } });
    ev.subscribe("to-hook", { destination: new WebhookDestination({ endpointUrl: "https://hooks.example.com/aml" }), filter: runStatusIn("failed") });
    const rs = await registered("wsa");
    const topics = rs.filter((r) => r.type === "azure-native:eventgrid:SystemTopic");
    assert.strictEqual(topics.length, 1);
    assert.deepStrictEqual(inputs(topics[0]), {
      identity: { type: "SystemAssigned" },
      location: "westeurope",
      resourceGroupName: "rg-ml",
      source: topics[0].inputs.source,
      systemTopicName: "wsa-topic",
      tags: {},
      topicType: "Microsoft.MachineLearningServices.Workspaces",
    });
    const subs = rs.filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.deepStrictEqual(subs.map((s) => s.name).sort(), ["wsa-to-hook", "wsa-to-hub", "wsa-to-queue"]);
    for (const s of subs) {
      assert.deepStrictEqual(s.inputs.retryPolicy, { eventTimeToLiveInMinutes: 1440, maxDeliveryAttempts: 30 });
      const dl = s.inputs.deadLetterWithResourceIdentity as Record<string, unknown>;
      assert.deepStrictEqual(dl.identity, { type: "SystemAssigned" });
      assert.match(String((dl.deadLetterDestination as Record<string, unknown>).resourceId), /\/Microsoft\.Storage\/storageAccounts\/dlwsa[0-9a-f]{8}$/);
      assert.strictEqual(s.inputs.eventDeliverySchema, "EventGridSchema");
      assert.strictEqual(s.parent, rs.find((r) => r.type === WorkspaceEvents.__type)?.urn);
    }
    const byName = (n: string) => subs.find((s) => s.name === n)?.inputs ?? {};
    const hub = byName("wsa-to-hub");
    assert.strictEqual(hub.destination, undefined);
    assert.deepStrictEqual(hub.deliveryWithResourceIdentity, { destination: { endpointType: "EventHub", resourceId: HUB }, identity: { type: "SystemAssigned" } });
    const queue = byName("wsa-to-queue").deliveryWithResourceIdentity as Record<string, unknown>;
    assert.deepStrictEqual(queue.destination, { endpointType: "StorageQueue", queueName: "q1", resourceId: `${SUB}/providers/Microsoft.Storage/storageAccounts/st1` });
    assert.deepStrictEqual((byName("wsa-to-hook").destination as Record<string, unknown>).endpointType, "WebHook");
    assert.deepStrictEqual(byName("wsa-to-hook").filter, {
      advancedFilters: [{ key: "data.runStatus", operatorType: "StringIn", values: ["failed"] }],
      enableAdvancedFilteringOnArrays: false,
      includedEventTypes: [AmlEventType.RunStatusChanged],
      isSubjectCaseSensitive: false,
    });
    assert.strictEqual(ev.subscriptions.length, 3);
  });

  it("scopes every role to exactly one resource with deterministic names", async () => {
    const ev = events("wsb");
    ev.subscribe("to-hub", { destination: new EventHubDestination({ eventHubId: HUB }) });
    ev.subscribe("to-sbq", { destination: new ServiceBusQueueDestination({ queueId: SBQ }) });
    ev.subscribe("to-queue", { destination: new StorageQueueDestination({ queueId: QUEUE }) });
    const rs = await registered("wsb");
    const grants = rs.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    const byRole = Object.fromEntries(grants.map((g) => [String(g.inputs.roleDefinitionId).split("/").pop(), g.inputs.scope]));
    const container = rs.find((r) => r.type === "azure-native:storage:BlobContainer");
    assert.deepStrictEqual(byRole, {
      [BuiltInRole.StorageBlobDataContributor]: container?.id,
      [BuiltInRole.AzureEventHubsDataSender]: HUB,
      [BuiltInRole.AzureServiceBusDataSender]: SBQ,
      [BuiltInRole.StorageQueueDataMessageSender]: QUEUE,
    });
    const principal = await promiseOf(ev.topicPrincipalId);
    for (const g of grants) {
      assert.strictEqual(g.inputs.principalId, principal);
      assert.strictEqual(g.inputs.principalType, "ServicePrincipal");
      assert.match(String(g.inputs.roleAssignmentName), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it("locks the created system topic against deletion when asked", async () => {
    events("wslock", { lock: { kind: "CanNotDelete" } });
    const rs = await registered("wslock");
    const lock = rs.find((r) => r.type === "azure-native:authorization:ManagementLockByScope");
    const topic = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopic");
    assert.deepStrictEqual(lock?.inputs, {
      level: "CanNotDelete",
      lockName: "wslock-topic-lock",
      notes: "Every AML event subscription of this workspace lives on this system topic.",
      scope: topic?.id,
    });
  });

  it("makes the topic lock depend on every subscription, including ones added by other components, so destroy removes it first", async () => {
    const ev = events("wslockdeps", { lock: { kind: "CanNotDelete" } });
    ev.subscribe("to-hub", { destination: new EventHubDestination({ eventHubId: HUB }) });
    new EventHubStream("wslockdeps-stream", { events: ev, existingEventHubId: HUB });
    const rs = await registered("wslockdeps");
    const lock = rs.find((r) => r.type === "azure-native:authorization:ManagementLockByScope");
    const subs = rs.filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.strictEqual(subs.length, 2);
    for (const s of subs) assert.ok(lock?.dependencies.includes(s.urn), `lock waits for ${s.name}; got ${JSON.stringify(lock?.dependencies)}`);
  });

  it("warns, naming the subscription, when one is added after the lock read its dependencies (after an await); same-turn ones stay quiet", async () => {
    const { warnings: seen } = await capturingWarnings(async () => {
      const ev = events("wslocklate", { lock: { kind: "CanNotDelete" } });
      ev.subscribe("early", { destination: new EventHubDestination({ eventHubId: HUB }) });
      // A later tick: a timer, then the check phase where the lock reads its list.
      await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setImmediate(r));
      ev.subscribe("late", { destination: new EventHubDestination({ eventHubId: HUB }) });
    });
    // One warning, for the late subscription only: the same-turn one stayed quiet.
    assert.strictEqual(seen.length, 1, seen.join("\n"));
    assert.match(seen[0], /^subscribe\("late"\): added after the topic lock of WorkspaceEvents\("wslocklate"\) read its dependencies .* fails with ScopeLocked/);
    const rs = await registered("wslocklate");
    const lock = rs.find((r) => r.type === "azure-native:authorization:ManagementLockByScope");
    const byName = (n: string) => rs.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription" && r.name === `wslocklate-${n}`);
    assert.ok(lock?.dependencies.includes(byName("early")!.urn));
    assert.ok(!lock?.dependencies.includes(byName("late")!.urn), "the gap the warning reports is real");
  });

  it("adopts an existing system topic instead of creating one", async () => {
    const ev = events("wsc", { existingSystemTopic: { name: "legacy-topic" }, deadLetter: { mode: "none" } });
    ev.subscribe("to-hub", { destination: new EventHubDestination({ eventHubId: HUB }), deadLetter: { mode: "none" } });
    const rs = await registered("wsc");
    assert.strictEqual(rs.filter((r) => r.type === "azure-native:eventgrid:SystemTopic").length, 0);
    const sub = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.strictEqual(sub?.inputs.systemTopicName, "legacy-topic");
    assert.strictEqual(sub?.inputs.deadLetterWithResourceIdentity, undefined);
  });

  it("wraps a Logic App callback URL as a secret and waits for the workflow", async () => {
    const ev = events("wsd");
    const dest = new LogicAppDestination({ resourceGroupName: "rg-ml", workflowName: "la-alerts", triggerName: "When_events_arrive" });
    const sub = ev.subscribe("to-logic", { destination: dest });
    assert.strictEqual(await isSecretOutput(dest.callbackUrl), true);
    assert.match(await promiseOf(dest.callbackUrl), /^https:\/\/.*\/triggers\/When_events_arrive\/paths\/invoke\?.*sig=REDACTED$/);
    const destination = await promiseOf(sub.destination);
    assert.strictEqual(destination?.endpointType, "WebHook");
  });

  it("a Logic App subscription follows its workflow's callback URL: the URL is an input whose changes are not ignored", async () => {
    const ev = events("wsd2");
    const dest = new LogicAppDestination({ resourceGroupName: "rg-ml", workflowName: "la-alerts-v2" });
    // A replaced workflow (or regenerated keys) gives a new sig: the subscription must receive it, so the
    // binding never asks the engine to ignore the URL (ignoreChanges would keep the stale sig).
    assert.strictEqual(dest.bind().ignoreChanges, undefined);
    ev.subscribe("to-logic-v2", { destination: dest });
    const rs = await registered("wsd2");
    const sub = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription" && /to-logic-v2/.test(r.name));
    const url = (sub?.inputs.destination as { endpointUrl?: string } | undefined)?.endpointUrl;
    assert.strictEqual(url, await promiseOf(dest.callbackUrl));
    assert.match(String(url), /\/triggers\/When_events_arrive\/paths\/invoke\?.*sig=/);
  });

  it("uses the Azure Function resource path for function destinations", async () => {
    const ev = events("wse");
    const app = `${SUB}/providers/Microsoft.Web/sites/fn-deployer`;
    const sub = ev.subscribe("to-fn", { destination: new AzureFunctionDestination({ functionAppId: app, functionName: "deployOnModelRegistered", maxEventsPerBatch: 1 }) });
    const destination = await promiseOf(sub.destination);
    assert.deepStrictEqual(destination, { endpointType: "AzureFunction", maxEventsPerBatch: 1, resourceId: `${app}/functions/deployOnModelRegistered` });
  });

  it("EventHubStream creates a namespace and hub and streams all five event types with identity delivery", async () => {
    const ev = events("wsf");
    const stream = new EventHubStream("wsf-stream", { events: ev });
    const rs = await registered("wsf");
    const ns = rs.find((r) => r.type === "azure-native:eventhub:Namespace");
    assert.deepStrictEqual(ns?.inputs.sku, { capacity: 1, name: "Standard", tier: "Standard" });
    assert.strictEqual(ns?.inputs.disableLocalAuth, true);
    const hub = rs.find((r) => r.type === "azure-native:eventhub:EventHub");
    assert.strictEqual(hub?.inputs.partitionCount, 4);
    const sub = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.deepStrictEqual((sub?.inputs.filter as Record<string, unknown>).includedEventTypes, Object.values(AmlEventType));
    assert.strictEqual(await promiseOf(stream.eventHubId), hub?.id);
  });
});

describe("WorkspaceEvents: analyzer warnings", () => {
  it("logs warnings against the component and still creates the subscription; accepted codes stay quiet", async () => {
    const log = pulumi.log as unknown as { warn: (msg: string, resource?: pulumi.Resource) => Promise<void> };
    const original = log.warn;
    const seen: { msg: string; resource?: pulumi.Resource }[] = [];
    log.warn = async (msg, resource) => {
      seen.push({ msg, resource });
    };
    try {
      const ev = events("warn1");
      ev.subscribe("typo", {
        destination: new EventHubDestination({ eventHubId: HUB }),
        filter: { includedEventTypes: [AmlEventType.ModelRegistered], advancedFilters: [advanced.stringIn("data.ModelName", "churn")] },
      });
      ev.subscribe("all-status", { destination: new EventHubDestination({ eventHubId: HUB }), filter: { includedEventTypes: [AmlEventType.RunStatusChanged] }, acceptWarnings: ["run-status-changed-without-status-filter"] });
      assert.strictEqual(seen.length, 1, seen.map((s) => s.msg).join("\n"));
      assert.match(seen[0].msg, /subscribe\("typo"\): .*data\.modelName.*\[data-key-case\]/);
      assert.strictEqual(seen[0].resource, ev);
      assert.strictEqual((await registered("warn1")).filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription").length, 2);
    } finally {
      log.warn = original;
    }
  });
});

describe("WorkspaceEvents: bad input fails at construction with a clear message", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["non-AML event type", () => events("bad1").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), filter: { includedEventTypes: ["Microsoft.MachineLearningServices.RunFailed"] } }), /RunFailed/],
    ["short subscription name", () => events("bad2").subscribe("ab", { destination: new EventHubDestination({ eventHubId: HUB }) }), /name "ab" is invalid; event subscription names are 3-64 characters/],
    ["underscore in name", () => events("bad3").subscribe("to_hub", { destination: new EventHubDestination({ eventHubId: HUB }) }), /name "to_hub" is invalid/],
    ["retry attempts 31", () => events("bad4").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), maxDeliveryAttempts: 31 }), /maxDeliveryAttempts 31 is out of range; Event Grid accepts an integer from 1 to 30/],
    ["ttl 0", () => events("bad5").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), eventTimeToLiveInMinutes: 0 }), /eventTimeToLiveInMinutes 0 is out of range/],
    ["http webhook", () => events("bad6").subscribe("abc", { destination: new WebhookDestination({ endpointUrl: "http://hooks.example.com/aml" }) }), /endpointUrl "http:\/\/hooks.example.com\/aml" uses http; Event Grid delivers only to https/],
    ["26 advanced filters", () => events("bad7").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), filter: { advancedFilters: Array.from({ length: 26 }, (_, i) => advanced.isNotNull(`data.k${i}`)) } }), /26/],
    ["26 values", () => events("bad8").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), filter: { advancedFilters: [advanced.stringIn("data.modelName", ...Array.from({ length: 26 }, (_, i) => `m${i}`))] } }), /26/],
    ["string over 512", () => events("bad9").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), filter: { advancedFilters: [advanced.stringIn("data.modelName", "x".repeat(513))] } }), /512/],
    ["range pair reversed", () => events("bad10").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), filter: { advancedFilters: [advanced.numberInRange("data.driftCoefficient", [0.9, 0.1])] } }), /0\.9/],
    ["leading slash prefix", () => events("bad11").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), filter: { includedEventTypes: [AmlEventType.DatasetDriftDetected], subjectBeginsWith: "/datadriftID/runs/" } }), /\/datadriftID\/runs\//],
    ["not a workspace id", () => new WorkspaceEvents("bad12", { workspaceId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z", resourceGroupName: "rg", location: "westeurope" }), /workspaceId .* is not an Azure Machine Learning workspace id/],
    ["bad event hub id", () => events("bad13").subscribe("abc", { destination: new EventHubDestination({ eventHubId: `${SUB}/providers/Microsoft.EventHub/namespaces/ns1` }) }), /eventHubId .* is not a valid resource id/],
    ["duplicate subscription", () => { const e = events("bad14"); e.subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }) }); e.subscribe("ABC", { destination: new EventHubDestination({ eventHubId: HUB }) }); }, /already exists/],
    ["lock with an adopted topic", () => events("bad16", { existingSystemTopic: { name: "t" }, lock: { kind: "CanNotDelete" } }), /lock is set with existingSystemTopic/],
    ["component name that can't name a topic", () => new WorkspaceEvents("ml_prod", { workspaceId: workspaceId("bad17"), resourceGroupName: "rg", location: "westeurope" }), /name "ml_prod" is used in Azure resource names.*rename the component \(e\.g\. "ml-prod"\)\. Or set systemTopicName\./],
    ["resource group with spaces", () => events("bad18", { resourceGroupName: "rg with space" }), /resourceGroupName "rg with space" is not a valid resource group name/],
    ["empty location", () => events("bad19", { location: "" }), /location "" is not an Azure region/],
    ["expiration in the past", () => events("bad20").subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), expirationTimeUtc: "2020-01-01T00:00:00Z" }), /expirationTimeUtc "2020-01-01T00:00:00Z" is in the past; Event Grid rejects it/],
    ["stream whose default namespace name is invalid", () => new EventHubStream("st_1", { events: events("bad21") }), /the default namespace name \(from the component name\) "st_1-ns-<8-character random suffix>" is invalid.*Set eventHub\.namespaceName\./],
    ["no dead-letter when topic has none", () => events("bad15", { deadLetter: { mode: "none" } }).subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }) }), /no dead-letter destination.*deadLetter: { mode: "none" } to drop undeliverable events explicitly/],
  ];
  for (const [label, fn, message] of cases) {
    it(label, () => {
      assert.throws(fn, (e: unknown) => {
        assert.ok(e instanceof pulumi.ResourceError, `expected a ResourceError, got ${String(e)}`);
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it("two system topics for one workspace", () => {
    const id = workspaceId("twice");
    new WorkspaceEvents("twice-a", { workspaceId: id, resourceGroupName: "rg", location: "westeurope" });
    assert.throws(
      () => new WorkspaceEvents("twice-b", { workspaceId: id, resourceGroupName: "rg", location: "westeurope" }),
      /already has a system topic declared by WorkspaceEvents\("twice-a"\); Azure allows one system topic per workspace/,
    );
  });
});
