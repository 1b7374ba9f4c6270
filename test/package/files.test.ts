import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { dependencyProblems, PackageManifest, packageProblems, PROMISED_FILES } from "./manifest";

const root = path.resolve(__dirname, "..", "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageManifest & { files: string[] };

/** The file list `npm pack` would publish, without running lifecycle scripts (`npm test` has built already). */
function packedFiles(): string[] {
  const run = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  assert.strictEqual(run.status, 0, run.stderr);
  const [report] = JSON.parse(run.stdout) as { files: { path: string }[] }[];
  return report.files.map((f) => f.path);
}

describe("npm package contents (npm pack --dry-run --json)", function () {
  this.timeout(120_000);
  let files: string[] = [];
  before(() => {
    files = packedFiles();
  });

  it("ships everything package.json points at and the README promises, and nothing else", () => {
    assert.deepStrictEqual(packageProblems(manifest, files), []);
    for (const file of PROMISED_FILES) assert.ok(files.includes(file), file);
  });

  it("the `aml-events` bin is a packed node script", () => {
    assert.deepStrictEqual(Object.keys(manifest.bin ?? {}), ["aml-events"]);
    const bin = manifest.bin!["aml-events"];
    assert.ok(files.includes(bin), `${bin} is not packed`);
    assert.match(fs.readFileSync(path.join(root, bin), "utf8"), /^#!\/usr\/bin\/env node\n/);
  });

  it("the policy folder is a runnable pack: its package.json main is a packed, compiled PolicyPack", () => {
    const policyManifest = JSON.parse(fs.readFileSync(path.join(root, "policy", "package.json"), "utf8")) as { main: string };
    const main = path.posix.normalize(path.posix.join("policy", policyManifest.main));
    assert.strictEqual(main, "dist/policy/index.js");
    assert.ok(files.includes(main));
    assert.match(fs.readFileSync(path.join(root, main), "utf8"), /new policy_1\.PolicyPack\(/);
    assert.match(fs.readFileSync(path.join(root, "policy", "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
  });

  it("compiled policies ship with the pack (every policies/*.ts has its .js)", () => {
    for (const source of fs.readdirSync(path.join(root, "policy", "policies")).filter((f) => f.endsWith(".ts"))) {
      assert.ok(files.includes(`dist/policy/policies/${source.replace(/\.ts$/, ".js")}`), source);
    }
  });

  it("depends like a Pulumi component library: SDKs as peers with tested floors, runtime libraries with ranges", () => {
    assert.deepStrictEqual(dependencyProblems(manifest), []);
    assert.strictEqual(manifest.dependencies?.["@pulumi/policy"]?.startsWith("^"), true);
  });

  it("names what is wrong when a listing misses the policy pack's package.json or ships sources", () => {
    const broken = files.filter((f) => f !== "policy/package.json").concat(["test/setup.ts", "lib/deployment/handler/index.ts", "dist/lib/index.js.map"]);
    const problems = packageProblems(manifest, broken);
    assert.deepStrictEqual(problems, [
      `"policy/package.json" is promised by the README but not packed; add it to "files" in package.json.`,
      `"test/setup.ts" is packed but must not ship (matches /^(test|bench|examples|scripts|docs|tools)\\//); narrow "files" in package.json.`,
      `"lib/deployment/handler/index.ts" is packed but must not ship (matches /^(dist\\/)?lib\\/deployment\\/handler\\//); narrow "files" in package.json.`,
      `"dist/lib/index.js.map" is packed but must not ship (matches /\\.map$/); narrow "files" in package.json.`,
    ]);
  });

  it("names what is wrong with a pinned SDK dependency", () => {
    const problems = dependencyProblems({ ...manifest, dependencies: { ...manifest.dependencies, "@pulumi/pulumi": "3.248.0" } });
    assert.ok(problems.includes("@pulumi/pulumi is a dependency (3.248.0); make it a peer dependency so a consumer's tree keeps one copy."), problems.join("\n"));
    assert.ok(problems.includes("dependency @pulumi/pulumi is pinned to 3.248.0; give it a range (^3.248.0) so consumers can dedupe it."), problems.join("\n"));
    const outside = dependencyProblems({ ...manifest, devDependencies: { ...manifest.devDependencies, "@pulumi/azure-native": "3.1.0" } });
    assert.deepStrictEqual(outside, [`@pulumi/azure-native: devDependency 3.1.0 is outside the peer range ${manifest.peerDependencies?.["@pulumi/azure-native"]}.`]);
  });
});
