/**
 * The package-lock.json of a consumer project that installs the release tarball next to the SDKs it shares
 * with us, taken from this repository's own lockfile: `npm ci --offline` then installs every package from the
 * npm cache by its integrity, without asking a registry (an offline `npm install` would need each
 * package's registry metadata, which `npm ci` never cached). Pure: lockfile and manifests in, lockfile out.
 */

/** One entry of a lockfile's `packages`. */
export interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly [key: string]: unknown;
}

/** A lockfile (version 2 or 3): the `packages` map is what npm ci reads. */
export interface Lockfile {
  readonly name?: string;
  readonly lockfileVersion: number;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/** The parts of the tarball's package.json the lockfile entry repeats. */
export interface PackedManifest {
  readonly name: string;
  readonly version: string;
  readonly license?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly bin?: Readonly<Record<string, string>>;
  readonly engines?: Readonly<Record<string, string>>;
}

/** Where Node finds `name` from the package at `from` ("" is the root): the nearest node_modules up the tree. */
export function resolveInLock(packages: Readonly<Record<string, LockEntry>>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (base === "") return undefined;
    const up = base.lastIndexOf("/node_modules/");
    base = up < 0 ? "" : base.slice(0, up);
  }
}

function isOptional(entry: LockEntry | undefined, dep: string): boolean {
  return entry?.optionalDependencies?.[dep] !== undefined || entry?.peerDependenciesMeta?.[dep]?.optional === true;
}

/** The repository's entries reachable from `roots`, at the same paths, without the root-relative dev/peer flags. */
function reachable(packages: Readonly<Record<string, LockEntry>>, roots: readonly string[]): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const queue: [string, string][] = roots.map((r) => ["", r]);
  while (queue.length > 0) {
    const [from, name] = queue.shift() as [string, string];
    const key = resolveInLock(packages, from, name);
    if (key === undefined) {
      if (isOptional(packages[from], name)) continue;
      throw new Error(`${name} (needed by ${from || "the consumer"}) is not in the repository's package-lock.json; run \`npm ci\` here so the consumer can install it offline.`);
    }
    if (out[key] !== undefined) continue;
    const entry: Record<string, unknown> = { ...packages[key] };
    for (const flag of ["dev", "devOptional", "peer", "optional"]) delete entry[flag];
    out[key] = entry as LockEntry;
    const e = packages[key];
    for (const dep of Object.keys({ ...e.dependencies, ...e.optionalDependencies, ...e.peerDependencies })) queue.push([key, dep]);
  }
  return out;
}

/**
 * The consumer's package.json dependencies and lockfile: `sdks` (name → exact version, each in the repository's
 * lockfile at that version) plus the tarball (`file:` path relative to the consumer, its sha512 integrity).
 */
export function consumerLock(repo: Lockfile, sdks: Readonly<Record<string, string>>, packed: PackedManifest, tarball: { readonly path: string; readonly integrity: string }): { dependencies: Record<string, string>; lock: Lockfile } {
  for (const [name, version] of Object.entries(sdks)) {
    const found = repo.packages[`node_modules/${name}`]?.version;
    if (found !== version) throw new Error(`${name}@${version} is wanted but the repository's lockfile has ${found ?? "no copy"}; pick the locked version.`);
  }
  const packages = reachable(repo.packages, [...Object.keys(sdks), ...Object.keys(packed.dependencies ?? {})]);
  const dependencies = { ...sdks, [packed.name]: `file:${tarball.path}` };
  const own: LockEntry = { version: packed.version, resolved: `file:${tarball.path}`, integrity: tarball.integrity, license: packed.license, dependencies: packed.dependencies, peerDependencies: packed.peerDependencies, bin: packed.bin, engines: packed.engines };
  const sorted = Object.fromEntries(Object.entries({ ...packages, [`node_modules/${packed.name}`]: own }).sort(([a], [b]) => a.localeCompare(b)));
  return { dependencies, lock: { name: "consumer", lockfileVersion: 3, packages: { "": { name: "consumer", version: "1.0.0", dependencies }, ...sorted } } };
}
