/**
 * Real engine: a replaced Logic App workflow's subscription gets the new callback URL in the same `pulumi up`
 * (the offline provider's callback URL depends on the workflow's name, as Azure's `sig` depends on its keys).
 */
import * as assert from "node:assert";
import { deterministicGuid } from "../../lib/rbac/guid";
import { PulumiEnv, usePulumiEnv } from "./cli";

interface Exported {
  deployment: { resources: { type: string; urn: string; inputs?: { destination?: { endpointUrl?: unknown } } }[] };
}

describe("real Pulumi engine: Logic App callback URL after the workflow is replaced", function () {
  this.timeout(300_000);
  let env: PulumiEnv;
  usePulumiEnv((e) => {
    env = e;
  });

  async function endpointUrl(dir: string): Promise<string> {
    const state = JSON.parse((await env.ok(["stack", "export", "--show-secrets"], dir)).stdout) as Exported;
    const sub = state.deployment.resources.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription" && r.urn.endsWith("::rot-to-logic"));
    assert.ok(sub, "the subscription is in the state");
    const url = sub.inputs?.destination?.endpointUrl;
    const plain = typeof url === "object" && url !== null && "plaintext" in url ? JSON.parse(String((url as { plaintext: unknown }).plaintext)) : url;
    return String(plain);
  }

  it("pulumi up twice, renaming the workflow: the subscription's endpoint carries the new workflow's callback", async () => {
    const dir = await env.project("callback-rotation", "test/engine/programs/callback-rotation");
    await env.ok(["config", "set", "workflowName", "la-alerts-one"], dir);
    await env.ok(["up", "--yes", "--skip-preview"], dir);
    const first = await endpointUrl(dir);
    assert.match(first, new RegExp(`/workflows/${deterministicGuid("la-alerts-one").replace(/-/g, "")}/triggers/`));
    await env.ok(["config", "set", "workflowName", "la-alerts-two"], dir);
    await env.ok(["up", "--yes", "--skip-preview"], dir);
    const second = await endpointUrl(dir);
    assert.match(second, new RegExp(`/workflows/${deterministicGuid("la-alerts-two").replace(/-/g, "")}/triggers/`), "the new workflow's callback URL, in the same up");
    const again = await env.run(["preview", "--expect-no-changes"], dir);
    assert.strictEqual(again.code, 0, again.stderr + again.stdout);
    await env.ok(["destroy", "--yes", "--skip-preview"], dir);
  });
});
