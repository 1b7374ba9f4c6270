import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import Module from "module";
import { mkdtempSync, writeFileSync } from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import { tmpdir } from "os";
import { join } from "path";
import {
  classifyPublishResponse,
  functionCodePublishProvider,
  functionListed,
  packageHash,
  publishChanges,
  publishFunctionCode,
  PublishInputs,
  readDeploymentStatus,
  deploymentStatusUrl,
  ARM_TOKEN_ENV,
  scmHostOf,
} from "../../lib/deployment";

const APP_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fn/providers/Microsoft.Web/sites/md-app-1a2b3c4d";

interface Script {
  /** Statuses /api/publish answers before accepting (e.g. 401 while roles propagate). */
  publishFaults: { status: number; body?: string }[];
  /** Deployment polls answering "still running" before the final status. */
  runningPolls: number;
  /** Final Kudu status: 4 success, 3 failed; 404: the record is gone once the deployment completed. */
  finalStatus: 3 | 4 | 404;
  /** Function list reads that come back empty (or 5xx) before the function shows up; Infinity = never. */
  unindexedReads: number;
  /** Answer 503 on every other function list read while unindexed. */
  listFaults?: boolean;
}

/** A loopback peer speaking ARM (site, functions list) and the SCM host (/api/publish, /api/deployments/{id}). */
async function startPeer(script: Script) {
  const seen: { method: string; path: string; auth?: string; bytes: number }[] = [];
  let deployed: Buffer | undefined;
  let polls = 0;
  let reads = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? "", path: url.pathname, auth: req.headers.authorization, bytes: body.length });
      const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(json === undefined ? "" : typeof json === "string" ? json : JSON.stringify(json));
      };
      if (req.headers.authorization !== "Bearer tok-123") return send(401, { error: "no token" });
      if (req.method === "POST" && url.pathname === "/api/publish") {
        const fault = script.publishFaults.shift();
        if (fault) return send(fault.status, fault.body ?? "");
        assert.strictEqual(url.searchParams.get("RemoteBuild"), "false");
        deployed = body;
        return send(202, "", { location: "/api/deployments/dep-42" });
      }
      if (req.method === "GET" && url.pathname === "/api/deployments/dep-42") {
        polls += 1;
        const done = polls > script.runningPolls;
        if (done && script.finalStatus === 404) return send(404, { error: "no such deployment" });
        return send(200, { id: "dep-42", status: done ? script.finalStatus : 1, complete: done, status_text: done && script.finalStatus === 3 ? "host failed to start" : "" });
      }
      if (req.method === "GET" && url.pathname.toLowerCase() === `${APP_ID}/functions`.toLowerCase()) {
        assert.strictEqual(url.searchParams.get("api-version"), "2024-04-01");
        reads += 1;
        if (reads <= script.unindexedReads) return script.listFaults && reads % 2 === 0 ? send(503, { error: "busy" }) : send(200, { value: [] });
        return send(200, { value: [{ id: `${APP_ID}/functions/deployOnModelRegistered`, name: "md-app-1a2b3c4d/deployOnModelRegistered", properties: { name: "deployOnModelRegistered" } }] });
      }
      if (req.method === "GET" && url.pathname.toLowerCase() === APP_ID.toLowerCase()) {
        return send(200, { properties: { hostNameSslStates: [{ name: "md-app-1a2b3c4d.azurewebsites.net", hostType: "Standard" }, { name: `127.0.0.1:${port()}`, hostType: "Repository" }] } });
      }
      send(404, { error: `no route ${req.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = () => (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port()}`,
    seen,
    deployed: () => deployed,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const ZIP = new Uint8Array(Buffer.from("PK\u0003\u0004 a realistic enough package body"));

describe("Flex Consumption code deployment (one deploy + indexing check)", () => {
  const peers: { close(): Promise<void> }[] = [];
  after(async () => Promise.all(peers.map((p) => p.close())));
  async function peer(script: Script) {
    const p = await startPeer(script);
    peers.push(p);
    return p;
  }
  const request = (base: string, extra: Partial<Parameters<typeof publishFunctionCode>[0]> = {}) => ({
    armEndpoint: base,
    scmUrl: base,
    functionAppId: APP_ID,
    functionName: "deployOnModelRegistered",
    zip: ZIP,
    token: "tok-123",
    pollIntervalMs: 1,
    roleWaitSeconds: 30,
    indexWaitSeconds: 30,
    ...extra,
  });

  it("publishes through /api/publish past 401/403 (role propagation), 5xx and a storage-role 400, then waits for indexing", async () => {
    const p = await peer({
      publishFaults: [{ status: 401 }, { status: 403 }, { status: 500 }, { status: 400, body: "BlobUploadFailedException: 403 AuthorizationPermissionMismatch" }],
      runningPolls: 3,
      finalStatus: 4,
      unindexedReads: 4,
      listFaults: true,
    });
    const result = await publishFunctionCode(request(p.base));
    assert.deepStrictEqual(result, { deploymentId: "dep-42", functionId: `${APP_ID}/functions/deployOnModelRegistered`, attempts: 5 });
    assert.deepStrictEqual(Buffer.from(p.deployed() ?? []), Buffer.from(ZIP), "the zip's bytes reach the app");
    assert.ok(p.seen.every((r) => r.auth === "Bearer tok-123"), "every call carries the deploying identity's token");
    assert.strictEqual(p.seen.filter((r) => r.path === "/api/publish").length, 5);
  });

  it("finds the SCM host from the site's Repository host name when no override is given", async () => {
    const p = await peer({ publishFaults: [], runningPolls: 0, finalStatus: 4, unindexedReads: 0 });
    const base = p.base;
    // The Repository host is 127.0.0.1:port; the default scheme is https, so point the override at http for the loopback only after reading it.
    const { scmUrl: _ignored, ...noOverride } = request(base);
    void _ignored;
    await assert.rejects(publishFunctionCode({ ...noOverride, roleWaitSeconds: 0 }), /publishing the code to https:\/\/127\.0\.0\.1:\d+\/api\/publish failed/);
    assert.ok(p.seen.some((r) => r.method === "GET" && r.path === APP_ID), "the site was read from ARM");
  });

  it("fails with a clear message when the function never shows up", async () => {
    const p = await peer({ publishFaults: [], runningPolls: 0, finalStatus: 4, unindexedReads: Infinity });
    await assert.rejects(publishFunctionCode(request(p.base, { indexWaitSeconds: 0.2 })), /function deployOnModelRegistered never appeared in .*\/functions .*check the app's logs/);
  });

  it("fails with the deployment's message when the deploy itself fails", async () => {
    const p = await peer({ publishFaults: [], runningPolls: 1, finalStatus: 3, unindexedReads: 0 });
    await assert.rejects(publishFunctionCode(request(p.base)), /code deployment dep-42 failed on the Function App: status Failed \(3\); host failed to start/);
  });

  it("gives up on 403 after the role wait with a message naming the missing permission", async () => {
    const p = await peer({ publishFaults: Array.from({ length: 1000 }, () => ({ status: 403 })), runningPolls: 0, finalStatus: 4, unindexedReads: 0 });
    await assert.rejects(publishFunctionCode(request(p.base, { roleWaitSeconds: 0.2 })), /HTTP 403 .*Microsoft\.Web\/sites\/publish\/Action/);
  });

  it("a 404 on the deployment record after acceptance ends the poll; the function list then confirms the deploy", async () => {
    const p = await peer({ publishFaults: [], runningPolls: 1, finalStatus: 404, unindexedReads: 1 });
    const result = await publishFunctionCode(request(p.base));
    assert.strictEqual(result.deploymentId, "");
    assert.strictEqual(result.functionId, `${APP_ID}/functions/deployOnModelRegistered`);
  });

  it("does not retry a 400 that is not about storage access", async () => {
    const p = await peer({ publishFaults: [{ status: 400, body: "Invalid zip" }], runningPolls: 0, finalStatus: 4, unindexedReads: 0 });
    await assert.rejects(publishFunctionCode(request(p.base)), /HTTP 400 after 1 attempt\(s\): Invalid zip/);
  });

  it("the dynamic provider publishes the file on create and diffs on the package hash, never the token", async () => {
    const p = await peer({ publishFaults: [{ status: 403 }], runningPolls: 1, finalStatus: 4, unindexedReads: 1 });
    const file = join(mkdtempSync(join(tmpdir(), "publish-")), "function-app.zip");
    writeFileSync(file, ZIP);
    const { zip: _zip, token: _token, ...rest } = request(p.base);
    void _zip;
    void _token;
    const inputs: PublishInputs = { ...rest, packagePath: file, packageHash: packageHash(file) };
    // The token is obtained at run time (here from the environment), never an input or output.
    process.env[ARM_TOKEN_ENV] = "tok-123";
    let created;
    try {
      created = await functionCodePublishProvider.create!(inputs);
    } finally {
      delete process.env[ARM_TOKEN_ENV];
    }
    assert.ok(!JSON.stringify(created.outs).includes("tok-123"), "no token in the resource's outputs");
    assert.ok(!("token" in (created.outs as object)));
    assert.ok(p.seen.some((r) => r.auth === "Bearer tok-123"), "the run-time token was used");
    assert.strictEqual(created.id, `${APP_ID}/deployments/dep-42`);
    assert.deepStrictEqual(Buffer.from(p.deployed() ?? []), Buffer.from(ZIP));
    const same = await functionCodePublishProvider.diff!(created.id, created.outs, { ...inputs, token: "a-new-token" });
    assert.strictEqual(same.changes, false, "a new token alone never redeploys");
    const changed = await functionCodePublishProvider.diff!(created.id, created.outs, { ...inputs, packageHash: "0".repeat(64) });
    assert.strictEqual(changed.changes, true);
    writeFileSync(file, "PK changed after preview");
    await assert.rejects(functionCodePublishProvider.create!(inputs), /changed between preview and update/);
    // Without a token source the publish says how to provide one (no credential works offline).
    writeFileSync(file, ZIP);
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (/^AZURE_|^IDENTITY_ENDPOINT$|^MSI_ENDPOINT$/.test(k)) delete process.env[k];
    process.env.PATH = "/nonexistent";
    try {
      await assert.rejects(functionCodePublishProvider.create!(inputs), new RegExp(`sign in \\(az login\\) or set ${ARM_TOKEN_ENV}`));
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it("the provider survives Pulumi's closure serialization (as the engine's dynamic provider host loads it)", async () => {
    const sf = await pulumi.runtime.serializeFunction(() => functionCodePublishProvider, { allowSecrets: true });
    const m = new Module(join(tmpdir(), "serialized-provider.js"));
    (m as unknown as { _compile(text: string, file: string): void })._compile(sf.text, join(tmpdir(), "serialized-provider.js"));
    const provider = (m.exports as Record<string, () => typeof functionCodePublishProvider>)[sf.exportName]();
    assert.deepStrictEqual(await provider.diff!("id", { packageHash: "a", token: "t1" }, { packageHash: "a", token: "t2" }), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.strictEqual((await provider.diff!("id", { packageHash: "a" }, { packageHash: "b" })).changes, true);
    assert.ok(sf.text.length < 20_000, `the provider stays small when serialized (${sf.text.length} characters)`);
  });

  it("pure pieces: response classes, Kudu states, function lists, SCM host, diff keys", () => {
    assert.deepStrictEqual(
      [[202, ""], [200, ""], [401, ""], [403, ""], [429, ""], [502, ""], [400, "BlobUploadFailedException"], [400, "bad zip"], [404, ""]].map(([s, b]) => classifyPublishResponse(s as number, b as string)),
      ["accepted", "accepted", "retry", "retry", "retry", "retry", "retry", "fail", "fail"],
    );
    assert.deepStrictEqual(readDeploymentStatus({ id: "d", status: 1, complete: false }), { done: false });
    assert.deepStrictEqual(readDeploymentStatus({ id: "d", status: 4, complete: true }), { done: true, ok: true, id: "d", message: "" });
    assert.deepStrictEqual(readDeploymentStatus({ id: "d", status: 3, complete: true, status_text: "boom" }), { done: true, ok: false, id: "d", message: "status Failed (3); boom" });
    // Kudu's other final codes end the poll as failures, whatever `complete` says.
    for (const [status, text] of [[-1, /Unknown \(-1\)/], [5, /Conflict \(5\).*run the update again/], [6, /PartialSuccess \(6\)/]] as const) {
      const state = readDeploymentStatus({ id: "d", status, complete: false });
      assert.ok(state.done && !state.ok && text.test(state.message), `${status}: ${JSON.stringify(state)}`);
    }
    for (const status of [0, 1, 2]) assert.deepStrictEqual(readDeploymentStatus({ id: "d", status, complete: false }), { done: false });
    // The status URL: only the app's own SCM origin; never another host, scheme or port.
    const base = "https://md-app.scm.azurewebsites.net";
    assert.strictEqual(deploymentStatusUrl(base, "/api/deployments/dep-42"), `${base}/api/deployments/dep-42`);
    assert.strictEqual(deploymentStatusUrl(base, `${base}/api/deployments/x`), `${base}/api/deployments/x`);
    assert.strictEqual(deploymentStatusUrl(base, null), `${base}/api/deployments/latest`);
    for (const hostile of ["http://md-app.scm.azurewebsites.net/api/deployments/x", "https://attacker.example.net/api/deployments/x", "//attacker.example.net/x", "https://md-app.scm.azurewebsites.net:8443/x", "https://md-app.scm.azurewebsites.net.attacker.net/x"]) {
      assert.throws(() => deploymentStatusUrl(base, hostile), /not its own origin|unreadable Location/, hostile);
    }
    assert.deepStrictEqual(readDeploymentStatus("nope"), { done: false });
    assert.strictEqual(functionListed({ value: [{ name: "app/Other" }] }, "deployOnModelRegistered"), undefined);
    assert.strictEqual(functionListed({ value: [{ name: "app/DeployOnModelRegistered" }] }, "deployOnModelRegistered"), "DeployOnModelRegistered");
    assert.strictEqual(functionListed({}, "x"), undefined);
    assert.strictEqual(scmHostOf({}, "my-app"), "my-app.scm.azurewebsites.net");
    assert.deepStrictEqual(publishChanges({ packageHash: "a", token: "t1" }, { packageHash: "a", token: "t2" }), []);
    assert.deepStrictEqual(publishChanges({ packageHash: "a", functionAppId: "x" }, { packageHash: "b", functionAppId: "y" }), ["packageHash", "functionAppId"]);
  });
});
