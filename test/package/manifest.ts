/**
 * What the published package must contain, checked against the file list `npm pack --dry-run --json`
 * reports. Pure: takes the manifest and the packed paths, returns every problem as a sentence.
 */

/** The parts of package.json the checks read. */
export interface PackageManifest {
  readonly main?: string;
  readonly types?: string;
  readonly bin?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/** Files the README promises an installed copy has, beyond what package.json points at. */
export const PROMISED_FILES: readonly string[] = [
  "README.md",
  "policy/PulumiPolicy.yaml",
  "policy/package.json",
  "policy/policy-config.json",
  // The waf-aligned profile config the README names (`--policy-pack-config`).
  "policy/config/waf-aligned.json",
  "dist/policy/index.js",
  "dist/lib/deployment/function-app.zip",
  // The component package other languages add (`pulumi package add node_modules/aml-event-workflows/plugin`): its
  // host runs dist/plugin and Pulumi's analyzer reads index.ts and the lib/ sources it imports for the schema.
  "plugin/PulumiPlugin.yaml",
  "plugin/package.json",
  "plugin/tsconfig.json",
  "plugin/index.ts",
  "dist/plugin/index.js",
  "lib/index.ts",
];

/** Packages a consumer's program shares with us: one copy each in its tree, so never a plain dependency. */
export const SHARED_SDKS: readonly string[] = ["@pulumi/pulumi", "@pulumi/azure-native", "@pulumi/random"];

/**
 * Path prefixes and patterns that must not ship (tests, build leftovers, the Function's unbundled code, sources
 * other than the lib/ and plugin/ ones the component analyzer reads).
 */
export const FORBIDDEN: readonly RegExp[] = [
  /^(test|bench|examples|scripts|docs|tools)\//,
  /^dist\/(test|bench|examples)\//,
  /\.map$/,
  /\.tsbuildinfo/,
  /^(dist\/)?lib\/deployment\/handler\//,
  /^(?!lib\/|plugin\/).*\.ts$(?<!\.d\.ts)/,
];

function normalize(p: string): string {
  return p.replace(/^\.\//, "");
}

function pointedAt(manifest: PackageManifest): string[] {
  const targets: string[] = [];
  if (manifest.main) targets.push(manifest.main);
  if (manifest.types) targets.push(manifest.types);
  for (const file of Object.values(manifest.bin ?? {})) targets.push(file);
  for (const entry of Object.values(manifest.exports ?? {})) targets.push(...(typeof entry === "string" ? [entry] : Object.values(entry)));
  return targets.map(normalize);
}

/** Every problem with a packed file list: promised or referenced files missing, forbidden files present. */
export function packageProblems(manifest: PackageManifest, packed: readonly string[]): string[] {
  const files = new Set(packed.map(normalize));
  const problems: string[] = [];
  for (const file of pointedAt(manifest)) {
    if (!files.has(file)) problems.push(`package.json points at ${JSON.stringify(file)}, which npm pack does not include; add it to "files" (and build first).`);
  }
  for (const file of PROMISED_FILES) {
    if (!files.has(file)) problems.push(`${JSON.stringify(file)} is promised by the README but not packed; add it to "files" in package.json.`);
  }
  for (const file of files) {
    const rule = FORBIDDEN.find((re) => re.test(file));
    if (rule) problems.push(`${JSON.stringify(file)} is packed but must not ship (matches ${rule}); narrow "files" in package.json.`);
  }
  return problems;
}

/** Oldest version a caret range admits (`^3.204.0` → `3.204.0`), or undefined for any other form. */
export function caretFloor(range: string): string | undefined {
  return /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
}

function compare(a: string, b: string): number {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Every problem with the dependency layout of a Pulumi component library. */
export function dependencyProblems(manifest: PackageManifest): string[] {
  const problems: string[] = [];
  for (const sdk of SHARED_SDKS) {
    if (manifest.dependencies?.[sdk]) problems.push(`${sdk} is a dependency (${manifest.dependencies[sdk]}); make it a peer dependency so a consumer's tree keeps one copy.`);
    const peer = manifest.peerDependencies?.[sdk];
    const floor = peer ? caretFloor(peer) : undefined;
    if (!peer || !floor) {
      problems.push(`${sdk} needs a peer dependency of the form ^<oldest tested version>, got ${JSON.stringify(peer)}.`);
      continue;
    }
    const pin = manifest.devDependencies?.[sdk];
    if (!pin || !/^\d+\.\d+\.\d+$/.test(pin)) problems.push(`${sdk} must be pinned exactly in devDependencies for our own tests, got ${JSON.stringify(pin)}.`);
    else if (pin.split(".")[0] !== floor.split(".")[0] || compare(pin, floor) < 0) problems.push(`${sdk}: devDependency ${pin} is outside the peer range ${peer}.`);
  }
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (/^\d+\.\d+\.\d+$/.test(range)) problems.push(`dependency ${name} is pinned to ${range}; give it a range (^${range}) so consumers can dedupe it.`);
  }
  return problems;
}
