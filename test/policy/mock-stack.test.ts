/**
 * The resources a small realistic stack registers with the mock engine (real azure-native resources
 * and the WorkspaceEvents component, constructed under the Pulumi mocks of test/setup.ts) pass every
 * mandatory policy once converted with fromMockedResources.
 */
import * as assert from "assert";
import * as datafactory from "@pulumi/azure-native/datafactory";
import * as web from "@pulumi/azure-native/web";
import * as pulumi from "@pulumi/pulumi";
import { unknown as previewUnknown } from "@pulumi/pulumi/output";
import { checkResources, fromMockedResources, UNKNOWN_VALUE } from "../../policy/api";
import { EventHubDestination, WebhookDestination } from "../../lib/destinations";
import { AmlEventType } from "../../lib/events/types";
import { WorkspaceEvents } from "../../lib/workspace";
import { mockEngine } from "../setup";
import { HUB, WORKSPACE } from "./fixtures";

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("policy pack on what the mock engine records", () => {
  it("a small realistic stack passes every mandatory policy", async () => {
    const events = new WorkspaceEvents("polmock-events", { location: "westeurope", resourceGroupName: "rg-ml", workspaceId: WORKSPACE });
    const alerts = events.subscribe("polmock-run-failed", {
      destination: new WebhookDestination({ endpointUrl: "https://alerts.contoso.com/api/aml" }),
      filter: {
        advancedFilters: [{ key: "data.runStatus", operatorType: "StringIn", values: ["failed"] }],
        includedEventTypes: [AmlEventType.RunStatusChanged],
      },
      maxDeliveryAttempts: 10,
    });
    const stream = events.subscribe("polmock-stream", {
      destination: new EventHubDestination({ eventHubId: HUB }),
      filter: { includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.ModelDeployed] },
    });
    const app = new web.WebApp("polmock-func", {
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
      kind: "functionapp,linux",
      resourceGroupName: "rg-ml",
      siteConfig: { ftpsState: "Disabled", minTlsVersion: "1.2" },
    });
    const adf = new datafactory.Factory("polmock-adf", { identity: { type: "SystemAssigned" }, publicNetworkAccess: "Disabled", resourceGroupName: "rg-ml" });
    await Promise.all([promiseOf(alerts.id), promiseOf(stream.id), promiseOf(app.id), promiseOf(adf.id), promiseOf(events.systemTopicId)]);

    const recorded = mockEngine.resources().filter((r) => r.urn.includes("polmock"));
    const types = new Set(recorded.map((r) => r.type));
    for (const t of ["azure-native:eventgrid:SystemTopic", "azure-native:eventgrid:SystemTopicEventSubscription", "azure-native:authorization:RoleAssignment"]) {
      assert.ok(types.has(t), `the stack registered a ${t}`);
    }
    const resources = fromMockedResources(recorded);
    const violations = await checkResources(resources);
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    if (process.env.SHOW_ADVISORY) console.log(violations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.resourceName}: ${v.message}`).join("\n"));
    assert.deepStrictEqual(mandatory.map((v) => `${v.policyName} ${v.resourceName}: ${v.message}`), []);
    // and the identity-delivery stack policy really looked at the Event Hub subscription
    const withoutGrant = resources.filter((r) => !(r.type === "azure-native:authorization:RoleAssignment" && JSON.stringify(r.props).includes("eventhubs")));
    assert.ok((await checkResources(withoutGrant)).some((v) => v.policyName === "rbac-identity-delivery-has-data-role"));
  });

  it("fromMockedResources maps preview unknowns to the engine's sentinel and unwraps secrets", () => {
    const [converted] = fromMockedResources([
      {
        inputs: {
          destination: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { endpointType: "WebHook", endpointUrl: "https://x.example/" } },
          scope: previewUnknown,
        },
        name: "r",
        type: "azure-native:eventgrid:EventSubscription",
        urn: "urn:pulumi:s::p::azure-native:eventgrid:EventSubscription::r",
      },
    ]);
    assert.deepStrictEqual(converted, {
      name: "r",
      props: { destination: { endpointType: "WebHook", endpointUrl: "https://x.example/" }, scope: UNKNOWN_VALUE },
      type: "azure-native:eventgrid:EventSubscription",
      urn: "urn:pulumi:s::p::azure-native:eventgrid:EventSubscription::r",
    });
  });
});
