import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import * as assert from "assert";
import { armPaths, MANAGED_BY_TAG } from "../../lib/deployment/arm";
import { deploymentNameFor, DeployRule, modelVersionId } from "../../lib/deployment/decision";
import { DeployOutcome, EndpointLocks, handleEvent, LogLine, serialized, TransientDeploymentError } from "../../lib/deployment/handler/deployer";
import { EndpointLocker } from "../../lib/deployment/handler/lease";
import { blockingNewer, repairTraffic, summarize, TRAFFIC_PERCENT_TAG } from "../../lib/deployment/traffic";
import { EventGridEvent, eventGridToCloudEvent, SAMPLE_WORKSPACE_ID, sampleEvents } from "../../lib/events";
import { FakeArm, makeLocalCertificate } from "./armServer";
import { rng } from "../helpers/rng";

const SUB = "00000000-0000-0000-0000-000000000000";
const MODEL = "sklearn_regression_model";
const RULES: DeployRule[] = [{ models: ["sklearn_regression_model"], tags: { type: ["Regression"] }, endpointName: "ep-regression" }];
const ENDPOINT = armPaths.endpoint(SAMPLE_WORKSPACE_ID, "ep-regression");
const dep = (v: string) => `sklearn-regression-model-v${v}`;
const depPath = (v: string) => armPaths.deployment(SAMPLE_WORKSPACE_ID, "ep-regression", dep(v));

function event(version: string, id = `evt-${version}`): EventGridEvent {
  const e = sampleEvents().find((x) => x.eventType.endsWith("ModelRegistered"));
  assert.ok(e);
  return { ...e, id, subject: `models/${MODEL}:${version}`, data: { ...(e.data as object), modelVersion: version } };
}


describe("deployment handler under concurrency (never roll back)", function () {
  const tls = makeLocalCertificate();
  let arm: FakeArm;
  let url: string;
  let logs: LogLine[];

  function deps(rules: DeployRule[] = RULES, locks: EndpointLocks = new Map(), maxRetries = 2) {
    const client = new AzureMachineLearningWorkspaces(
      { getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3_600_000 }) },
      SUB,
      { endpoint: url, $host: url, tlsOptions: { ca: tls.cert }, retryOptions: { maxRetries, retryDelayInMs: 1, maxRetryDelayInMs: 5 } },
    );
    return { client, config: { workspaceId: SAMPLE_WORKSPACE_ID, rules, location: "westeurope", pollIntervalMs: 1, readBackTimeoutMs: 2000, settleTimeoutMs: 5000 }, log: (l: LogLine) => logs.push(l), locks };
  }
  const traffic = () => arm.endpoints.get(ENDPOINT.toLowerCase())?.properties.traffic as Record<string, number>;
  function seedEndpoint(t: Record<string, number>): void {
    arm.seed("endpoint", ENDPOINT, { location: "westeurope", properties: { authMode: "Key", traffic: t, provisioningState: "Succeeded" } });
  }
  function seedDeployment(v: string, state: string, percent = 100): void {
    arm.seed("deployment", depPath(v), {
      location: "westeurope",
      tags: { [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value, [TRAFFIC_PERCENT_TAG]: String(percent) },
      properties: { model: modelVersionId(SAMPLE_WORKSPACE_ID, MODEL, v), provisioningState: state },
    });
  }

  beforeEach(async () => {
    arm = new FakeArm(tls);
    url = await arm.start();
    logs = [];
  });
  afterEach(async () => arm.stop());

  for (const slow of ["5", "6"]) {
    it(`two versions racing on two instances end with the newer one serving (v${slow} deploys slowly)`, async () => {
      seedEndpoint({});
      arm.pollsFor.set(depPath(slow).toLowerCase(), 60);
      const [a, b] = await Promise.allSettled([handleEvent(event("5"), deps()), handleEvent(event("6"), deps())]);
      const statuses = [a, b].map((r) => (r.status === "fulfilled" ? r.value.status : (r.reason as Error).name));
      assert.strictEqual(statuses[1], "deployed", "v6 is deployed");
      assert.ok(["deployed", "ignored"].includes(statuses[0]), `v5: ${statuses[0]}`);
      const t = traffic();
      assert.strictEqual(t[dep("6")], 100, `v6 serves everything: ${JSON.stringify(t)}`);
      assert.ok(!t[dep("5")], "v5 holds no traffic");
    });
  }

  it("a new version's share is decided from the endpoint read right before the traffic write, not from an earlier (stale) read", async () => {
    // Found by the multi-process soak: the first endpoint read showed the traffic before another model's
    // canary (AML reads back stale traffic after an update, Azure/azure-dev#3881), so v6 took 100 % and
    // the other model lost its share. The share is now decided from the read under the lease before the write.
    const other = deploymentNameFor("other_model", "1");
    const rules: DeployRule[] = [...RULES, { models: ["other_model"], tags: { type: ["Regression"] }, endpointName: "ep-regression" }];
    seedEndpoint({ [dep("5")]: 90, [other]: 10 });
    seedDeployment("5", "Succeeded");
    arm.seed("deployment", armPaths.deployment(SAMPLE_WORKSPACE_ID, "ep-regression", other), {
      location: "westeurope",
      tags: { [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value, [TRAFFIC_PERCENT_TAG]: "10" },
      properties: { model: modelVersionId(SAMPLE_WORKSPACE_ID, "other_model", "1"), provisioningState: "Succeeded" },
    });
    const stale = { id: ENDPOINT, name: "ep-regression", location: "westeurope", properties: { authMode: "Key", traffic: { [dep("5")]: 100 }, provisioningState: "Succeeded" } };
    arm.inject("GET", /\/onlineEndpoints\/ep-regression$/, { status: 200, body: stale });
    const outcome = await handleEvent(event("6"), deps(rules));
    assert.strictEqual(outcome.status, "deployed");
    const t = traffic();
    assert.ok(t[other] > 0, `the other model keeps serving: ${JSON.stringify(t)}`);
    assert.strictEqual(t[dep("6")], 10, `v6 starts as a canary next to another model: ${JSON.stringify(t)}`);
    assert.strictEqual(Object.values(t).reduce((n, x) => n + x, 0), 100);
  });

  it("the same model arriving while its deployment is still running: retried on another instance, waited for on the same one", async () => {
    seedEndpoint({});
    arm.pollsFor.set(depPath("20").toLowerCase(), 30);
    const first = handleEvent(event("20"), deps());
    // Another instance (no shared lock here) sees the deployment Creating and waits until it settled,
    // bounded: it never writes from a state in which the deployment had not settled.
    while (!arm.deployments.has(depPath("20").toLowerCase())) await new Promise((r) => setTimeout(r, 2));
    const second = await handleEvent(event("20", "evt-dup"), deps());
    assert.ok(["deployed", "up-to-date"].includes(second.status), JSON.stringify(second));
    assert.ok(logs.some((l) => l.msg === "waiting for deployment sklearn-regression-model-v20 to settle"), "the second instance waited");
    assert.strictEqual((await first).status, "deployed");
    assert.deepStrictEqual(traffic(), { [dep("20")]: 100 });
    // On one instance the duplicate waits for the first and then finds nothing to do.
    const locks: EndpointLocks = new Map();
    arm.pollsFor.set(depPath("21").toLowerCase(), 30);
    const [x, y] = await Promise.all([handleEvent(event("21"), deps(RULES, locks)), handleEvent(event("21", "evt-dup-21"), deps(RULES, locks))]);
    assert.deepStrictEqual([x.status, y.status], ["deployed", "up-to-date"]);
    assert.deepStrictEqual(traffic(), { [dep("20")]: 0, [dep("21")]: 100 });
  });

  it("a redelivered canary event does not move traffic again after it was acknowledged", async () => {
    const canary: DeployRule[] = [{ ...RULES[0], trafficPercent: 20 }];
    await handleEvent(event("20"), deps());
    await handleEvent(event("21"), deps(canary));
    assert.deepStrictEqual(traffic(), { [dep("20")]: 80, [dep("21")]: 20 });
    // Someone moves the canary on (another model's canary, or an operator).
    arm.endpoints.get(ENDPOINT.toLowerCase())!.properties.traffic = { [dep("20")]: 50, [dep("21")]: 50 };
    arm.clearRequests();
    const again = await handleEvent(event("21"), deps(canary));
    assert.strictEqual(again.status, "up-to-date");
    assert.deepStrictEqual(traffic(), { [dep("20")]: 50, [dep("21")]: 50 });
    assert.ok(!arm.calls().some((c) => c.startsWith("PUT")), "no write on redelivery");
  });

  it("ignores a CloudEvents delivery whose model fields sit only under a __proto__ key (own properties only)", async () => {
    const ce = eventGridToCloudEvent(event("20")) as unknown as Record<string, unknown>;
    const sneaky = JSON.parse(JSON.stringify({ ...ce, data: {} }).replace('"data":{}', `"data":{"__proto__":${JSON.stringify((event("20").data))}}`));
    assert.ok(Object.prototype.hasOwnProperty.call(sneaky.data, "__proto__"), "the payload really has an own __proto__ key");
    const outcome = await handleEvent(sneaky, deps());
    assert.strictEqual(outcome.status, "ignored");
    assert.match((outcome as { reason: string }).reason, /malformed event|no rule matches/);
    assert.deepStrictEqual(arm.requests, []);
  });

  it("deploys an older version when the newer deployment Failed and never served", async () => {
    seedEndpoint({});
    seedDeployment("21", "Failed");
    const outcome = await handleEvent(event("20"), deps());
    assert.strictEqual(outcome.status, "deployed");
    assert.deepStrictEqual(traffic(), { [dep("20")]: 100 });
    // A newer one that succeeded (or is still being created) does block it.
    seedDeployment("22", "Creating");
    assert.strictEqual((await handleEvent(event("19"), deps())).status, "ignored");
  });

  it("a throttled traffic update is re-sent with the body computed under the lease, then read back until the endpoint shows it", async () => {
    seedEndpoint({ [dep("20")]: 100 });
    seedDeployment("20", "Succeeded");
    let throttled = 0;
    arm.inject("PUT", /\/onlineEndpoints\/ep-regression$/, { status: 429, headers: { "retry-after": "0" }, body: { error: { code: "TooManyRequests", message: "slow down" } }, then: () => void (throttled += 1) });
    const outcome = await handleEvent(event("21"), deps());
    assert.strictEqual(outcome.status, "deployed");
    assert.strictEqual(throttled, 1);
    assert.deepStrictEqual(traffic(), { [dep("20")]: 0, [dep("21")]: 100 });
    const afterWrite = arm.calls().slice(arm.calls().lastIndexOf(`PUT ${ENDPOINT}`) + 1);
    assert.ok(afterWrite.filter((c) => c === `GET ${ENDPOINT}`).length >= 2, `read back after the write: ${afterWrite.join(", ")}`);
  });

  it("restores another model's canary share erased by a stale write", () => {
    const ds = [
      { name: "a-v1", tags: { managedBy: "aml-event-workflows", trafficPercent: "100" }, properties: { model: "azureml:a:1", provisioningState: "Succeeded" } },
      { name: "a-v2", tags: { managedBy: "aml-event-workflows", trafficPercent: "10" }, properties: { model: "azureml:a:2", provisioningState: "Succeeded" } },
    ].map(summarize);
    assert.deepStrictEqual(repairTraffic({ "a-v1": 100, "a-v2": 0 }, ds), { "a-v1": 90, "a-v2": 10 });
    assert.strictEqual(repairTraffic({ "a-v1": 90, "a-v2": 10 }, ds), undefined);
    assert.strictEqual(blockingNewer([summarize({ name: "x", properties: { model: "azureml:a:3", provisioningState: "Failed" } })], "a", "2"), undefined);
  });

  it("classifies 'endpoint name taken in this region' as permanent with a log line saying what to do", async () => {
    arm.inject("PUT", /\/onlineEndpoints\/ep-regression$/, {
      status: 409,
      body: { error: { code: "UserError", message: "Endpoint name ep-regression already exists in region westeurope. Endpoint names must be unique within a region." } },
    });
    const outcome = await handleEvent(event("20"), deps());
    assert.strictEqual(outcome.status, "failed");
    assert.match((outcome as { reason: string }).reason, /name ep-regression is taken in region westeurope .*more specific endpointName/);
    const line = logs.find((l) => l.msg === "endpoint name taken in this region");
    assert.ok(line && line.level === "error" && line.action === "rename the rule's endpointName");
    // A 409 that is an operation conflict stays transient.
    arm.inject("PUT", /\/onlineEndpoints\/ep-regression$/, { status: 409, body: { error: { code: "Conflict", message: "Another operation is in progress." } } });
    await assert.rejects(handleEvent(event("20"), deps()), TransientDeploymentError);
  });

  for (const seed of [11, 23, 47]) {
    it(`soak (seed ${seed}): duplicates, reordering, both schemas, 429/5xx and 4 in flight on two instances converge on the newest version`, async () => {
      const rand = rng(seed);
      seedEndpoint({});
      arm.pollsBeforeDone = 0;
      const versions = ["1", "2", "3", "4", "5", "6"];
      // Deployments take different times, so handlers overlap in every order.
      for (const v of versions) arm.pollsFor.set(depPath(v).toLowerCase(), Math.floor(rand() * 25));
      const queue: { payload: unknown; attempts: number }[] = [];
      for (let i = 0; i < 60; i++) {
        const v = versions[Math.floor(rand() * versions.length)];
        const e = event(v, `evt-${v}-${i}`);
        queue.push({ payload: rand() < 0.3 ? eventGridToCloudEvent(e) : e, attempts: 0 });
      }
      for (const v of versions) queue.push({ payload: event(v), attempts: 0 });
      const instances: EndpointLocks[] = [new Map(), new Map()];
      // The two instances share one endpoint lock, as the blob lease gives them in production
      // (the lease itself is tested against Azurite in lease.test.ts).
      const shared: EndpointLocks = new Map();
      const locker: EndpointLocker = { withLease: (key, work) => serialized(shared, key, () => work({ assertHeld: async () => undefined })) };
      const outcomes: DeployOutcome[] = [];
      let retried = 0;
      let highest = 0;
      const worker = async (w: number) => {
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
          if (rand() < 0.15) arm.inject(rand() < 0.5 ? "GET" : "PUT", /\/onlineEndpoints\/ep-regression$/, { status: rand() < 0.5 ? 429 : 503, headers: { "retry-after": "0" } });
          try {
            outcomes.push(await handleEvent(item.payload, { ...deps(RULES, instances[w % 2], 1), locker }));
            // Never roll back: once a version serves, no acknowledged event leaves an older one serving instead.
            const serving = Object.entries(traffic() ?? {}).filter(([, share]) => share > 0).map(([name]) => Number(name.split("-v").pop()));
            const newest = Math.max(0, ...serving);
            assert.ok(newest >= highest, `seed ${seed}: traffic went back from v${highest} to v${newest}`);
            highest = newest;
          } catch (error) {
            assert.ok(error instanceof TransientDeploymentError, `only transient failures are thrown: ${(error as Error).message}`);
            retried += 1;
            assert.ok(++item.attempts < 30, "a delivery is not retried forever");
            queue.splice(Math.floor(rand() * (queue.length + 1)), 0, item); // Event Grid redelivers later, in any order
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map(worker));
      assert.ok(outcomes.every((o) => o.status !== "failed"), JSON.stringify(outcomes.filter((o) => o.status === "failed")));
      const t = traffic();
      assert.strictEqual(t[dep("6")], 100, `newest serves everything (seed ${seed}, ${retried} retries): ${JSON.stringify(t)}`);
      assert.strictEqual(Object.values(t).reduce((n, x) => n + x, 0), 100);
    });
  }
});
