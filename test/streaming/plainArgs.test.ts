import * as assert from "assert";
import { AmlEventType } from "../../lib/events";
import { EventHubStream, streamAdvancedFilterProblems, toEventFilter } from "../../lib/streaming";
import { WorkspaceEvents } from "../../lib/workspace";
import { registered, workspaceId } from "../helpers/pulumi";

const place = { resourceGroupName: "rg-ml", location: "westeurope" };

describe("EventHubStream: plain-data args (the multi-language surface)", () => {
  it("workspace as plain data: the stream owns a WorkspaceEvents child, its topic, namespace, hub and one subscription with the converted filter", async () => {
    new EventHubStream("pl1", {
      workspace: { workspaceId: workspaceId("pl1"), ...place },
      includedEventTypes: [AmlEventType.ModelRegistered],
      filter: {
        subjectBeginsWith: "models/",
        advancedFilters: [
          { operatorType: "StringIn", key: "data.modelTags.stage", values: ["prod"] },
          { operatorType: "IsNotNull", key: "data.modelName" },
        ],
      },
    });
    const rs = await registered("pl1");
    const count = (t: string) => rs.filter((r) => r.type === t).length;
    assert.deepStrictEqual(
      [count("aml-events:index:WorkspaceEvents"), count("azure-native:eventgrid:SystemTopic"), count("azure-native:eventhub:Namespace"), count("azure-native:eventhub:EventHub"), count("azure-native:eventgrid:SystemTopicEventSubscription")],
      [1, 1, 1, 1, 1],
    );
    const sub = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.deepStrictEqual(sub?.inputs.filter, {
      advancedFilters: [
        { key: "data.modelTags.stage", operatorType: "StringIn", values: ["prod"] },
        { key: "data.modelName", operatorType: "IsNotNull" },
      ],
      enableAdvancedFilteringOnArrays: false,
      includedEventTypes: [AmlEventType.ModelRegistered],
      isSubjectCaseSensitive: false,
      subjectBeginsWith: "models/",
    });
  });

  it("toEventFilter keeps every operator family and drops nothing", () => {
    assert.deepStrictEqual(toEventFilter({ advancedFilters: [
      { operatorType: "NumberInRange", key: "data.x", ranges: [[0, 1]] },
      { operatorType: "NumberGreaterThan", key: "data.y", value: 3 },
      { operatorType: "NumberIn", key: "data.z", numberValues: [1, 2] },
      { operatorType: "BoolEquals", key: "data.b", boolValue: false },
    ] }), {
      advancedFilters: [
        { operatorType: "NumberInRange", key: "data.x", values: [[0, 1]] },
        { operatorType: "NumberGreaterThan", key: "data.y", value: 3 },
        { operatorType: "NumberIn", key: "data.z", values: [1, 2] },
        { operatorType: "BoolEquals", key: "data.b", value: false },
      ],
    });
    assert.deepStrictEqual(toEventFilter(undefined), {});
  });

  const cases: [string, () => unknown, RegExp][] = [
    ["neither events nor workspace", () => new EventHubStream("pl2", {}), /EventHubStream\("pl2"\): neither events nor workspace is set; pass events \(a WorkspaceEvents, TypeScript\) or workspace/],
    ["both events and workspace", () => new EventHubStream("pl3", { events: new WorkspaceEvents("pl3-ev", { workspaceId: workspaceId("pl3"), ...place }), workspace: { workspaceId: workspaceId("pl3b"), ...place } }), /events and workspace are both set; pass one/],
    ["events given as plain data (another language)", () => new EventHubStream("pl4", { events: {} as never }), /events is \{\}, not a WorkspaceEvents component; from Python, Go, \.NET or YAML pass workspace/],
    ["unknown operator", () => new EventHubStream("pl5", { workspace: { workspaceId: workspaceId("pl5"), ...place }, filter: { advancedFilters: [{ operatorType: "StringEquals", key: "data.a", values: ["x"] }] } }), /filter\.advancedFilters\[0\]: operatorType "StringEquals" is not an Event Grid advanced-filter operator/],
    ["value in the wrong field", () => new EventHubStream("pl6", { workspace: { workspaceId: workspaceId("pl6"), ...place }, filter: { advancedFilters: [{ operatorType: "BoolEquals", key: "data.a", values: ["true"] }] } }), /operatorType BoolEquals on key "data\.a" needs boolValue; set it\.[\s\S]*values is set but operatorType BoolEquals reads boolValue; remove values or move its value to boolValue/],
    ["delivery schema not supported", () => new EventHubStream("pl7", { workspace: { workspaceId: workspaceId("pl7"), ...place }, eventDeliverySchema: "CustomInputSchema" }), /eventDeliverySchema "CustomInputSchema" is not supported; use "EventGridSchema" or "CloudEventSchemaV1_0"/],
  ];
  for (const [label, fn, message] of cases) it(`rejects ${label} with a clear message`, () => assert.throws(fn, message));

  it("streamAdvancedFilterProblems accepts a complete filter", () => {
    assert.deepStrictEqual(streamAdvancedFilterProblems("w", { operatorType: "StringContains", key: "data.runTags.x", values: ["breach"] }), []);
  });
});
