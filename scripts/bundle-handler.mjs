#!/usr/bin/env node
// Bundles the model deployer's Function with esbuild into two minified files and stages the Function App package:
//   index.js    the entry (lib/deployment/handler/index.ts): @azure/functions and the registration only, so the
//               worker's cold start stays short;
//   runtime.js  the invocation side (lib/deployment/handler/runtime.ts) with the Azure SDKs, required by index.js
//               on the first invocation.
//   dist/lib/deployment/function-app/{index.js, runtime.js, *.LEGAL.txt, host.json, package.json}
//   dist/lib/deployment/function-app.zip   (uploaded as released-package.zip by ModelDeployer)
// The zip is byte-for-byte reproducible (fixed timestamps, sorted entries), so an unchanged handler
// never shows up as a diff in `pulumi preview`.
// Usage: node scripts/bundle-handler.mjs [--quiet]
import { build } from "esbuild";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "dist", "lib", "deployment", "function-app");
const zipPath = join(root, "dist", "lib", "deployment", "function-app.zip");
const quiet = process.argv.includes("--quiet");

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const handlerDir = join(root, "lib", "deployment", "handler");
/** index.js keeps `require("./runtime")` as is: it loads runtime.js from beside it at run time. */
const runtimeStaysExternal = {
  name: "runtime-stays-external",
  setup(b) {
    b.onResolve({ filter: /^\.\/runtime$/ }, (args) => (args.importer === join(handlerDir, "index.ts") ? { path: "./runtime.js", external: true } : undefined));
  },
};
const bundleOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  // The Functions host injects the worker's core API; everything else (@azure/functions included,
  // it is an ordinary dependency of v4 apps) goes into the bundle.
  external: ["@azure/functions-core"],
  legalComments: "external",
  // Bundled as CommonJS, `import.meta` is empty, yet the ESM builds esbuild picks for our `import`s may
  // read it: @azure/storage-common's crc64.js calls createRequire(import.meta.url) at load, which throws
  // without a URL. Give every such read this file's own URL.
  define: { "import.meta.url": "__bundleFileUrl" },
  banner: { js: 'var __bundleFileUrl=require("url").pathToFileURL(__filename).href;' },
  metafile: true,
  logLevel: "warning",
};
const results = [];
for (const name of ["index", "runtime"]) {
  results.push(await build({ ...bundleOptions, entryPoints: [join(handlerDir, `${name}.ts`)], outfile: join(outDir, `${name}.js`), plugins: [runtimeStaysExternal] }));
}
const entryInputs = Object.keys(results[0].metafile.inputs);
const heavy = entryInputs.filter((input) => /node_modules\/@azure\/(arm-|identity|msal-|storage-|eventgrid|core-)/.test(input));
if (heavy.length > 0) throw new Error(`bundle-handler: index.js must not bundle the Azure SDKs (they belong in runtime.js): ${heavy.join(", ")}`);

// host.json: the queue trigger comes from the extension bundle. Deploying a model takes minutes:
// the function timeout covers it (Flex Consumption's default is 30 minutes; "Azure Functions hosting
// options" on Microsoft Learn), one message at a time per instance, a failed attempt reappears after
// five minutes, and after ten attempts the host moves the message to `model-registered-poison`.
// messageEncoding "none": Event Grid may write plain JSON (the handler also reads Base64).
writeFileSync(
  join(outDir, "host.json"),
  JSON.stringify(
    {
      version: "2.0",
      functionTimeout: "00:30:00",
      extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" },
      extensions: { queues: { batchSize: 1, newBatchThreshold: 0, maxDequeueCount: 10, visibilityTimeout: "00:05:00", messageEncoding: "none" } },
      logging: { applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: "Request" } } },
    },
    null,
    2,
  ) + "\n",
);
// package.json: `main` tells the v4 Node.js worker which file registers the functions. No dependencies.
writeFileSync(
  join(outDir, "package.json"),
  JSON.stringify({ name: "aml-model-deployer", version: "1.0.0", private: true, main: "index.js" }, null, 2) + "\n",
);

const names = readdirSync(outDir).sort();
// fflate with a fixed timestamp: the same inputs always give a byte-identical package (stable hashes, no spurious diffs).
// Local time: zip timestamps carry no zone, and 1980-01-01 is the earliest a zip can hold.
const FIXED_MTIME = new Date(1980, 0, 1, 12, 0, 0);
const entries = Object.fromEntries(names.map((name) => [name, [new Uint8Array(readFileSync(join(outDir, name))), { level: 9, mtime: FIXED_MTIME }]]));
writeFileSync(zipPath, zipSync(entries));

if (!quiet) {
  const kib = (file) => (statSync(join(outDir, file)).size / 1024).toFixed(0);
  const inputs = results.map((r) => Object.keys(r.metafile.inputs).length);
  console.log(
    `bundle-handler: ${names.join(", ")} → ${zipPath.slice(root.length + 1)} ` +
      `(index.js ${kib("index.js")} KiB from ${inputs[0]} input files, runtime.js ${kib("runtime.js")} KiB from ${inputs[1]}; ` +
      `zip ${(statSync(zipPath).size / 1024).toFixed(0)} KiB)`,
  );
}
