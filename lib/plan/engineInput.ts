/**
 * What the real Pulumi engine produced, as the plan's resources: `pulumi stack export` (a deployed or
 * imported stack, any language) or `pulumi preview --json` (any language, nothing deployed). The plan
 * then routes, simulates and checks them exactly as it does a program it ran on its mocks.
 *
 * - Secrets: a value exported with `--show-secrets` is read as plaintext; otherwise it is unknown (the
 *   policies reading it say they can't run, as on a live stack; a webhook subscription's URL then names
 *   no workflow, so its Logic App is found through the subscription's dependencies instead).
 * - A preview has no ids for resources it would create, and values computed by Azure are unknown: ids
 *   are rebuilt from the resource's inputs the way the plan's mocks build them, unknown values left out.
 */
import { type Inputs, mockArmId, UNKNOWN_SENTINEL } from "./armResponses";
import { REDACTED } from "./describe";
import { MockedResource } from "./mocks";
import { ProgramRun } from "./run";

/** Pulumi's marker of a secret value in state and preview JSON. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

interface EngineResource {
  readonly urn?: string;
  readonly type?: string;
  readonly custom?: boolean;
  readonly id?: string;
  readonly parent?: string;
  readonly inputs?: Inputs;
  readonly outputs?: Inputs;
  readonly dependencies?: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A value with secrets opened (plaintext) or unknown (ciphertext); `secret` collects their paths. An
 * unknown stays the engine's sentinel (policies reading it say they can't run), as does a null list
 * element, which is how a preview prints an unknown element.
 */
function decode(value: unknown, path: string, secret: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => (v === null ? UNKNOWN_SENTINEL : decode(v, `${path}[${i}]`, secret)));
  if (!isRecord(value)) return value;
  if (value[SECRET_SIG] !== undefined) {
    secret.push(path);
    if (typeof value.plaintext === "string") return decode(JSON.parse(value.plaintext) as unknown, path, []);
    return value.value !== undefined ? decode(value.value, path, []) : UNKNOWN_SENTINEL;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const d = decode(v, path ? `${path}.${k}` : k, secret);
    if (d !== undefined) out[k] = d;
  }
  return out;
}

/** Why `doc` is not engine output the plan reads, or undefined when it is. */
export function engineOutputProblem(doc: unknown): string | undefined {
  if (isRecord(doc) && isRecord(doc.deployment) && Array.isArray(doc.deployment.resources)) return undefined;
  if (isRecord(doc) && Array.isArray(doc.steps)) return undefined;
  return (
    "the engine output is neither `pulumi stack export` (an object with deployment.resources) nor `pulumi preview --json` (an object with steps); " +
    "write one of them to a file, e.g. `pulumi preview --json > preview.json`."
  );
}

/** The engine's resources of a stack export (`deployment.resources`) or a preview (`steps[].newState`). */
function engineResources(doc: unknown): { kind: "stack export" | "preview"; resources: EngineResource[] } {
  if (isRecord(doc) && isRecord(doc.deployment) && Array.isArray(doc.deployment.resources)) return { kind: "stack export", resources: doc.deployment.resources as EngineResource[] };
  if (isRecord(doc) && Array.isArray(doc.steps)) {
    const steps = doc.steps as { op?: string; newState?: EngineResource }[];
    return { kind: "preview", resources: steps.filter((s) => s.op !== "delete" && s.op !== "discard" && isRecord(s.newState)).map((s) => s.newState as EngineResource) };
  }
  throw new Error(engineOutputProblem(doc));
}

/** One engine resource as the plan holds resources. */
function toPlanResource(r: EngineResource): MockedResource {
  const urn = r.urn ?? "";
  const type = r.type ?? urn.split("::")[2]?.split("$").pop() ?? "";
  const name = urn.split("::").slice(3).join("::");
  const secretPaths: string[] = [];
  const inputs = decode(r.inputs ?? {}, "", secretPaths) as Inputs;
  // Outputs only Azure computes are unknown in a preview: left out, so the inputs stand.
  const outputs = Object.fromEntries(Object.entries(decode(r.outputs ?? {}, "", []) as Inputs).filter(([, v]) => v !== UNKNOWN_SENTINEL));
  const custom = r.custom !== false;
  const known = typeof r.id === "string" && r.id !== "" && r.id !== UNKNOWN_SENTINEL ? r.id : undefined;
  const id = custom ? (known ?? mockArmId(type, name, inputs)) : undefined;
  return { type, name, urn, ...(r.parent ? { parent: r.parent } : {}), secretPaths, dependencies: r.dependencies ?? [], custom, ...(id ? { id } : {}), inputs, state: { ...inputs, ...outputs } };
}

/** A provider the engine made itself (`pulumi:providers:<pkg>::default…`), not one the program declared. */
function isDefaultProvider(r: { readonly type?: string; readonly urn?: string }): boolean {
  return (r.type ?? "").startsWith("pulumi:providers:") && /::default(_[\w-]+)?$/.test(r.urn ?? "");
}

/**
 * Reads `pulumi stack export` or `pulumi preview --json` output into what the plan needs: every
 * resource but the stack and the engine's default providers (a program's explicit providers are resources
 * it declares, as on the mocks), and the stack's outputs (secrets shown as `[secret]`).
 */
export function runFromEngineOutput(doc: unknown): ProgramRun & { readonly kind: "stack export" | "preview" } {
  const { kind, resources } = engineResources(doc);
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const outputs = decode(stack?.outputs ?? {}, "", []) as Record<string, unknown>;
  const planned = resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !isDefaultProvider(r)).map(toPlanResource);
  return { kind, resources: planned, outputs: redactSecrets(stack?.outputs ?? {}, outputs) };
}

/** Stack outputs with every secret shown as `[secret]`, as the mock-engine plan shows them. */
function redactSecrets(raw: Inputs, decoded: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(decoded)) out[k] = isRecord(raw[k]) && (raw[k] as Inputs)[SECRET_SIG] !== undefined ? REDACTED : v;
  return out;
}
