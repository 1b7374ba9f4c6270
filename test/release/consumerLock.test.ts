/** The consumer lockfile taken from the repository's: resolution as Node does it, and the refusals. */
import * as assert from "assert";
import { consumerLock, Lockfile, resolveInLock } from "./consumerLock";

const repo: Lockfile = {
  lockfileVersion: 3,
  packages: {
    "": { name: "repo", dependencies: { sdk: "1.0.0", lib: "^2.0.0" } },
    "node_modules/sdk": { version: "1.0.0", resolved: "https://r/sdk-1.0.0.tgz", integrity: "sha512-s", dev: true, dependencies: { util: "^1.0.0" } },
    "node_modules/sdk/node_modules/util": { version: "1.2.0", integrity: "sha512-u1", dev: true },
    "node_modules/util": { version: "3.0.0", integrity: "sha512-u3" },
    "node_modules/lib": { version: "2.1.0", integrity: "sha512-l", dependencies: { util: "^3.0.0" }, optionalDependencies: { native: "1.0.0" } },
    "node_modules/unrelated": { version: "9.0.0", integrity: "sha512-x", dev: true },
  },
};
const packed = { name: "pkg", version: "0.1.0", dependencies: { lib: "^2.0.0" }, peerDependencies: { sdk: "^1.0.0" } };

describe("consumer lockfile from the repository's lockfile", () => {
  it("resolves like Node: the nearest node_modules up the tree", () => {
    assert.strictEqual(resolveInLock(repo.packages, "node_modules/sdk", "util"), "node_modules/sdk/node_modules/util");
    assert.strictEqual(resolveInLock(repo.packages, "node_modules/lib", "util"), "node_modules/util");
    assert.strictEqual(resolveInLock(repo.packages, "", "missing"), undefined);
  });

  it("keeps what the SDKs and the tarball reach, at the same paths, without dev flags; the tarball by file and integrity", () => {
    const { dependencies, lock } = consumerLock(repo, { sdk: "1.0.0" }, packed, { path: "../release/pkg-0.1.0.tgz", integrity: "sha512-p" });
    assert.deepStrictEqual(dependencies, { sdk: "1.0.0", pkg: "file:../release/pkg-0.1.0.tgz" });
    assert.deepStrictEqual(Object.keys(lock.packages), ["", "node_modules/lib", "node_modules/pkg", "node_modules/sdk", "node_modules/sdk/node_modules/util", "node_modules/util"]);
    assert.strictEqual(lock.packages["node_modules/sdk"].dev, undefined);
    assert.strictEqual(lock.packages["node_modules/pkg"].integrity, "sha512-p");
  });

  it("refuses an SDK version the repository does not lock, and a dependency it does not have", () => {
    assert.throws(() => consumerLock(repo, { sdk: "1.0.1" }, packed, { path: "p.tgz", integrity: "x" }), /sdk@1\.0\.1 is wanted but the repository's lockfile has 1\.0\.0; pick the locked version\./);
    assert.throws(() => consumerLock(repo, { sdk: "1.0.0" }, { ...packed, dependencies: { lefpad: "1.0.0" } }, { path: "p.tgz", integrity: "x" }), /lefpad \(needed by the consumer\) is not in the repository's package-lock\.json/);
  });
});
