// `npm test`: every compiled test file, two files at a time (mocha --parallel, one worker per core of the
// 2-core machines the suite is sized for), the slowest files first so that no long file starts last and
// runs alone at the end. Each worker runs whole files one after another with the shared setup of
// .mocharc.json; real-engine files in one worker share one Pulumi environment (test/engine/cli.ts).
// A file missing from SLOWEST_FIRST still runs, in path order after them; add a new slow file here.
"use strict";
const fs = require("fs");
const path = require("path");
const shared = require("./.mocharc.json");

/** Measured slowest first (docs/testing.md has the per-file times); paths relative to dist/test. */
const SLOWEST_FIRST = [
  "engine/engine.test.js",
  "engine/profiles.test.js",
  "repo/newcomer.test.js",
  "package/consumer.test.js",
  "release/consumers.test.js",
  "engine/multilang.test.js",
  "deployment/soak.test.js",
  "docs/codeBlocks.test.js",
  "deadletter/cli.test.js",
  "engine/callback.test.js",
  "deployment/lease.test.js",
  "engine/policy-analyze.test.js",
  "plan/cli.test.js",
  "review/diff.test.js",
  "engine/policy-preview-gate.test.js",
  "engine/codePublish.test.js",
];

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith(".test.js") ? [path.join(dir, e.name)] : []);
}

const root = path.join("dist", "test");
const all = fs.existsSync(root) ? testFiles(root).map((f) => f.split(path.sep).join("/")).sort() : [];
const first = SLOWEST_FIRST.map((f) => `${root}/${f}`).filter((f) => all.includes(f));

module.exports = {
  ...shared,
  spec: [...first, ...all.filter((f) => !first.includes(f))],
  parallel: true,
  jobs: 2,
};
