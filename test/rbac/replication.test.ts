/** The custom-role replication wait against a loopback ARM that replicates late, flip-flops, forges and refuses. */
import * as assert from "node:assert";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { classifyRoleDefinitionRead, ROLE_DEFINITIONS_API_VERSION, waitForRoleDefinition } from "../../lib/rbac/replication";
import { ARM_ENDPOINT_ENV, roleDefinitionReplicationProvider } from "../../lib/rbac/roleReplication";
import { ARM_TOKEN_ENV } from "../../lib/deployment/publish";

const GUID = "5d3f0c1e-8a2b-4c6d-9e7f-0a1b2c3d4e5f";
const ID = `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${GUID}`;

interface Arm {
  readonly base: string;
  readonly seen: { path: string; query: string; auth: string }[];
  close(): Promise<void>;
}

/** A loopback ARM that answers the n-th read with script[n] (the last entry repeats). */
async function arm(script: readonly (number | { status: number; body: unknown })[]): Promise<Arm> {
  const seen: Arm["seen"] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    seen.push({ path: url.pathname, query: url.search, auth: req.headers.authorization ?? "" });
    const step = script[Math.min(seen.length - 1, script.length - 1)];
    const { status, body } = typeof step === "number"
      ? { status: step, body: step === 200 ? { id: ID, name: GUID } : { error: { code: step === 404 ? "RoleDefinitionDoesNotExist" : "ServerBusy" } } }
      : step;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function withArm<T>(script: Parameters<typeof arm>[0], body: (a: Arm) => Promise<T>): Promise<T> {
  const a = await arm(script);
  try {
    return await body(a);
  } finally {
    await a.close();
  }
}

describe("rbac: custom role replication wait", () => {
  it("classifies reads: found only when the body is this definition; 404/RoleDefinitionDoesNotExist/429/5xx wait; 401/403 and forged bodies fail", () => {
    assert.deepStrictEqual(classifyRoleDefinitionRead(200, JSON.stringify({ name: GUID.toUpperCase() }), GUID), { verdict: "found" });
    assert.strictEqual(classifyRoleDefinitionRead(200, JSON.stringify({ name: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" }), GUID).verdict, "fail");
    assert.strictEqual(classifyRoleDefinitionRead(200, "<html>", GUID).verdict, "fail");
    for (const [status, body] of [[404, ""], [400, JSON.stringify({ error: { code: "RoleDefinitionDoesNotExist" } })], [429, ""], [503, ""], [408, ""]] as const) {
      assert.strictEqual(classifyRoleDefinitionRead(status, body, GUID).verdict, "missing", `${status}`);
    }
    const denied = classifyRoleDefinitionRead(403, JSON.stringify({ error: { code: "AuthorizationFailed" } }), GUID);
    assert.strictEqual(denied.verdict, "fail");
    assert.match("detail" in denied ? denied.detail : "", /403 AuthorizationFailed.*roleDefinitions\/read/);
    assert.strictEqual(classifyRoleDefinitionRead(400, JSON.stringify({ error: { code: "InvalidRoleDefinitionId" } }), GUID).verdict, "fail");
  });

  it("waits through a late, flip-flopping replication until the definition reads back N times in a row", async () => {
    const result = await withArm([404, 404, 200, 404, 200, 503, 200, 200, 200, 404], async (a) => {
      const r = await waitForRoleDefinition({ armEndpoint: `${a.base}/`, roleDefinitionId: ID, token: "t0k", consecutive: 3, pollIntervalMs: 5, timeoutSeconds: 10 });
      assert.ok(a.seen.every((s) => s.path === ID && s.query === `?api-version=${ROLE_DEFINITIONS_API_VERSION}` && s.auth === "Bearer t0k"), JSON.stringify(a.seen));
      return r;
    });
    assert.deepStrictEqual(result, { reads: 9, misses: 4 });
  });

  it("is bounded: a definition that never settles fails with the definition, the last answer and the fix", async () => {
    await withArm([200, 404], async (a) => {
      await assert.rejects(
        waitForRoleDefinition({ armEndpoint: a.base, roleDefinitionId: ID, token: "t", consecutive: 2, pollIntervalMs: 50, timeoutSeconds: 1 }),
        (e: Error) => {
          assert.match(e.message, new RegExp(`role definition ${ID} was not found 2 times in a row within 1 s`));
          assert.match(e.message, /last: 404 RoleDefinitionDoesNotExist/);
          assert.match(e.message, /Run `pulumi up` again/);
          return true;
        },
      );
      assert.ok(a.seen.length >= 2 && a.seen.length <= 21, `bounded reads: ${a.seen.length}`); // at most 1 s / 50 ms + 1
    });
  });

  it("stops at once when the identity may not read definitions, or ARM answers with another role", async () => {
    await withArm([403], async (a) => {
      await assert.rejects(waitForRoleDefinition({ armEndpoint: a.base, roleDefinitionId: ID, token: "t", pollIntervalMs: 5 }), /403 .*roleDefinitions\/read/);
      assert.strictEqual(a.seen.length, 1);
    });
    await withArm([{ status: 200, body: { name: "b24988ac-6180-42a0-ab88-20f7382dd24c" } }], async (a) => {
      await assert.rejects(waitForRoleDefinition({ armEndpoint: a.base, roleDefinitionId: ID, token: "t", pollIntervalMs: 5 }), /not role definition 5d3f0c1e/);
    });
  });

  it("the dynamic provider waits with the run-time token and endpoint (environment), and stores neither", async () => {
    const saved = { endpoint: process.env[ARM_ENDPOINT_ENV], token: process.env[ARM_TOKEN_ENV] };
    await withArm([404, 200, 200], async (a) => {
      process.env[ARM_ENDPOINT_ENV] = a.base;
      process.env[ARM_TOKEN_ENV] = "env-token";
      try {
        const created = await roleDefinitionReplicationProvider.create({ roleDefinitionId: ID, consecutive: 2, pollIntervalMs: 5 });
        assert.strictEqual(created.id, `${ID}/replicated`);
        assert.deepStrictEqual(created.outs, { roleDefinitionId: ID, consecutive: 2, pollIntervalMs: 5, reads: 3, misses: 1 });
        assert.ok(a.seen.every((s) => s.auth === "Bearer env-token"));
        const diff = await roleDefinitionReplicationProvider.diff!(created.id, created.outs, { ...created.outs, roleDefinitionId: `${ID.slice(0, -1)}0` });
        assert.deepStrictEqual(diff.replaces, ["roleDefinitionId"], "another definition waits again");
      } finally {
        for (const [k, v] of [[ARM_ENDPOINT_ENV, saved.endpoint], [ARM_TOKEN_ENV, saved.token]] as const) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    });
  });
});
