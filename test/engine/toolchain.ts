/**
 * The cached tools of the multi-language tests (each built once by a script under scripts/, keyed by version)
 * and what those tests compare in a preview: the resources it declares and its policy verdict.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageVersion } from "./providers/urn";

/** What the tests read of `pulumi preview --json`. */
export interface PreviewJson {
  steps: { op: string; urn: string }[];
  changeSummary: Record<string, number>;
  diagnostics?: { message: string; severity: string }[];
}

/** The cache of the built tools and generated SDKs, outside the repository (AML_EVENTS_CACHE or ~/.cache). */
export function cacheRoot(): string {
  return process.env.AML_EVENTS_CACHE || path.join(os.homedir(), ".cache", "aml-event-workflows");
}

/** A file from one of the cached builds (`bash scripts/<script>`), if it has been built. */
export function cached(...parts: string[]): string | undefined {
  const file = path.join(cacheRoot(), ...parts);
  return fs.existsSync(file) ? file : undefined;
}

/** Where `bash scripts/pulumi-yaml.sh` puts Pulumi's YAML language host, if it has been built. */
export function yamlHost(): string | undefined {
  return cached("pulumi-yaml", "v1.25.0", "bin", "pulumi-language-yaml");
}

/** The Python of `bash scripts/pulumi-python.sh` (Pulumi's Python SDK at the CLI's version), if built. */
export function pulumiPython(): string | undefined {
  const root = cached("python");
  const venv = root && fs.readdirSync(root).find((d) => d.startsWith(`pulumi-${packageVersion("@pulumi/pulumi")}-`));
  return venv && cached("python", venv, "bin", "python");
}

/** `sdkgen` of `bash scripts/pulumi-sdkgen.sh` (Pulumi's own Python and Go code generators), if built. */
export function sdkgen(): string | undefined {
  return cached("pulumi-sdkgen", `v${packageVersion("@pulumi/pulumi")}`, "bin", "sdkgen");
}

/** Skips a test with a visible notice naming the script that provides what it needs. */
export function skipWithout<T>(ctx: Mocha.Context, value: T | undefined, what: string, script: string): T {
  if (value !== undefined) return value;
  console.log(`\n  NOTICE ${what} is not built; run \`bash scripts/${script}\` (cached by version); skipping.`);
  ctx.skip();
}

/** `type::name` of every resource a preview declares, the stack and providers left out. */
export function declared(preview: PreviewJson): string[] {
  return preview.steps
    .map((s) => s.urn.split("::"))
    .map((p) => `${p[2].split("$").pop()}::${p.slice(3).join("::")}`)
    .filter((k) => !k.startsWith("pulumi:pulumi:Stack") && !k.startsWith("pulumi:providers:"))
    .sort();
}

/** The policy messages of a preview, without the project- and stack-specific URNs. */
export function policyVerdict(preview: PreviewJson): string[] {
  return (preview.diagnostics ?? []).map((d) => `${d.severity}: ${d.message.replace(/urn:pulumi:[^\s]*/g, "<urn>")}`).filter((m) => /polic/i.test(m)).sort();
}
