/** delivery-dead-letter-required at level `remediate`: the stack's one dead-letter container, or nothing. */
import * as assert from "assert";
import { analyzeWithPack, PolicyResourceInput, UNKNOWN_VALUE } from "../../policy/api";
import { hubSubscription, roleAssignment, STORAGE, subscription } from "./fixtures";

const NAME = "delivery-dead-letter-required";
const REMEDIATE = { [NAME]: "remediate" };
const container = (name: string) => `${STORAGE}/blobServices/default/containers/${name}`;
const grant = (name: string, scope = container("deadletter")) => roleAssignment(`${name}-grant`, "StorageBlobDataContributor", scope);
const bare = (name: string, props: Record<string, unknown> = {}): PolicyResourceInput => subscription(name, { deadLetterWithResourceIdentity: undefined, ...props });
const expected = (blobContainerName: string, identity: object = { type: "SystemAssigned" }) => ({
  identity,
  deadLetterDestination: { endpointType: "StorageBlob", resourceId: STORAGE, blobContainerName },
});

describe("delivery-dead-letter-required remediation", () => {
  it("is off unless configured: the mandatory violation stands and nothing changes", async () => {
    const result = await analyzeWithPack([grant("dl"), bare("run-failed")]);
    assert.deepStrictEqual(result.remediations, []);
    assert.deepStrictEqual(result.violations.filter((v) => v.policyName === NAME).map((v) => v.enforcementLevel), ["mandatory"]);
  });

  it("adds deadLetterWithResourceIdentity on the stack's one granted container, and validation then passes", async () => {
    const result = await analyzeWithPack([grant("dl"), bare("run-failed"), bare("model-registered")], REMEDIATE);
    assert.deepStrictEqual(result.remediations.map((r) => `${r.policyName} ${r.resourceName}`), [`${NAME} run-failed`, `${NAME} model-registered`]);
    for (const r of result.remediations) assert.deepStrictEqual(r.properties.deadLetterWithResourceIdentity, expected("deadletter"));
    assert.deepStrictEqual(result.remediations[0].properties.destination, bare("x").props.destination, "nothing else changes");
    assert.ok(!result.violations.some((v) => v.policyName === NAME));
  });

  it("reuses the subscription's user-assigned delivery identity", async () => {
    const uami = { type: "UserAssigned", userAssignedIdentity: "/subscriptions/s/resourceGroups/rg-ml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-events" };
    const hub = hubSubscription("stream", { deadLetterWithResourceIdentity: undefined });
    (hub.props.deliveryWithResourceIdentity as { identity: object }).identity = uami;
    const result = await analyzeWithPack([grant("dl"), hub], REMEDIATE);
    assert.deepStrictEqual(result.remediations[0].properties.deadLetterWithResourceIdentity, expected("deadletter", uami));
  });

  it("changes nothing with no dead-letter container (the violation is mandatory at level remediate)", async () => {
    const result = await analyzeWithPack([bare("run-failed")], REMEDIATE);
    assert.deepStrictEqual(result.remediations, []);
    assert.deepStrictEqual(result.violations.filter((v) => v.policyName === NAME).map((v) => v.enforcementLevel), ["mandatory"]);
  });

  it("changes nothing with several dead-letter containers: it can't choose", async () => {
    const result = await analyzeWithPack([grant("a", container("deadletter-a")), grant("b", container("deadletter-b")), bare("run-failed")], REMEDIATE);
    assert.deepStrictEqual(result.remediations, []);
    assert.strictEqual(result.violations.filter((v) => v.policyName === NAME).length, 1);
  });

  it("counts only Blob Data Contributor grants on a container, known before the subscription registers", async () => {
    const queue = roleAssignment("queue", "StorageQueueDataMessageSender", container("deadletter"));
    const account = grant("account", STORAGE);
    const unknownScope = grant("later", UNKNOWN_VALUE);
    for (const resources of [[queue, bare("s")], [account, bare("s")], [unknownScope, bare("s")], [bare("s"), grant("after")]]) {
      assert.deepStrictEqual((await analyzeWithPack(resources, REMEDIATE)).remediations, [], resources.map((r) => r.name).join(", "));
    }
  });

  it("leaves exempt subscriptions and those already dead-lettering alone; runs don't share what they saw", async () => {
    const exempt = { "delivery-dead-letter-required": { enforcementLevel: "remediate", exemptSubscriptions: ["telemetry"] } };
    const result = await analyzeWithPack([grant("dl"), bare("telemetry"), subscription("ok")], exempt);
    assert.deepStrictEqual(result.remediations, []);
    // A label on the subscription itself is no opt-out: the stack can't vouch for itself.
    const labelled = await analyzeWithPack([grant("dl"), bare("telemetry", { labels: ["no-dead-letter"] })], REMEDIATE);
    assert.deepStrictEqual(labelled.remediations.map((r) => r.resourceName), ["telemetry"]);
    assert.deepStrictEqual((await analyzeWithPack([bare("next-run")], REMEDIATE)).remediations, [], "the previous run's container is forgotten");
  });
});
