/**
 * The offline provider plugins and the CLI helper on their own (no CLI needed): the answers the
 * engine tests rely on, and the errors for what they cannot answer.
 */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AzureMocks } from "../../lib/plan/mocks";
import { requireCli } from "./cli";
import { azureNative } from "./providers/azureNative";
import { random } from "./providers/random";

const SECRET = "4dabf18193072939515e22adb298388d";
const urn = (type: string, name: string): string => `urn:pulumi:dev::proj::aml-events:workspace:WorkspaceEvents$${type}::${name}`;

describe("offline azure-native provider plugin", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-arm-"));
    process.env.AML_EVENTS_FAKE_ARM_STATE = path.join(dir, "arm.json");
  });
  afterEach(() => {
    delete process.env.AML_EVENTS_FAKE_ARM_STATE;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates with the ARM id and output-only properties the offline plan's mocks give, secrets kept marked", async () => {
    const inputs = { resourceGroupName: "rg-ml", accountName: "dlmlprod1234", kind: "StorageV2", tags: { [SECRET]: "1b47061264138c4ac30d75fd1eb44270", value: { team: "ml" } } };
    const created = await azureNative.create!(urn("azure-native:storage:StorageAccount", "ml-prod-deadletter"), inputs);
    const mocked = new AzureMocks().newResource({ type: "azure-native:storage:StorageAccount", name: "ml-prod-deadletter", inputs: { ...inputs, tags: { team: "ml" } }, custom: true, provider: "", id: "" });
    assert.strictEqual(created.id, mocked.id);
    assert.strictEqual(created.id, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/dlmlprod1234");
    assert.deepStrictEqual(created.outs.primaryEndpoints, mocked.state.primaryEndpoints);
    assert.strictEqual((created.outs.tags as Record<string, unknown>)[SECRET], "1b47061264138c4ac30d75fd1eb44270");
  });

  it("diffs only inputs: Azure's outputs are no change, a new name is a replacement", async () => {
    const u = urn("azure-native:storage:StorageAccount", "sa");
    const inputs = { resourceGroupName: "rg-ml", accountName: "saone", kind: "StorageV2" };
    const { id, outs } = await azureNative.create!(u, inputs);
    assert.deepStrictEqual(await azureNative.diff!(id, u, outs, inputs), { changes: false, replaces: [], deleteBeforeReplace: false });
    const renamed = await azureNative.diff!(id, u, outs, { ...inputs, accountName: "satwo", kind: "BlobStorage" });
    assert.deepStrictEqual([renamed.changes, renamed.replaces], [true, ["accountName"]]);
  });

  it("answers the callback-URL invoke and refuses an unknown invoke naming its token and the fix", async () => {
    const url = await azureNative.invoke!("azure-native:logic:listWorkflowTriggerCallbackUrl", { workflowName: "wf", triggerName: "manual", resourceGroupName: "rg" });
    assert.match(String(url.outputs.value), /\/triggers\/manual\/paths\/invoke\?.*&sig=REDACTED$/);
    await assert.rejects(azureNative.invoke!("azure-native:web:listWebAppPublishingCredentials", {}),
      /no answer for invoke 'azure-native:web:listWebAppPublishingCredentials'; add it to invokeResult in lib\/plan\/armResponses\.ts/);
  });

  it("refuses to delete what a management lock covers (ScopeLocked), and deletes once the lock is gone", async () => {
    const topic = await azureNative.create!(urn("azure-native:eventgrid:SystemTopic", "t"), { resourceGroupName: "rg", systemTopicName: "t" });
    const sub = await azureNative.create!(urn("azure-native:eventgrid:SystemTopicEventSubscription", "s"), { resourceGroupName: "rg", systemTopicName: "t", eventSubscriptionName: "s" });
    const lockUrn = urn("azure-native:authorization:ManagementLockByScope", "l");
    const lock = await azureNative.create!(lockUrn, { scope: topic.id, lockName: "l", level: "CanNotDelete" });
    await assert.rejects(azureNative.delete!(sub.id, urn("azure-native:eventgrid:SystemTopicEventSubscription", "s"), sub.outs), /^Error: ScopeLocked: The scope '.*\/eventSubscriptions\/s' cannot perform delete operation because following scope\(s\) are locked: '.*\/systemTopics\/t'/);
    await azureNative.delete!(lock.id, lockUrn, lock.outs);
    await azureNative.delete!(sub.id, urn("azure-native:eventgrid:SystemTopicEventSubscription", "s"), sub.outs);
    await azureNative.delete!(topic.id, urn("azure-native:eventgrid:SystemTopic", "t"), topic.outs);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(process.env.AML_EVENTS_FAKE_ARM_STATE!, "utf8")).resources, {});
  });

  it("a generic resource gets the id ARM builds from its four inputs, and goes with its parent (a factory's managed VNet, kept on delete)", async () => {
    const factory = await azureNative.create!(urn("azure-native:datafactory:Factory", "adf"), { resourceGroupName: "rg", factoryName: "adf-ml" });
    const vnetInputs = { resourceGroupName: "rg", resourceProviderNamespace: "Microsoft.DataFactory", parentResourcePath: "factories/adf-ml", resourceType: "managedVirtualNetworks", resourceName: "default" };
    const vnet = await azureNative.create!(urn("azure-native:resources:Resource", "adf-mvnet"), vnetInputs);
    assert.strictEqual(vnet.id, `${factory.id}/managedVirtualNetworks/default`);
    const other = await azureNative.create!(urn("azure-native:datafactory:Factory", "adf2"), { resourceGroupName: "rg", factoryName: "adf-ml2" });
    await azureNative.delete!(factory.id, urn("azure-native:datafactory:Factory", "adf"), factory.outs);
    assert.deepStrictEqual(Object.keys(JSON.parse(fs.readFileSync(process.env.AML_EVENTS_FAKE_ARM_STATE!, "utf8")).resources), [other.id], "a sibling whose name starts alike stays");
  });
});

describe("offline random provider plugin", () => {
  const stringUrn = "urn:pulumi:dev::proj::random:index/randomString:RandomString::suffix";

  it("derives RandomString, RandomId and RandomPet from URN and inputs, honouring the character classes", async () => {
    const a = await random.create!(stringUrn, { length: 8, special: false, upper: false });
    const b = await random.create!(stringUrn, { length: 8, special: false, upper: false });
    assert.deepStrictEqual(a, b);
    assert.match(String(a.outs.result), /^[a-z0-9]{8}$/);
    const other = await random.create!(stringUrn.replace("suffix", "other"), { length: 8, special: false, upper: false });
    assert.notStrictEqual(other.outs.result, a.outs.result);
    const id = await random.create!("urn:pulumi:dev::proj::random:index/randomId:RandomId::rid", { byteLength: 4, prefix: "x-" });
    assert.match(String(id.outs.hex), /^x-[0-9a-f]{8}$/);
    const pet = await random.create!("urn:pulumi:dev::proj::random:index/randomPet:RandomPet::pet", { length: 2 });
    assert.match(pet.id, /^[a-z]+-[a-z]+$/);
  });

  it("refuses a random type it does not implement, naming it", async () => {
    await assert.rejects(random.create!("urn:pulumi:dev::proj::random:index/randomUuid:RandomUuid::u", {}),
      /does not implement 'random:index\/randomUuid:RandomUuid'; add it to test\/engine\/providers\/random\.ts/);
  });
});

describe("real-engine CLI helper", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ["CI", "AML_EVENTS_PULUMI_BIN", "AML_EVENTS_CACHE"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("fails under CI=true when the CLI is missing, naming the script that builds it", () => {
    process.env.CI = "true";
    process.env.AML_EVENTS_PULUMI_BIN = path.join(os.tmpdir(), "no-such-pulumi");
    process.env.AML_EVENTS_CACHE = path.join(os.tmpdir(), "no-such-cache");
    assert.throws(() => requireCli({ skip: () => assert.fail("must not skip under CI") } as unknown as Mocha.Context),
      /Pulumi CLI not found; build it with `bash scripts\/pulumi-cli\.sh`.*CI must provide it/);
  });
});
