/**
 * The plain-data args every component takes (the multi-language surface): each former union works in its
 * plain form on realistic input, and the previous TypeScript-only forms, mixed kinds and "exactly one of"
 * violations fail at construction with a message naming the argument, the value and what to write.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MlEventWorkflows } from "../../lib/composite";
import { ModelDeployer } from "../../lib/deployment";
import { EventHubDestination, WebhookDestination } from "../../lib/destinations";
import { AmlEventType } from "../../lib/events";
import { advanced, allOf, eventTypes, modelTagIn, runStatusIn } from "../../lib/filters";
import { EmailAlerts } from "../../lib/notifications";
import { Observability } from "../../lib/observability";
import { DriftRetrainTrigger } from "../../lib/retraining";
import { EventHubStream, plainSubscriptionFilter, toEventFilter } from "../../lib/streaming";
import { WorkspaceEvents } from "../../lib/workspace";
import { registered, workspaceId } from "../helpers/pulumi";

const place = { resourceGroupName: "rg-ml", location: "westeurope" };
const HUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.EventHub/namespaces/ns/eventhubs/hub";
const FACTORY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.DataFactory/factories/adf-retrain";
const workspace = (label: string) => ({ workspaceId: workspaceId(label), ...place });
/** Old forms come from JavaScript callers or casts: the types no longer admit them. */
const untyped = <T>(value: unknown): T => value as T;

function count(rs: { type: string }[], type: string): number {
  return rs.filter((r) => r.type === type).length;
}

describe("plain-data args of every component", () => {
  it("deadLetter { mode: \"none\" } creates no dead-letter storage; { mode: \"create\" } (the default) creates one account, container and grant", async () => {
    new WorkspaceEvents("pa1", { ...workspace("pa1"), deadLetter: { mode: "none" } }).subscribe("to-hub", {
      destination: new EventHubDestination({ eventHubId: HUB }),
      deadLetter: { mode: "none" },
    });
    new WorkspaceEvents("pa2", { ...workspace("pa2"), deadLetter: { mode: "create" } }).subscribe("to-hub", { destination: new EventHubDestination({ eventHubId: HUB }) });
    const none = await registered("pa1");
    const created = await registered("pa2");
    assert.deepStrictEqual([count(none, "azure-native:storage:StorageAccount"), count(created, "azure-native:storage:StorageAccount"), count(created, "azure-native:storage:BlobContainer")], [0, 1, 1]);
    assert.strictEqual(none.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription")?.inputs.deadLetterWithResourceIdentity, undefined);
    const withDeadLetter = created.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription")?.inputs as { deadLetterWithResourceIdentity?: { deadLetterDestination?: { blobContainerName?: string } } } | undefined;
    assert.strictEqual(withDeadLetter?.deadLetterWithResourceIdentity?.deadLetterDestination?.blobContainerName, "deadletter");
  });

  it("EmailAlerts, DriftRetrainTrigger and ModelDeployer take the workspace as plain data and own its events component", async () => {
    new EmailAlerts("pa3", { workspace: workspace("pa3"), recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }], email: { kind: "office365" } });
    new DriftRetrainTrigger("pa4", { workspace: workspace("pa4"), modelMonitor: { monitorNames: ["credit-monitor"] }, existingPipeline: { factoryId: FACTORY, pipelineName: "retrain" } });
    new ModelDeployer("pa5", { workspace: workspace("pa5"), ...place, rules: [{ models: ["sklearn_regression_model"], tags: { type: ["regression"] }, endpointName: "ep-regression" }] });
    for (const [prefix, kind] of [["pa3", "azure-native:logic:Workflow"], ["pa4", "azure-native:logic:Workflow"], ["pa5", "azure-native:web:WebApp"]] as const) {
      const rs = await registered(prefix);
      assert.deepStrictEqual([count(rs, "aml-events:index:WorkspaceEvents"), count(rs, "azure-native:eventgrid:SystemTopic"), count(rs, kind) >= 1], [1, 1, true], `${prefix}: ${rs.map((r) => r.type).join(", ")}`);
      assert.ok(count(rs, "azure-native:eventgrid:SystemTopicEventSubscription") >= 1, `${prefix} subscribes on its own topic`);
    }
  });

  it("an existing pipeline by names builds the factory id in the workspace's subscription", async () => {
    const trigger = new DriftRetrainTrigger("pa6", { workspace: workspace("pa6"), modelMonitor: {}, existingPipeline: { factoryName: "adf-retrain", resourceGroupName: "rg-data", pipelineName: "retrain" } });
    const id = await new Promise<string>((resolve) => trigger.factoryId.apply(resolve));
    assert.strictEqual(id, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-retrain");
  });

  it("a subscription given as plain data declares what subscribe() declares with the destination class and filter builder", async () => {
    const spec = {
      name: "run-failed-oncall",
      destination: { webhook: { endpointUrl: "https://hooks.contoso.com/aml/run-failed", description: "on-call webhook" } },
      includedEventTypes: [AmlEventType.RunStatusChanged],
      filter: { advancedFilters: [{ operatorType: "StringIn", key: "data.runStatus", values: ["failed"] }] },
      maxDeliveryAttempts: 10,
      eventTimeToLiveInMinutes: 120,
    };
    new WorkspaceEvents("pa7", { ...workspace("pa7"), subscriptions: [spec, { name: "to-hub", destination: { eventHub: { eventHubId: HUB } }, deadLetter: { mode: "none" } }] });
    const typed = new WorkspaceEvents("pa8", workspace("pa8"));
    typed.subscribe("run-failed-oncall", {
      destination: new WebhookDestination({ endpointUrl: "https://hooks.contoso.com/aml/run-failed", description: "on-call webhook" }),
      filter: runStatusIn("failed"),
      maxDeliveryAttempts: 10,
      eventTimeToLiveInMinutes: 120,
    });
    typed.subscribe("to-hub", { destination: new EventHubDestination({ eventHubId: HUB }), deadLetter: { mode: "none" } });
    const shape = async (prefix: string) =>
      (await registered(prefix))
        .filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription" || r.type === "azure-native:authorization:RoleAssignment")
        .map((r) => ({
          type: r.type,
          name: r.name.replace(prefix, "*"),
          inputs: JSON.stringify({ ...r.inputs, systemTopicName: undefined, scope: undefined, principalId: undefined, roleAssignmentName: undefined })
            .split(prefix).join("*")
            .replace(/storageAccounts\/dl[*a-z0-9]+/g, "storageAccounts/dl*"),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    // The TypeScript helper writes the same plain data from the filter builder.
    const options = { name: spec.name, destination: spec.destination, maxDeliveryAttempts: spec.maxDeliveryAttempts, eventTimeToLiveInMinutes: spec.eventTimeToLiveInMinutes };
    new WorkspaceEvents("pa9", { ...workspace("pa9"), subscriptions: [{ ...options, ...plainSubscriptionFilter(runStatusIn("failed")) }, { name: "to-hub", destination: { eventHub: { eventHubId: HUB } }, deadLetter: { mode: "none" } }] });
    const plain = await shape("pa7");
    assert.strictEqual(plain.filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription").length, 2);
    assert.deepStrictEqual(plain, await shape("pa8"));
    assert.deepStrictEqual(await shape("pa9"), plain);
  });

  it("plainSubscriptionFilter puts the event types beside the filter and keeps every operator's value (round trip)", () => {
    assert.deepStrictEqual(plainSubscriptionFilter(runStatusIn("failed")), {
      includedEventTypes: [AmlEventType.RunStatusChanged],
      filter: { advancedFilters: [{ operatorType: "StringIn", key: "data.runStatus", values: ["failed"] }] },
    });
    assert.deepStrictEqual(plainSubscriptionFilter(eventTypes(AmlEventType.ModelRegistered)), { includedEventTypes: [AmlEventType.ModelRegistered] });
    const every = allOf(eventTypes(AmlEventType.RunCompleted), {
      subjectBeginsWith: "experiments/",
      isSubjectCaseSensitive: false,
      enableAdvancedFilteringOnArrays: true,
      advancedFilters: [
        advanced.numberIn("data.a", 1, 2), advanced.numberGreaterThan("data.b", 3), advanced.numberInRange("data.c", [0, 1]),
        advanced.boolEquals("data.d", true), advanced.isNotNull("data.e"), modelTagIn("stage", ["prod"]),
      ],
    });
    const plain = plainSubscriptionFilter(every);
    assert.deepStrictEqual({ ...toEventFilter(plain.filter), includedEventTypes: plain.includedEventTypes }, { ...every, includedEventTypes: every.includedEventTypes });
    assert.deepStrictEqual(plain.filter?.advancedFilters?.map((f) => Object.keys(f).sort().join(",")), [
      "key,numberValues,operatorType", "key,operatorType,value", "key,operatorType,ranges", "boolValue,key,operatorType", "key,operatorType", "key,operatorType,values",
    ]);
  });

  const events = () => new WorkspaceEvents(`pe-${Math.random().toString(36).slice(2, 8)}`, workspace(`pe-${Math.random().toString(36).slice(2, 8)}`));
  const cases: [string, () => unknown, RegExp][] = [
    ["deadLetter in the previous string form", () => new WorkspaceEvents("pb1", { ...workspace("pb1"), deadLetter: untyped("none") }), /deadLetter "none" is the previous form; write deadLetter: \{ mode: "none" \}/],
    ["deadLetter with a mode and a container", () => new WorkspaceEvents("pb2", { ...workspace("pb2"), deadLetter: { mode: "none", storageAccountId: "x", containerName: "dl" } }), /deadLetter sets both mode "none" and a container; give one/],
    ["a subscription's deadLetter mode create", () => events().subscribe("abc", { destination: new EventHubDestination({ eventHubId: HUB }), deadLetter: { mode: "create" } }), /deadLetter\.mode "create" is not supported here; use \{ mode: "default" \}, \{ mode: "none" \}/],
    ["a bare event type in alerts", () => new EmailAlerts("pb3", { events: events(), recipients: ["a@contoso.com"], alerts: untyped([AmlEventType.RunCompleted]) }), /alerts\[0\] "Microsoft\.MachineLearningServices\.RunCompleted" is the previous form; write \{ eventType: "Microsoft\.MachineLearningServices\.RunCompleted" \}/],
    ["a field of another transport kind", () => new EmailAlerts("pb4", { events: events(), recipients: ["a@contoso.com"], email: { kind: "office365", hostName: "acs.communication.azure.com" } }), /email\.hostName is set but email\.kind is "office365"; hostName belongs to kind "existingCommunicationServices": drop it or change the kind/],
    ["a transport kind missing its fields", () => new EmailAlerts("pb5", { events: events(), recipients: ["a@contoso.com"], email: { kind: "existingCommunicationServices", senderAddress: "alerts@contoso.com" } }), /email\.communicationServiceId is required with email\.kind "existingCommunicationServices"[\s\S]*email\.hostName is required/],
    ["a domain field of another kind", () => new EmailAlerts("pb6", { events: events(), recipients: ["a@contoso.com"], email: { kind: "communicationServices", domain: { kind: "azureManaged", domainName: "alerts.contoso.com" } } }), /email\.domain\.domainName is set but email\.domain\.kind is "azureManaged"; domainName belongs to kind "customerManaged"/],
    ["an unknown transport kind", () => new EmailAlerts("pb7", { events: events(), recipients: ["a@contoso.com"], email: { kind: untyped("sendgrid") } }), /email\.kind "sendgrid" is not supported; use one of "communicationServices", "existingCommunicationServices", "office365"/],
    ["neither events nor workspace (EmailAlerts)", () => new EmailAlerts("pb8", { recipients: ["a@contoso.com"] }), /EmailAlerts\("pb8"\):\nneither events nor workspace is set; pass events \(a WorkspaceEvents, TypeScript\) or workspace/],
    ["an existing pipeline by id and by name", () => new DriftRetrainTrigger("pb9", { events: events(), modelMonitor: {}, existingPipeline: { factoryId: FACTORY, factoryName: "adf", pipelineName: "p" } }), /existingPipeline has both factoryId and factoryName; pass the factory's id, or its name and resourceGroupName/],
    ["both events and workspace (ModelDeployer)", () => new ModelDeployer("pb10", { events: events(), workspace: workspace("pb10"), ...place, rules: [{ models: ["sklearn_regression_model"], tags: { type: ["x"] }, endpointName: "ep-x" }] }), /events and workspace are both set; pass one/],
    ["streaming: true", () => new MlEventWorkflows("pb11", { ...workspace("pb11"), streaming: untyped(true) }), /streaming true is not supported \(the previous form\); write streaming: \{\} to stream with every default/],
    ["logAnalytics: \"create\"", () => new Observability("pb12", { ...place, recipients: ["a@contoso.com"], factoryId: FACTORY, logAnalytics: untyped("create") }), /logAnalytics "create" is the previous form; omit logAnalytics to create a workspace, or give logAnalytics: \{ workspaceId \}/],
    ["a subscription with two destinations", () => new WorkspaceEvents("pb13", { ...workspace("pb13"), subscriptions: [{ name: "two", destination: { eventHub: { eventHubId: HUB }, storageQueue: { queueId: "q" } } }] }), /subscriptions\[0\]\.destination names 2 destinations \(eventHub, storageQueue\); give exactly one/],
    ["a subscription without a destination", () => new WorkspaceEvents("pb14", { ...workspace("pb14"), subscriptions: [{ name: "none", destination: {} }] }), /subscriptions\[0\]\.destination names no destination; give exactly one of eventHub, serviceBusQueue/],
    ["a misspelt subscription option", () => new WorkspaceEvents("pb15", { ...workspace("pb15"), subscriptions: [untyped({ name: "typo", destination: { eventHub: { eventHubId: HUB } }, maxDeliveryAtempts: 3 })] }), /unknown argument 'subscriptions\[0\]\.maxDeliveryAtempts'; did you mean 'subscriptions\[0\]\.maxDeliveryAttempts'\?/],
    // One shape everywhere: in plain data the event types sit beside filter; written inside (subscribe()'s shape) they are refused, not dropped.
    ["event types inside a plain subscription's filter", () => new WorkspaceEvents("pb16", { ...workspace("pb16"), subscriptions: [{ name: "inside", destination: { eventHub: { eventHubId: HUB } }, filter: untyped({ includedEventTypes: [AmlEventType.RunStatusChanged] }) }] }), /subscriptions\[0\]\.filter\.includedEventTypes belongs beside filter, not inside it: write subscriptions\[0\]\.includedEventTypes: \[\.\.\.\]/],
    ["event types inside the composite's subscription filter", () => new MlEventWorkflows("pb17", { ...workspace("pb17"), streaming: {}, subscriptions: [{ name: "inside", destination: { eventHub: { eventHubId: HUB } }, filter: untyped(runStatusIn("failed")) }] }), /subscriptions\[0\]\.filter\.includedEventTypes belongs beside filter/],
    ["a misspelt filter property", () => new WorkspaceEvents("pb18", { ...workspace("pb18"), subscriptions: [{ name: "typo", destination: { eventHub: { eventHubId: HUB } }, filter: untyped({ subjectBeginWith: "x" }) }] }), /unknown argument 'subscriptions\[0\]\.filter\.subjectBeginWith'; did you mean 'subscriptions\[0\]\.filter\.subjectBeginsWith'\?/],
    ["a misspelt advanced filter property", () => new WorkspaceEvents("pb19", { ...workspace("pb19"), subscriptions: [{ name: "typo", destination: { eventHub: { eventHubId: HUB } }, filter: { advancedFilters: [untyped({ operator: "StringIn", key: "data.runStatus", values: ["failed"] })] } }] }), /unknown argument 'subscriptions\[0\]\.filter\.advancedFilters\[0\]\.operator'; did you mean 'subscriptions\[0\]\.filter\.advancedFilters\[0\]\.operatorType'\?/],
    ["event types inside a stream's filter", () => new EventHubStream("pb20", { workspace: workspace("pb20"), filter: untyped({ includedEventTypes: [AmlEventType.ModelRegistered] }) }), /filter\.includedEventTypes belongs beside filter, not inside it: write includedEventTypes: \[\.\.\.\]/],
  ];
  for (const [what, build, message] of cases) {
    it(`refuses ${what} with a clear message`, () => {
      assert.throws(build, (e: unknown) => e instanceof pulumi.ResourceError && message.test(e.message));
    });
  }
});
