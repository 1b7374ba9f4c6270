import * as assert from "assert";
import { AmlEventType, documentedSampleEvents, parseAmlEvent, sampleCloudEvents, sampleEvents, formatSubject, SAMPLE_WORKSPACE_ID } from "../lib/events";

describe("events: parseAmlEvent", () => {
  it("normalizes documented (PascalCase, numeric version) and real (camelCase, string version) payloads alike", () => {
    const documented = documentedSampleEvents().map(parseAmlEvent);
    const real = sampleEvents().map(parseAmlEvent);
    assert.deepStrictEqual(documented, real);
    const model = real.find((e) => e.eventType === AmlEventType.ModelRegistered);
    assert.ok(model && model.eventType === AmlEventType.ModelRegistered);
    assert.strictEqual(model.data.modelVersion, "20");
    assert.deepStrictEqual(model.data.modelTags, { area: "diabetes", type: "regression" });
  });

  it("parses CloudEvents 1.0 envelopes to the same events", () => {
    assert.deepStrictEqual(sampleCloudEvents().map(parseAmlEvent), sampleEvents().map(parseAmlEvent));
  });

  it("splits ModelDeployed modelIds and reads drift coefficients", () => {
    const [, deployed, , drift, status] = sampleEvents().map(parseAmlEvent);
    assert.ok(deployed.eventType === AmlEventType.ModelDeployed);
    assert.deepStrictEqual(deployed.data.modelIds, ["sklearn_regression_model:1", "sklearn_regression_model:2"]);
    assert.ok(drift.eventType === AmlEventType.DatasetDriftDetected);
    assert.strictEqual(drift.data.driftCoefficient, 0.8350349068479208);
    assert.strictEqual(drift.subject.startsWith("datadrift/"), true);
    assert.ok(status.eventType === AmlEventType.RunStatusChanged);
    assert.strictEqual(status.data.runStatus, "failed");
  });

  it("rejects non-AML input with a message naming the field", () => {
    assert.throws(() => parseAmlEvent({ eventType: "Microsoft.Storage.BlobCreated", id: "1", topic: "t", subject: "s", data: {} }), /eventType "Microsoft.Storage.BlobCreated" is not an Azure Machine Learning event/);
    assert.throws(() => parseAmlEvent("hello"), /must be a JSON object/);
    assert.throws(
      () => parseAmlEvent({ eventType: AmlEventType.ModelRegistered, id: "1", topic: SAMPLE_WORKSPACE_ID, subject: "models/a:1", data: { modelVersion: "1" } }),
      /data.modelName must be a string, got nothing/,
    );
  });

  it("formats subjects from the catalog", () => {
    assert.strictEqual(formatSubject(AmlEventType.ModelRegistered, { modelName: "churn", modelVersion: "7" }), "models/churn:7");
    assert.throws(() => formatSubject(AmlEventType.ModelRegistered, { modelName: "churn" }), /missing value for \{modelVersion\}/);
  });
});
