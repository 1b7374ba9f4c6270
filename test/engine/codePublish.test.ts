import * as assert from "assert";
import { ARM_TOKEN_ENV } from "../../lib/deployment/publish";
import { PulumiEnv, usePulumiEnv } from "./cli";
import { startFlexPeer } from "./flexPeer";

interface StateResource {
  readonly type: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

describe("the deployer's code publish under the real engine: no token and no stack config in the state", function () {
  this.timeout(300_000);
  let env: PulumiEnv;
  usePulumiEnv((e) => {
    env = e;
  });

  it("pulumi up publishes with a token obtained at run time; the exported state (secrets shown) holds neither the token nor the secret", async () => {
    const dir = await env.project("code-publish", "test/engine/programs/code-publish");
    const flex = await startFlexPeer();
    try {
      await env.ok(["config", "set", "peer", flex.base], dir);
      await env.ok(["config", "set", "--secret", "failureWebhookUrl", "https://hooks.contoso.com/aml?sig=TOPSECRETSIG0123456789"], dir);
      await env.ok(["up", "--yes", "--skip-preview"], dir);
    } finally {
      await flex.close();
    }
    assert.ok(flex.seen.includes("POST /api/publish"), "the code was published");
    const token = env.env()[ARM_TOKEN_ENV];
    assert.ok(token && token.length > 10, "the engine environment provides the run-time token");
    const state = (await env.ok(["stack", "export", "--show-secrets"], dir)).stdout;
    assert.ok(!state.includes(token), "the ARM token is in the state");
    const at = state.indexOf("TOPSECRETSIG0123456789");
    assert.strictEqual(at, -1, `the stack's secret config is in the state: …${state.slice(Math.max(0, at - 600), at + 100)}`);
    const resources = (JSON.parse(state) as { deployment: { resources: StateResource[] } }).deployment.resources;
    const publish = resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource");
    assert.ok(publish, "the publish resource is in the state");
    for (const part of [publish.inputs ?? {}, publish.outputs ?? {}]) {
      assert.ok(!("token" in part), "a token property is stored");
      assert.ok(!JSON.stringify(part).includes("failureWebhookUrl"), "stack config is stored with the publish resource");
    }
  });
});
