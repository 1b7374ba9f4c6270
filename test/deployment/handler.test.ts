import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import * as assert from "assert";
import { AML_API_VERSION, armPaths, previewDeployment } from "../../lib/deployment/arm";
import { DeployRule, modelVersionId } from "../../lib/deployment/decision";
import {
  classifyError,
  DeployerConfig,
  handleEvent,
  LogLine,
  loadDeployerConfig,
  TransientDeploymentError,
} from "../../lib/deployment/handler/deployer";
import { documentedSampleEvents, EventGridEvent, eventGridToCloudEvent, SAMPLE_WORKSPACE_ID, sampleEvents } from "../../lib/events";
import { FakeArm, makeLocalCertificate } from "./armServer";

const SUB = "00000000-0000-0000-0000-000000000000";
const RULES: DeployRule[] = [
  { models: ["sklearn_regression_model"], tags: { type: ["Regression"] }, endpointName: "ep-regression", instanceType: "Standard_F4s_v2", instanceCount: 2 },
];
const ENDPOINT = armPaths.endpoint(SAMPLE_WORKSPACE_ID, "ep-regression");
const DEPLOYMENTS = armPaths.deployments(SAMPLE_WORKSPACE_ID, "ep-regression");
const V20 = armPaths.deployment(SAMPLE_WORKSPACE_ID, "ep-regression", "sklearn-regression-model-v20");
const V21 = armPaths.deployment(SAMPLE_WORKSPACE_ID, "ep-regression", "sklearn-regression-model-v21");

function registered(events: EventGridEvent[] = sampleEvents()): EventGridEvent {
  const e = events.find((x) => x.eventType.endsWith("ModelRegistered"));
  assert.ok(e);
  return e;
}

function withVersion(version: string): EventGridEvent {
  const e = registered();
  return { ...e, id: `evt-${version}`, subject: `models/sklearn_regression_model:${version}`, data: { ...(e.data as object), modelVersion: version } };
}

describe("deployment handler against a local ARM peer", function () {
  const tls = makeLocalCertificate();
  let arm: FakeArm;
  let url: string;
  let logs: LogLine[];

  function deps(rules: DeployRule[] = RULES, extra: Partial<DeployerConfig> = {}) {
    const client = new AzureMachineLearningWorkspaces(
      { getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3_600_000 }) },
      SUB,
      {
        endpoint: url,
        $host: url,
        tlsOptions: { ca: tls.cert },
        retryOptions: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
      },
    );
    const config: DeployerConfig = { workspaceId: SAMPLE_WORKSPACE_ID, rules, location: "westeurope", pollIntervalMs: 1, ...extra };
    return { client, config, log: (line: LogLine) => logs.push(line) };
  }

  beforeEach(async () => {
    arm = new FakeArm(tls);
    url = await arm.start();
    logs = [];
  });
  afterEach(async () => {
    await arm.stop();
  });

  it("creates the endpoint, the deployment and the traffic for a matching real (camelCase) event", async () => {
    const outcome = await handleEvent(registered(), deps());
    assert.deepStrictEqual(outcome, {
      status: "deployed",
      endpointName: "ep-regression",
      deploymentName: "sklearn-regression-model-v20",
      endpointCreated: true,
      deploymentCreated: true,
      traffic: { "sklearn-regression-model-v20": 100 },
    });
    assert.deepStrictEqual(arm.calls(), [
      `GET ${ENDPOINT}`,
      `PUT ${ENDPOINT}`,
      `GET ${ENDPOINT}`, // final GET of the endpoint LRO
      `GET ${DEPLOYMENTS}`,
      `PUT ${V20}`,
      `GET ${V20}`, // final GET of the deployment LRO
      `GET ${V20}`, // settled?
      `GET ${ENDPOINT}`, // current traffic, under the lease, settled
      `GET ${DEPLOYMENTS}`, // a newer version may have succeeded while this one deployed
      `PUT ${ENDPOINT}`,
      `GET ${ENDPOINT}`,
      `GET ${ENDPOINT}`, // read back until the endpoint shows the traffic written
    ]);
    assert.strictEqual(arm.polls(), 6, "each of the three operations polled Azure-AsyncOperation twice (InProgress, Succeeded)");
    for (const r of arm.requests) {
      assert.strictEqual(r.apiVersion, AML_API_VERSION, `${r.method} ${r.path}`);
      assert.strictEqual(r.authorization, "Bearer test-token");
    }
    const puts = arm.requests.filter((r) => r.method === "PUT");
    const ep = puts[0].body as Record<string, unknown>;
    assert.deepStrictEqual(ep.identity, { type: "SystemAssigned" });
    assert.strictEqual(ep.location, "westeurope");
    assert.strictEqual((ep.properties as Record<string, unknown>).authMode, "Key");
    assert.strictEqual((ep.properties as Record<string, unknown>).traffic, undefined, "no traffic before the deployment exists");
    const dep = puts[1].body as { sku: unknown; properties: Record<string, unknown>; location: string };
    assert.deepStrictEqual(dep.sku, { name: "Default", capacity: 2 });
    assert.strictEqual(dep.location, "westeurope");
    assert.strictEqual(dep.properties.endpointComputeType, "Managed");
    assert.strictEqual(dep.properties.instanceType, "Standard_F4s_v2");
    assert.strictEqual(dep.properties.model, `${SAMPLE_WORKSPACE_ID}/models/sklearn_regression_model/versions/20`);
    const traffic = puts[2].body as { properties: Record<string, unknown> };
    assert.deepStrictEqual(traffic.properties.traffic, { "sklearn-regression-model-v20": 100 });
    assert.strictEqual(traffic.properties.authMode, "Key", "the traffic update keeps the endpoint's other settings");
    // Structured log lines carry the event id.
    assert.ok(logs.every((l) => l.eventId === registered().id && typeof l.msg === "string"));
    assert.doesNotThrow(() => logs.map((l) => JSON.stringify(l)));
  });

  it("makes exactly the requests previewDeployment lists (conditional ones included on a first deployment)", async () => {
    await handleEvent(registered(), deps());
    const preview = previewDeployment(registered(), { workspaceId: SAMPLE_WORKSPACE_ID, rules: RULES, location: "westeurope", armEndpoint: url });
    const planned = preview.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);
    const made = arm.calls().filter((c, i, all) => !(c.startsWith("GET") && all[i - 1]?.startsWith("PUT"))); // drop LRO final GETs
    assert.deepStrictEqual(made, planned);
  });

  it("reads documented (PascalCase, numeric version) payloads the same way", async () => {
    const outcome = await handleEvent(registered(documentedSampleEvents()), deps());
    assert.strictEqual(outcome.status, "deployed");
    const dep = arm.requests.find((r) => r.method === "PUT" && r.path === V20);
    assert.ok(dep, "deployment sklearn-regression-model-v20 was PUT");
    assert.strictEqual((dep.body as { properties: { model: string } }).properties.model, modelVersionId(SAMPLE_WORKSPACE_ID, "sklearn_regression_model", "20"));
  });

  it("accepts a CloudEvents 1.0 delivery (validated by the Event Grid SDK) like the Event Grid schema", async () => {
    const outcome = await handleEvent(eventGridToCloudEvent(registered()), deps());
    assert.strictEqual(outcome.status, "deployed");
    assert.ok(arm.requests.some((r) => r.method === "PUT" && r.path === V20), "deployment sklearn-regression-model-v20 was PUT");
  });

  it("acknowledges an envelope the Event Grid SDK rejects (no eventTime) without calling Azure", async () => {
    const { eventTime: _dropped, ...noTime } = registered();
    void _dropped;
    const outcome = await handleEvent(noTime, deps());
    assert.strictEqual(outcome.status, "ignored");
    assert.match((outcome as { reason: string }).reason, /^malformed event: .*eventTime/);
    assert.deepStrictEqual(arm.requests, []);
  });

  it("ignores non-matching tags, foreign topics, other event types and malformed events without calling Azure", async () => {
    const cases: [unknown, RegExp][] = [
      [registered(), /no rule matches/],
      [{ ...registered(), topic: SAMPLE_WORKSPACE_ID.replace("mlw-platform", "mlw-other") }, /foreign topic/],
      [sampleEvents().find((e) => e.eventType.endsWith("RunCompleted")), /is not Microsoft\.MachineLearningServices\.ModelRegistered/],
      [{ ...registered(), data: { modelTags: { type: "regression" } } }, /malformed event: .*modelName/],
      [{ ...registered(), data: "not an object" }, /malformed event/],
      ["{not json", /not an event/],
      [null, /not an event/],
    ];
    const noMatch: DeployRule[] = [{ models: ["sklearn_regression_model"], tags: { type: ["classification"] }, endpointName: "ep-classify" }];
    for (const [i, [event, reason]] of cases.entries()) {
      const outcome = await handleEvent(event, deps(i === 0 ? noMatch : RULES));
      assert.strictEqual(outcome.status, "ignored", `case ${i}`);
      assert.match((outcome as { reason: string }).reason, reason, `case ${i}`);
    }
    assert.deepStrictEqual(arm.requests, [], "nothing reached ARM");
    assert.strictEqual(logs.length, cases.length);
    assert.ok(logs.every((l) => l.level === "info" && l.msg === "event ignored"));
  });

  it("does nothing on a duplicate delivery", async () => {
    await handleEvent(registered(), deps());
    arm.clearRequests();
    const outcome = await handleEvent(registered(), deps());
    assert.deepStrictEqual(outcome, { status: "up-to-date", endpointName: "ep-regression", deploymentName: "sklearn-regression-model-v20" });
    assert.deepStrictEqual(arm.calls(), [`GET ${ENDPOINT}`, `GET ${DEPLOYMENTS}`, `GET ${ENDPOINT}`]);
  });

  it("never rolls back when an older version arrives after a newer one", async () => {
    assert.strictEqual((await handleEvent(withVersion("21"), deps())).status, "deployed");
    arm.clearRequests();
    const outcome = await handleEvent(withVersion("20"), deps());
    assert.strictEqual(outcome.status, "ignored");
    assert.match((outcome as { reason: string }).reason, /newer version of sklearn_regression_model \(21\) is already deployed as sklearn-regression-model-v21/);
    assert.deepStrictEqual(arm.calls(), [`GET ${ENDPOINT}`, `GET ${DEPLOYMENTS}`]);
    assert.deepStrictEqual(arm.endpoints.get(ENDPOINT.toLowerCase())?.properties.traffic, { "sklearn-regression-model-v21": 100 });
  });

  it("moves traffic forward when a newer version arrives, and splits it for a canary rule", async () => {
    await handleEvent(withVersion("20"), deps());
    const canary: DeployRule[] = [{ ...RULES[0], trafficPercent: 20 }];
    const outcome = await handleEvent(withVersion("21"), deps(canary));
    assert.strictEqual(outcome.status, "deployed");
    assert.deepStrictEqual(arm.endpoints.get(ENDPOINT.toLowerCase())?.properties.traffic, {
      "sklearn-regression-model-v20": 80,
      "sklearn-regression-model-v21": 20,
    });
    assert.ok(arm.deployments.has(V21.toLowerCase()));
  });

  it("rides out a 429 with Retry-After (the SDK retries) and then succeeds", async () => {
    arm.inject("GET", /\/onlineEndpoints\/ep-regression$/, { status: 429, headers: { "retry-after": "0" }, body: { error: { code: "TooManyRequests", message: "slow down" } } });
    const outcome = await handleEvent(registered(), deps());
    assert.strictEqual(outcome.status, "deployed");
    assert.deepStrictEqual(arm.calls().slice(0, 3), [`GET ${ENDPOINT}`, `GET ${ENDPOINT}`, `PUT ${ENDPOINT}`]);
  });

  it("fails the invocation on a persistent 500 so Event Grid retries", async () => {
    const err = { status: 500, body: { error: { code: "InternalServerError", message: "boom" } } };
    arm.inject("PUT", /\/deployments\/sklearn-regression-model-v20$/, err, err, err);
    await assert.rejects(handleEvent(registered(), deps()), (e: unknown) => {
      assert.ok(e instanceof TransientDeploymentError);
      assert.strictEqual(e.statusCode, 500);
      return true;
    });
    assert.strictEqual(arm.requests.filter((r) => r.method === "PUT" && r.path === V20).length, 3, "first try + 2 SDK retries");
    assert.ok(logs.some((l) => l.level === "error" && /Event Grid retries/.test(l.msg)));
  });

  it("waits (bounded) while the endpoint is still being updated by someone else, then fails the invocation so the event is retried", async () => {
    arm.seed("endpoint", ENDPOINT, { location: "westeurope", properties: { authMode: "Key", provisioningState: "Updating", traffic: {} } });
    await assert.rejects(handleEvent(registered(), deps(RULES, { settleTimeoutMs: 50, pollIntervalMs: 10 })), /endpoint ep-regression is still Updating; retry when it settles/);
    assert.ok(arm.calls().filter((c) => c === `GET ${ENDPOINT}`).length >= 2, "it read the endpoint again while waiting");
    assert.ok(!arm.requests.some((r) => r.method === "PUT"), "nothing written to an endpoint that had not settled");
  });

  it("acknowledges a permanent failure: a deployment operation that ends Failed", async () => {
    arm.failDeploymentsWith = "Model sklearn_regression_model:20 is not an MLflow model; no-code deployment needs an MLflow model.";
    const outcome = await handleEvent(registered(), deps());
    assert.strictEqual(outcome.status, "failed");
    assert.match((outcome as { reason: string }).reason, /long-running operation has failed.*MLflow/);
    assert.ok(logs.some((l) => l.level === "error" && /permanent failure/.test(l.msg)));
    assert.ok(!arm.requests.some((r) => r.method === "PUT" && (r.body as { properties?: { traffic?: unknown } }).properties?.traffic), "no traffic change");
  });

  it("acknowledges a permanent failure: 400 Bad Request on the deployment", async () => {
    arm.inject("PUT", /\/deployments\//, { status: 400, body: { error: { code: "BadArgument", message: "InstanceType Standard_F4s_v2 is not supported" } } });
    const outcome = await handleEvent(registered(), deps());
    assert.strictEqual(outcome.status, "failed");
    assert.match((outcome as { reason: string }).reason, /not supported/);
  });

  it("reads the workspace's location when none is configured", async () => {
    arm.workspaceLocation = "northeurope";
    await handleEvent(registered(), deps(RULES, { location: undefined }));
    assert.ok(arm.calls().includes(`GET ${SAMPLE_WORKSPACE_ID}`));
    assert.strictEqual((arm.requests.find((r) => r.method === "PUT")?.body as { location: string }).location, "northeurope");
  });

  it("refuses a deployment name already serving another model (sanitizing collision)", async () => {
    arm.seed("endpoint", ENDPOINT, { location: "westeurope", properties: { authMode: "Key", provisioningState: "Succeeded", traffic: {} } });
    arm.seed("deployment", V20, {
      location: "westeurope",
      properties: { model: `${SAMPLE_WORKSPACE_ID}/models/sklearn-regression-model/versions/20`, provisioningState: "Succeeded" },
    });
    const outcome = await handleEvent(registered(), deps());
    assert.strictEqual(outcome.status, "failed");
    assert.match((outcome as { reason: string }).reason, /collide/);
  });
});

describe("deployment handler configuration and error classes", () => {
  it("loads app settings and reports every problem at once", () => {
    const config = loadDeployerConfig({
      AML_WORKSPACE_ID: SAMPLE_WORKSPACE_ID,
      DEPLOY_RULES: JSON.stringify(RULES),
      AML_WORKSPACE_LOCATION: "westeurope",
    });
    assert.deepStrictEqual(config, { workspaceId: SAMPLE_WORKSPACE_ID, rules: RULES, location: "westeurope" });
    assert.throws(
      () => loadDeployerConfig({ AML_WORKSPACE_ID: "/subscriptions/x", DEPLOY_RULES: '[{"tags":{},"endpointName":"x"}]' }),
      (e: Error) =>
        /AML_WORKSPACE_ID must be a workspace ARM id/.test(e.message) && /rules\[0\]\.tags/.test(e.message) && /rules\[0\]\.endpointName "x"/.test(e.message),
    );
    assert.throws(() => loadDeployerConfig({ AML_WORKSPACE_ID: SAMPLE_WORKSPACE_ID, DEPLOY_RULES: "{" }), /DEPLOY_RULES is not valid JSON/);
  });

  it("classifies errors: throttling, 5xx, conflicts and network are transient; other 4xx and failed operations are permanent", () => {
    const rest = (statusCode?: number) => Object.assign(new Error("x"), { name: "RestError", ...(statusCode ? { statusCode } : {}) });
    const table: [unknown, boolean][] = [
      [rest(429), true],
      [rest(500), true],
      [rest(503), true],
      [rest(409), true],
      [rest(403), true],
      [rest(), true],
      [rest(400), false],
      [rest(404), false],
      [new Error("The long-running operation has failed. DeploymentFailed. x"), false],
      [new TransientDeploymentError("busy"), true],
    ];
    for (const [error, transient] of table) assert.strictEqual(classifyError(error).transient, transient, JSON.stringify(error));
  });
});
