import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EventHubDestination } from "../../lib/destinations";
import { AmlEventType } from "../../lib/events";
import { advanced, analyzeFilter, EventFilter, FindingCode } from "../../lib/filters";
import { WorkspaceEvents } from "../../lib/workspace";
import { workspaceId } from "../helpers/pulumi";

const HUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.EventHub/namespaces/ns1/eventhubs/hub1";

describe("a misspelled filter property fails at construction", () => {
  it("refuses advancedFilter (from a JavaScript caller) naming the closest valid property", () => {
    const ev = new WorkspaceEvents("typo-filter", { workspaceId: workspaceId("typo-filter"), resourceGroupName: "rg-ml", location: "westeurope" });
    // What a JavaScript caller can write: the property name is one letter short.
    const filter = { includedEventTypes: [AmlEventType.RunStatusChanged], advancedFilter: [advanced.stringIn("data.runStatus", "failed")] } as unknown as EventFilter;
    assert.throws(
      () => ev.subscribe("failed-runs", { destination: new EventHubDestination({ eventHubId: HUB }), filter }),
      (e: unknown) => {
        assert.ok(e instanceof pulumi.ResourceError, `expected a ResourceError, got ${String(e)}`);
        assert.match(e.message, /^subscribe\("failed-runs"\): advancedFilter: not a property of an Event Grid subscription filter; it would be dropped and the subscription would receive every event its other conditions let through; did you mean "advancedFilters"\? \[unknown-filter-property\]$/m);
        return true;
      },
    );
  });

  it("is an error finding (so the policy verdict fails too), while the valid spelling passes", () => {
    const typo = analyzeFilter({ includedEventTypes: [AmlEventType.ModelRegistered], subjectBeginWith: "models/churn:" });
    assert.deepStrictEqual(typo.filter((f) => f.code === FindingCode.UnknownFilterProperty).map((f) => f.severity), ["error"]);
    assert.deepStrictEqual(analyzeFilter({ includedEventTypes: [AmlEventType.ModelRegistered], subjectBeginsWith: "models/churn:" }).filter((f) => f.severity === "error"), []);
  });
});
