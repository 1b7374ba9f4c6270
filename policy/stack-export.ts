/**
 * Policy inputs from an existing stack's state: the JSON `pulumi stack export` writes. Lets the pack
 * check a deployed stack (the "live stack" recipe in the README) without a preview.
 */
import { PolicyResourceInput } from "./harness";
import { UNKNOWN_VALUE } from "./sdk";

/** Pulumi's signature key and the value marking a secret in serialized state. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One resource of a `pulumi stack export` deployment, narrowed to what policies need. */
interface ExportedResource {
  readonly urn?: unknown;
  readonly type?: unknown;
  readonly custom?: unknown;
  readonly delete?: unknown;
  readonly inputs?: unknown;
  readonly parent?: unknown;
  readonly dependencies?: unknown;
}

/** Thrown when the JSON isn't a `pulumi stack export` document. */
export class StackExportError extends Error {
  constructor(message: string) {
    super(`${message} Expected the output of \`pulumi stack export\` (or \`pulumi stack export --show-secrets\`): {"version": 3, "deployment": {"resources": [{"urn", "type", "inputs", …}]}}.`);
    this.name = "StackExportError";
  }
}

/**
 * A secret exported without `--show-secrets` is `{sig, ciphertext}`: its value can't be known here,
 * so it becomes the engine's unknown sentinel (policies reading it report they can't run). With
 * `--show-secrets` it is `{sig, plaintext}` holding the JSON-encoded value.
 */
function stateValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(stateValue);
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === SECRET_SIG) {
    if (typeof record.plaintext === "string") return stateValue(JSON.parse(record.plaintext));
    return UNKNOWN_VALUE;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = stateValue(v);
  return out;
}

/** The resources array of a stack export (current `deployment` or the older `checkpoint.latest`). */
function exportedResources(doc: unknown): unknown[] {
  if (typeof doc !== "object" || doc === null) throw new StackExportError(`Got ${doc === null ? "null" : typeof doc}.`);
  const d = doc as { deployment?: { resources?: unknown }; checkpoint?: { latest?: { resources?: unknown } } };
  const resources = d.deployment?.resources ?? d.checkpoint?.latest?.resources;
  if (resources === undefined && (d.deployment !== undefined || d.checkpoint !== undefined)) return [];
  if (!Array.isArray(resources)) throw new StackExportError(`Found no deployment.resources array (keys: ${Object.keys(doc).join(", ") || "none"}).`);
  return resources;
}

/**
 * Converts `pulumi stack export` JSON (parsed or as text) into policy inputs: every custom resource
 * that isn't pending deletion, with its recorded inputs as `props` (what the engine analyzes), parent and
 * dependencies. Providers and component resources are skipped, as the engine doesn't analyze them.
 * @throws StackExportError naming what is missing when the document isn't a stack export.
 */
export function fromStackExport(exported: unknown): PolicyResourceInput[] {
  const doc = typeof exported === "string" ? (JSON.parse(exported) as unknown) : exported;
  const out: PolicyResourceInput[] = [];
  exportedResources(doc).forEach((raw, i) => {
    const r = raw as ExportedResource;
    if (typeof r.urn !== "string" || typeof r.type !== "string") throw new StackExportError(`Resource #${i} has no string urn/type (got ${JSON.stringify(raw).slice(0, 120)}).`);
    if (r.custom !== true || r.delete === true || r.type.startsWith("pulumi:providers:")) return;
    out.push({
      type: r.type,
      name: r.urn.split("::").pop() ?? r.urn,
      urn: r.urn,
      props: (stateValue(r.inputs ?? {}) ?? {}) as Record<string, unknown>,
      ...(typeof r.parent === "string" ? { parent: r.parent } : {}),
      ...(Array.isArray(r.dependencies) ? { dependencies: r.dependencies.filter((d): d is string => typeof d === "string") } : {}),
    });
  });
  return out;
}
