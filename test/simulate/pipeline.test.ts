import * as assert from "assert";
import { AdfHttpRequest, AdfHttpResponse, adfTimespanSeconds, evaluateAdfValue, simulatePipeline } from "../../lib/simulate";

const ok = (body: unknown): AdfHttpResponse => ({ status: 200, body });
const web = (name: string, url: string, extra: Record<string, unknown> = {}) => ({ name, type: "WebActivity", method: "GET", url, ...extra });
const after = (activity: string, ...conditions: string[]) => [{ activity, dependencyConditions: conditions.length ? conditions : ["Succeeded"] }];

describe("simulate: ADF expressions", () => {
  const state = {
    parameters: { monitor: "credit", run: "r-1", n: 3 },
    variables: { status: "Running" },
    activities: { Invoke: { status: "Succeeded", output: { id: "/x/jobs/job-7", properties: { status: "Queued" } } } },
  };
  const cases: [unknown, unknown][] = [
    ["@pipeline().parameters.monitor", "credit"],
    ["@activity('Invoke').output.properties.status", "Queued"],
    ["@last(split(activity('Invoke').output.id, '/'))", "job-7"],
    ["@variables('status')", "Running"],
    ["@concat('job ', pipeline().parameters.run, ' is ', variables('status'))", "job r-1 is Running"],
    ["@or(equals(variables('status'), 'Completed'), equals(variables('status'), 'Running'))", true],
    ["@equals(pipeline().parameters.n, 3)", true],
    ["Run @{pipeline().parameters.run} of @{pipeline().parameters.monitor}", "Run r-1 of credit"],
    [{ value: "@pipeline().parameters.n", type: "Expression" }, 3],
    [{ nested: ["@variables('status')", 1] }, { nested: ["Running", 1] }],
    ["@@literal", "@literal"],
  ];
  for (const [input, expected] of cases) {
    it(`evaluates ${JSON.stringify(input)}`, () => assert.deepStrictEqual(evaluateAdfValue(input, state), expected));
  }
  it("reading an activity that has not run is an error naming it", () => {
    assert.throws(() => evaluateAdfValue("@activity('Later').output", state), /activity 'Later' has not run yet/);
  });
  it("timespans: d.hh:mm:ss and hh:mm:ss; anything else is an error", () => {
    assert.deepStrictEqual([adfTimespanSeconds("7.00:00:00"), adfTimespanSeconds("01:30:05")], [604800, 5405]);
    assert.throws(() => adfTimespanSeconds("90m"), /not d\.hh:mm:ss/);
  });
});

describe("simulate: ADF pipeline semantics", () => {
  it("if-else pattern: a skipped leaf is replaced by its failed parent, so the run fails even though the Failed path ran", async () => {
    const http = async (r: AdfHttpRequest): Promise<AdfHttpResponse> => (r.url.endsWith("/bad") ? { status: 500, body: { error: "boom" } } : ok({}));
    const result = await simulatePipeline(
      {
        activities: [
          web("Try", "https://example.test/bad"),
          { ...web("OnSuccess", "https://example.test/ok"), dependsOn: after("Try") },
          { ...web("Catch", "https://example.test/ok"), dependsOn: after("Try", "Failed") },
        ],
      },
      { http },
    );
    assert.deepStrictEqual(result.activities.map((a) => `${a.name}:${a.status}`), ["Try:Failed", "OnSuccess:Skipped", "Catch:Succeeded"]);
    // Leaves: OnSuccess (skipped → its parent Try, Failed) and Catch → ADF marks the run Failed (if-else pattern), per "Pipeline failure and error handling".
    assert.strictEqual(result.status, "Failed");
    assert.strictEqual(result.error?.target, "Try");
  });

  it("try/catch with only the Failed path: the handled failure does not fail the run", async () => {
    const result = await simulatePipeline(
      { activities: [web("Try", "https://example.test/bad"), { ...web("Catch", "https://example.test/ok"), dependsOn: after("Try", "Failed") }] },
      { http: async (r) => (r.url.endsWith("/bad") ? { status: 503 } : ok({ handled: true })) },
    );
    assert.strictEqual(result.status, "Succeeded");
  });

  it("Completed runs after success or failure; Skipped conditions run only when the dependency was skipped", async () => {
    const result = await simulatePipeline(
      {
        activities: [
          web("A", "https://example.test/bad"),
          { ...web("B", "https://example.test/ok"), dependsOn: after("A") },
          { ...web("C", "https://example.test/ok"), dependsOn: after("B", "Skipped") },
          { ...web("D", "https://example.test/ok"), dependsOn: after("A", "Completed") },
        ],
      },
      { http: async (r) => (r.url.endsWith("/bad") ? { status: 400, body: {} } : ok({})) },
    );
    assert.deepStrictEqual(result.activities.map((a) => `${a.name}:${a.status}`), ["A:Failed", "B:Skipped", "C:Succeeded", "D:Succeeded"]);
  });

  it("Web: a 202 with Location is followed unless turnOffAsync; non-object bodies fail", async () => {
    const http = async (r: AdfHttpRequest): Promise<AdfHttpResponse> =>
      r.url.endsWith("/start") ? { status: 202, headers: { location: "https://example.test/op" }, body: { started: true } } : r.url.endsWith("/op") ? ok({ done: true }) : ok("text");
    const followed = await simulatePipeline({ activities: [web("Start", "https://example.test/start")] }, { http });
    assert.deepStrictEqual(followed.requests.map((r) => r.url), ["https://example.test/start", "https://example.test/op"]);
    assert.strictEqual((followed.activities[0].output as { done?: boolean }).done, true);
    const off = await simulatePipeline({ activities: [web("Start", "https://example.test/start", { turnOffAsync: true })] }, { http });
    assert.deepStrictEqual(off.requests.map((r) => r.url), ["https://example.test/start"]);
    const text = await simulatePipeline({ activities: [web("Text", "https://example.test/text")] }, { http });
    assert.match(text.error?.message ?? "", /not a JSON object/);
  });

  it("retry policy: attempts = 1 + retry, the interval advances the virtual clock", async () => {
    let calls = 0;
    const result = await simulatePipeline(
      { activities: [web("Flaky", "https://example.test/x", { policy: { retry: 2, retryIntervalInSeconds: 45 } })] },
      { http: async () => (++calls < 3 ? { status: 429, body: {} } : ok({ fine: true })) },
    );
    assert.strictEqual(result.status, "Succeeded");
    assert.strictEqual(result.activities[0].attempts, 3);
    assert.strictEqual(result.durationSeconds, 90);
  });

  it("Until is do-until (runs once even when the condition is already true); IfCondition needs a boolean", async () => {
    const result = await simulatePipeline(
      {
        variables: { v: { type: "String", defaultValue: "x" } },
        activities: [
          { name: "Loop", type: "Until", expression: { type: "Expression", value: "@equals(variables('v'), 'x')" }, activities: [{ name: "Set", type: "SetVariable", variableName: "v", value: "x" }] },
          { name: "Check", type: "IfCondition", dependsOn: after("Loop"), expression: { type: "Expression", value: "@variables('v')" }, ifTrueActivities: [] },
        ],
      },
      { http: async () => ok({}) },
    );
    assert.deepStrictEqual(result.activities.map((a) => a.name), ["Set", "Loop", "Check"]);
    assert.strictEqual(result.status, "Failed");
    assert.match(result.error?.message ?? "", /evaluated to "x", not a boolean/);
  });

  it("Fail sets the run's error code and message from expressions", async () => {
    const result = await simulatePipeline(
      { parameters: { job: { type: "String" } }, activities: [{ name: "Stop", type: "Fail", errorCode: "E42", message: "@concat('job ', pipeline().parameters.job, ' failed')" }] },
      { parameters: { job: "j-9" }, http: async () => ok({}) },
    );
    assert.deepStrictEqual(result.error, { errorCode: "E42", message: "job j-9 failed", failureType: "UserError", target: "Stop" });
  });

  it("rejects what ADF would not publish or start: missing parameter, undeclared variable, unknown type, dependency cycle", async () => {
    const http = async () => ok({});
    await assert.rejects(simulatePipeline({ parameters: { p: { type: "String" } }, activities: [] }, { http }), /missing value for pipeline parameter "p"/);
    await assert.rejects(simulatePipeline({ activities: [{ name: "S", type: "SetVariable", variableName: "nope", value: "1" }] }, { http }), /variable "nope" is not declared/);
    await assert.rejects(simulatePipeline({ activities: [{ name: "C", type: "Copy" }] }, { http }), /type "Copy" is not simulated/);
    await assert.rejects(
      simulatePipeline({ activities: [{ ...web("A", "https://e.test"), dependsOn: after("B") }, { ...web("B", "https://e.test"), dependsOn: after("A") }] }, { http }),
      /depend on unknown activities or on each other/,
    );
  });

  it("an Until whose condition never holds stops at maxIterations with a clear error", async () => {
    await assert.rejects(
      simulatePipeline(
        { activities: [{ name: "Forever", type: "Until", timeout: "7.00:00:00", expression: { type: "Expression", value: "@equals(1, 2)" }, activities: [] }] },
        { http: async () => ok({}), maxIterations: 50 },
      ),
      /more than 50 iterations/,
    );
  });
});
