#!/usr/bin/env node
// Bundles the model deployer's Function (lib/deployment/handler/index.ts) into ONE minified file
// with esbuild and stages the Function App package:
//   dist/lib/deployment/function-app/{index.js, index.js.LEGAL.txt, host.json, package.json}
//   dist/lib/deployment/function-app.zip   (uploaded as released-package.zip by ModelDeployer)
// The zip is byte-for-byte reproducible (fixed timestamps, sorted entries), so an unchanged handler
// never shows up as a diff in `pulumi preview`.
// Usage: node scripts/bundle-handler.mjs [--quiet]
import { build } from "esbuild";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "dist", "lib", "deployment", "function-app");
const zipPath = join(root, "dist", "lib", "deployment", "function-app.zip");
const quiet = process.argv.includes("--quiet");

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const result = await build({
  entryPoints: [join(root, "lib", "deployment", "handler", "index.ts")],
  outfile: join(outDir, "index.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  // The Functions host injects the worker's core API; everything else (@azure/functions included,
  // it is an ordinary dependency of v4 apps) goes into the bundle.
  external: ["@azure/functions-core"],
  legalComments: "external",
  metafile: true,
  logLevel: "warning",
});

// host.json: the Event Grid trigger comes from the extension bundle.
writeFileSync(
  join(outDir, "host.json"),
  JSON.stringify(
    {
      version: "2.0",
      extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" },
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

// --- a minimal, deterministic zip writer (deflate, no extra fields) ---
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function zip(files) {
  const DOS_TIME = 0; // 00:00:00
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBuf = Buffer.from(name, "utf8");
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

const names = readdirSync(outDir).sort();
const files = names.map((name) => ({ name, data: readFileSync(join(outDir, name)) }));
writeFileSync(zipPath, zip(files));

if (!quiet) {
  const bundleBytes = statSync(join(outDir, "index.js")).size;
  const inputs = Object.keys(result.metafile.inputs).length;
  console.log(
    `bundle-handler: ${names.join(", ")} → ${zipPath.slice(root.length + 1)} ` +
      `(index.js ${(bundleBytes / 1024).toFixed(0)} KiB from ${inputs} input files; zip ${(statSync(zipPath).size / 1024).toFixed(0)} KiB)`,
  );
}
