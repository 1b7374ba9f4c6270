import * as assert from "assert";
import { execFile, spawnSync } from "child_process";
import { createServer, IncomingMessage } from "http";
import { AddressInfo } from "net";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { unzipSync } from "fflate";
import { DEPLOYER_MAX_DEQUEUE_COUNT, DEPLOYER_QUEUE_NAME } from "../../lib/deployment/constants";
import { parseQueueMessage } from "../../lib/deployment/handler/deployer";
import { planModelDeployment } from "../../lib/deployment/decision";
import { SAMPLE_WORKSPACE_ID, sampleEvents } from "../../lib/events";

const root = join(__dirname, "..", "..", "..");

describe("deployer queue path (Event Grid → storage queue → queue-triggered function)", () => {
  const event = sampleEvents().find((e) => e.eventType.endsWith("ModelRegistered"));
  const rules = [{ models: ["sklearn_regression_model"], tags: { type: ["Regression"] }, endpointName: "ep-regression" }];

  it("reads the event from an object, a JSON string or a Base64 string, whichever the queue delivered", () => {
    const json = JSON.stringify(event);
    for (const message of [event, json, Buffer.from(json).toString("base64"), ` ${json}\n`]) {
      assert.deepStrictEqual(parseQueueMessage(message), event);
      const decision = planModelDeployment(parseQueueMessage(message), { workspaceId: SAMPLE_WORKSPACE_ID, rules });
      assert.strictEqual(decision.action, "deploy");
    }
  });

  it("passes anything else through so the decision explains why it is not an event", () => {
    assert.strictEqual(parseQueueMessage("not json, not base64!"), "not json, not base64!");
    const decision = planModelDeployment(parseQueueMessage("not json, not base64!"), { workspaceId: SAMPLE_WORKSPACE_ID, rules });
    assert.strictEqual(decision.action, "ignore");
    assert.match((decision as { reason: string }).reason, /not an event/);
  });

  it("packages host.json with a timeout covering deployments, one message at a time, and poison after the documented attempts", () => {
    const host = JSON.parse(readFileSync(join(root, "dist", "lib", "deployment", "function-app", "host.json"), "utf8"));
    assert.strictEqual(host.functionTimeout, "00:30:00");
    assert.deepStrictEqual(host.extensions.queues, { batchSize: 1, newBatchThreshold: 0, maxDequeueCount: DEPLOYER_MAX_DEQUEUE_COUNT, visibilityTimeout: "00:05:00", messageEncoding: "none" });
    const bundle = readFileSync(join(root, "dist", "lib", "deployment", "function-app", "index.js"), "utf8");
    assert.ok(bundle.includes(`"${DEPLOYER_QUEUE_NAME}"`), "the bundle registers the queue trigger on the deployer's queue");
  });

  describe("the packaged Function (dist/lib/deployment/function-app.zip) loads in a plain Node.js process", () => {
    const zip = unzipSync(new Uint8Array(readFileSync(join(root, "dist", "lib", "deployment", "function-app.zip"))));
    const app = mkdtempSync(join(tmpdir(), "deployer-app-"));
    for (const [name, bytes] of Object.entries(zip)) writeFileSync(join(app, name), bytes);
    /** Runs `script` in a fresh Node.js process inside the unpacked package (no node_modules there or above it). */
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AML_") && !k.startsWith("AzureWebJobs")));
    const node = (script: string, cwd = app) => spawnSync(process.execPath, ["-e", script], { cwd, env, encoding: "utf8", timeout: 60_000 });
    const invoke = `require("./index.js").deployOnModelRegistered({}, { invocationId: "i", triggerMetadata: { dequeueCount: 1 }, log() {}, warn() {}, error() {} })
      .then(() => console.log("resolved"), (e) => console.log("rejected: " + e.message + " | loaded " + Object.keys(require.cache).map((f) => require("path").basename(f)).sort().join(",")))`;

    it("holds the entry, its lazily loaded runtime and the host files, and nothing else", () => {
      assert.deepStrictEqual(Object.keys(zip).sort(), ["host.json", "index.js", "index.js.LEGAL.txt", "package.json", "runtime.js", "runtime.js.LEGAL.txt"]);
      assert.strictEqual(JSON.parse(new TextDecoder().decode(zip["package.json"])).main, "index.js");
    });

    it("index.js registers the function without loading the Azure SDKs (runtime.js stays unloaded)", () => {
      const r = node(`require("./index.js"); console.log(JSON.stringify(Object.keys(require.cache).map((f) => require("path").basename(f))))`);
      assert.strictEqual(r.status, 0, r.stderr);
      assert.deepStrictEqual(JSON.parse(r.stdout.trim().split("\n").pop() ?? ""), ["index.js"]);
      assert.match(r.stderr, /register function "deployOnModelRegistered"/, "the registration call ran at import (the package is in test mode outside the host)");
    });

    it("runtime.js loads (every SDK's module initialisation runs) and exports the invocation handler", () => {
      const r = node(`const m = require("./runtime.js"); console.log(typeof m.deployOnModelRegistered)`);
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(r.stdout.trim(), "function");
    });

    it("an invocation through index.js loads runtime.js and fails on missing settings with an error naming the setting (the message is retried)", () => {
      const r = node(invoke);
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, /rejected: The model deployer is misconfigured:\nAML_WORKSPACE_ID must be a workspace ARM id/);
      assert.match(r.stdout, /loaded index\.js,runtime\.js/);
    });

    describe("the handler's credential against a loopback App Service identity endpoint (IDENTITY_ENDPOINT/IDENTITY_HEADER)", () => {
      const CLIENT = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";
      let requests: { url: URL; header: string | undefined }[];
      let endpoint: string;
      const server = createServer((req: IncomingMessage, res) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        requests.push({ url, header: req.headers["x-identity-header"] as string | undefined });
        const who = url.searchParams.get("client_id") ?? "system";
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ access_token: `token-for-${who}`, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: url.searchParams.get("resource"), token_type: "Bearer" }));
      });
      before((done) => {
        server.listen(0, "127.0.0.1", () => {
          endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;
          done();
        });
      });
      after((done) => {
        server.close(() => done());
      });
      beforeEach(() => {
        requests = [];
      });
      /** Asks the packaged runtime.js's credential for an ARM token in a fresh process (the identity source is cached per process). */
      const tokenWith = (clientId: string | undefined) =>
        new Promise<string>((resolve) => {
          const script = `require("./runtime.js").deployerCredential(process.env).getToken("https://management.azure.com/.default").then((t) => console.log("token " + t.token), (e) => console.log("error " + e.message))`;
          const childEnv = { ...env, IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: "loopback-secret", ...(clientId === undefined ? {} : { AZURE_CLIENT_ID: clientId }) };
          if (clientId === undefined) delete childEnv.AZURE_CLIENT_ID;
          execFile(process.execPath, ["-e", script], { cwd: app, env: childEnv, encoding: "utf8", timeout: 30_000 }, (error, stdout, stderr) => resolve(error ? `failed ${stderr}` : stdout.trim()));
        });

      it("with AZURE_CLIENT_ID (a user-assigned identity), asks the endpoint for that client id", async () => {
        assert.strictEqual(await tokenWith(CLIENT), `token token-for-${CLIENT}`);
        assert.strictEqual(requests.length, 1);
        assert.strictEqual(requests[0].url.searchParams.get("client_id"), CLIENT);
        assert.strictEqual(requests[0].url.searchParams.get("resource"), "https://management.azure.com");
        assert.strictEqual(requests[0].header, "loopback-secret");
      });

      it("without it (or empty), asks for the system-assigned identity: no client id in the request", async () => {
        for (const clientId of [undefined, ""]) {
          requests = [];
          assert.strictEqual(await tokenWith(clientId), "token token-for-system");
          assert.strictEqual(requests.length, 1);
          assert.ok(![...requests[0].url.searchParams.keys()].some((k) => /client_id|object_id|mi_res_id|msi_res_id/.test(k)), requests[0].url.search);
        }
      });

      it("a malformed AZURE_CLIENT_ID fails before any token request, naming the setting, the value and the fix", async () => {
        const out = await tokenWith("id-deployer");
        assert.match(out, /AZURE_CLIENT_ID is "id-deployer", not a client id \(a GUID/);
        assert.match(out, /set it to the user-assigned identity's client id, or remove it/);
        assert.strictEqual(requests.length, 0);
      });
    });

    it("a package missing runtime.js still registers, and every invocation rejects (retried, then poison) instead of resolving", () => {
      const broken = mkdtempSync(join(tmpdir(), "deployer-app-broken-"));
      for (const [name, bytes] of Object.entries(zip)) if (name !== "runtime.js") writeFileSync(join(broken, name), bytes);
      const r = node(invoke, broken);
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, /rejected: Cannot find module '\.\/runtime(\.js)?'/);
    });
  });
});
