import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { checkResources, PolicyResourceInput } from "../../policy/api";
import { WorkspaceEvents, WorkspaceEventsArgs } from "../../lib/workspace";
import { workspaceId } from "../helpers/pulumi";

describe("WorkspaceEvents: one system topic per workspace, whatever the spelling of its id", () => {
  for (const [label, respell] of [
    ["a trailing slash", (id: string) => `${id}/`],
    ["another casing", (id: string) => id.toUpperCase()],
    ["both", (id: string) => `${id.toLowerCase()}/`],
  ] as const) {
    it(`refuses a second WorkspaceEvents for the same workspace written with ${label}`, () => {
      const id = workspaceId("respelled");
      new WorkspaceEvents(`first-${label.length}`, { workspaceId: id, resourceGroupName: "rg", location: "westeurope" });
      assert.throws(
        () => new WorkspaceEvents(`second-${label.length}`, { workspaceId: respell(id), resourceGroupName: "rg", location: "westeurope" }),
        (e: unknown) => e instanceof pulumi.ResourceError && /already has a system topic declared by WorkspaceEvents\("first-\d+"\)/.test(e.message),
      );
    });
  }
});

describe("policy eventgrid-one-system-topic-per-source: its fix names a real WorkspaceEvents argument", () => {
  it("tells how to adopt the existing topic with existingSystemTopic: { name }, an argument WorkspaceEvents accepts", async () => {
    const id = workspaceId("policy-fix");
    const topic = (name: string, source: string): PolicyResourceInput => ({
      type: "azure-native:eventgrid:SystemTopic",
      name,
      urn: `urn:pulumi:test::p::azure-native:eventgrid:SystemTopic::${name}`,
      props: { systemTopicName: name, source, topicType: "Microsoft.MachineLearningServices.Workspaces", resourceGroupName: "rg", location: "westeurope" },
    });
    const violations = (await checkResources([topic("a", id), topic("b", `${id.toUpperCase()}/`)])).filter((v) => v.policyName === "eventgrid-one-system-topic-per-source");
    assert.strictEqual(violations.length, 1);
    assert.match(violations[0].message, /adopt the existing one with WorkspaceEvents' existingSystemTopic: \{ name \}/);
    // The argument it names exists: this compiles only while WorkspaceEventsArgs has existingSystemTopic.name.
    const adopt: Pick<WorkspaceEventsArgs, "existingSystemTopic"> = { existingSystemTopic: { name: "a" } };
    assert.ok(adopt.existingSystemTopic);
    assert.doesNotMatch(violations[0].message, /existingSystemTopicName/);
  });
});
