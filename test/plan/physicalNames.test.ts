/**
 * The plan's mocks (and the real-engine tests' offline provider, which shares the table) honour explicit
 * physical names: a resource group, storage account or workflow named by its name input gets that name in
 * its id, its `name` output and every id built on it; without one, the logical name is the Azure name.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createdState, mockArmId, MOCK_SUBSCRIPTION_ID } from "../../lib/plan/armResponses";

const root = path.resolve(__dirname, "..", "..", "..");
const sub = `/subscriptions/${MOCK_SUBSCRIPTION_ID}`;

describe("plan mocks: explicit physical names", () => {
  it("a resource group's explicit resourceGroupName is its id and name; the logical name only when none is given", () => {
    const inputs = { resourceGroupName: "rg-nwb-aml-events-prod", location: "westeurope" };
    const id = mockArmId("azure-native:resources:ResourceGroup", "rg-nwb-aml-events", inputs);
    assert.strictEqual(id, `${sub}/resourceGroups/rg-nwb-aml-events-prod`);
    assert.strictEqual(createdState("azure-native:resources:ResourceGroup", "rg-nwb-aml-events", id, inputs).name, "rg-nwb-aml-events-prod");
    const auto = mockArmId("azure-native:resources:ResourceGroup", "rg-auto", { location: "westeurope" });
    assert.strictEqual(auto, `${sub}/resourceGroups/rg-auto`);
    assert.strictEqual(createdState("azure-native:resources:ResourceGroup", "rg-auto", auto, {}).name, "rg-auto");
    // An empty name is no name (ARM would refuse it): the logical name stands in.
    assert.strictEqual(mockArmId("azure-native:resources:ResourceGroup", "rg-empty", { resourceGroupName: "" }), `${sub}/resourceGroups/rg-empty`);
  });

  it("accountName, workflowName and the other name inputs are the last segment of the id and the name output", () => {
    const cases: [string, Record<string, string>, string][] = [
      ["azure-native:storage:StorageAccount", { resourceGroupName: "rg-x", accountName: "stnwbprod01" }, `${sub}/resourceGroups/rg-x/providers/Microsoft.Storage/storageAccounts/stnwbprod01`],
      ["azure-native:logic:Workflow", { resourceGroupName: "rg-x", workflowName: "la-alerts-prod" }, `${sub}/resourceGroups/rg-x/providers/Microsoft.Logic/workflows/la-alerts-prod`],
      ["azure-native:web:WebApp", { resourceGroupName: "rg-x", name: "func-deployer-prod" }, `${sub}/resourceGroups/rg-x/providers/Microsoft.Web/sites/func-deployer-prod`],
    ];
    for (const [type, inputs, expected] of cases) {
      const id = mockArmId(type, "logical", inputs);
      assert.strictEqual(id, expected, type);
      assert.strictEqual(createdState(type, "logical", id, inputs).name, expected.split("/").pop(), type);
    }
  });

  it("the offline plan builds every id on a composed resourceGroupName, not the group's logical name", function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-physical-names-"));
    const req = (m: string) => JSON.stringify(path.join(root, "node_modules", ...m.split("/")));
    fs.writeFileSync(path.join(dir, "index.js"), [
      `const pulumi = require(${req("@pulumi/pulumi")});`,
      `const resources = require(${req("@pulumi/azure-native/resources")});`,
      `const storage = require(${req("@pulumi/azure-native/storage")});`,
      `const logic = require(${req("@pulumi/azure-native/logic")});`,
      `const env = "prod";`,
      "const rg = new resources.ResourceGroup(\"rg-nwb-aml-events\", { resourceGroupName: pulumi.interpolate`rg-nwb-aml-events-${env}`, location: \"westeurope\" });",
      `const sa = new storage.StorageAccount("sa", { resourceGroupName: rg.name, accountName: "stnwbamlprod01", kind: "StorageV2", sku: { name: "Standard_LRS" } });`,
      `const wf = new logic.Workflow("wf", { resourceGroupName: rg.name, workflowName: "la-nwb-alerts-prod" });`,
      `exports.ids = { rg: rg.id, sa: sa.id, wf: wf.id, rgName: rg.name };`,
    ].join("\n"));
    const run = spawnSync(process.execPath, [path.join(root, "dist", "lib", "plan", "cli.js"), "--program", dir, "--out", dir], { encoding: "utf8", timeout: 110_000 });
    assert.strictEqual(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const plan = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")) as { resources: { type: string; id?: string }[]; outputs: { ids: Record<string, string> } };
    const rg = `${sub}/resourceGroups/rg-nwb-aml-events-prod`;
    assert.deepStrictEqual(plan.outputs.ids, {
      rg,
      sa: `${rg}/providers/Microsoft.Storage/storageAccounts/stnwbamlprod01`,
      wf: `${rg}/providers/Microsoft.Logic/workflows/la-nwb-alerts-prod`,
      rgName: "rg-nwb-aml-events-prod",
    });
    for (const r of plan.resources.filter((x) => x.id)) assert.ok(!r.id!.includes("/resourceGroups/rg-nwb-aml-events/"), `${r.type} is in the logical-name group: ${r.id}`);
  });
});
