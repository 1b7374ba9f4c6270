/**
 * `aml-event-workflows/policy`: the pack's policies and an engine-faithful way to run them without
 * the Pulumi CLI (offline plan, tests, forks without cloud credentials).
 */
import { isUnknown } from "@pulumi/pulumi/output";
import { Policies } from "@pulumi/policy";
import {
  analyzeResources,
  AnalysisResult,
  PolicyPackConfigInput,
  PolicyResourceInput,
  Violation,
} from "./harness";
import { policies } from "./policies";
import { isStackPolicy, UNKNOWN_VALUE } from "./sdk";
import { fromStackExport } from "./stack-export";

export { policies } from "./policies";
export {
  analyzeResources,
  AnalysisResult,
  AnalyzeOptions,
  NotApplicable,
  POLICY_PACK_NAME,
  POLICY_PACK_VERSION,
  PolicyConfigError,
  PolicyPackConfigInput,
  PolicyResourceInput,
  resolvePolicyConfig,
  ResolvedPolicyConfig,
  Remediation,
  Violation,
  ViolationLevel,
} from "./harness";
export { UNKNOWN_VALUE } from "./sdk";
export { fromStackExport, StackExportError } from "./stack-export";
export { deployReadiness, formatReadiness, ReadinessItem } from "./readiness";
export { POLICY_AREAS, PolicyArea, policyTableMarkdown, TABLE_BEGIN, TABLE_END, withPolicyTable } from "./table";

/**
 * Checks `resources` against every policy of the pack, as `pulumi preview --policy-pack policy
 * --policy-pack-config <file>` would, and returns the violations (mandatory and advisory).
 * @param resources `{type, name, props, urn?}`; props are input properties (use {@link UNKNOWN_VALUE} for preview unknowns);
 *   or a parsed `pulumi stack export` document, to check an existing stack's state.
 * @param config the content of a policy pack config file, e.g. `policy/policy-config.json`. @default {}
 * @throws PolicyConfigError when `config` doesn't match the policies' schemas.
 */
export async function checkResources(resources: readonly PolicyResourceInput[] | StackExportLike, config?: PolicyPackConfigInput): Promise<Violation[]> {
  const inputs = Array.isArray(resources) ? (resources as readonly PolicyResourceInput[]) : fromStackExport(resources);
  return (await analyzeResources(policies, inputs, { config })).violations;
}

/** A parsed `pulumi stack export` document (see {@link fromStackExport}). */
export interface StackExportLike {
  /** The current format's deployment; `checkpoint.latest` is accepted too. */
  readonly deployment?: unknown;
  /** Older exports' checkpoint. */
  readonly checkpoint?: unknown;
}

/** Like {@link checkResources}, also returning which policies didn't apply. */
export function analyzeWithPack(resources: readonly PolicyResourceInput[], config?: PolicyPackConfigInput): Promise<AnalysisResult> {
  return analyzeResources(policies, resources, { config });
}

/** A resource recorded by the Pulumi mock engine (`MockedResource` in lib/plan/mocks). */
export interface MockedResourceLike {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** URNs the resource depends on. @default [] */
  readonly dependencies?: readonly string[];
}

/** Pulumi's wire signature key and value for secrets; the engine unwraps them before policies run. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function engineValue(value: unknown): unknown {
  if (isUnknown(value)) return UNKNOWN_VALUE;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(engineValue);
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG_VALUE) return engineValue(record.value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = engineValue(v);
  return out;
}

/**
 * Converts what the mock engine recorded into policy inputs: `props` are the resource's inputs
 * (what the engine's `Analyze` sees), with preview unknowns turned into the engine's sentinel.
 */
export function fromMockedResources(resources: readonly MockedResourceLike[]): PolicyResourceInput[] {
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    props: engineValue(r.inputs) as Record<string, unknown>,
    ...(r.urn ? { urn: r.urn } : {}),
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.dependencies ? { dependencies: [...r.dependencies] } : {}),
  }));
}

/** The verdict of a run: `passed` is false when any mandatory violation exists (the CLI fails the preview). */
export interface PolicyVerdict {
  /** True when no mandatory violation exists. */
  readonly passed: boolean;
  /** Number of mandatory violations. */
  readonly mandatory: number;
  /** Number of advisory violations. */
  readonly advisory: number;
}

/** Counts violations by level. */
export function verdictOf(violations: readonly Violation[]): PolicyVerdict {
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return { passed: mandatory === 0, mandatory, advisory: violations.length - mandatory };
}

/**
 * Violations as text in the CLI's shape (`[mandatory] policy  resource` then the message), followed by
 * a one-line verdict; mandatory first, then advisory, each in engine order.
 */
export function formatViolations(violations: readonly Violation[]): string {
  const sorted = [...violations.filter((v) => v.enforcementLevel === "mandatory"), ...violations.filter((v) => v.enforcementLevel === "advisory")];
  const lines = sorted.map((v) => `[${v.enforcementLevel}] ${v.policyName}  (${v.resourceName})\n    ${v.message}`);
  const verdict = verdictOf(violations);
  lines.push(
    verdict.passed
      ? `Policy pack aml-event-workflows: passed (${verdict.advisory} advisory).`
      : `Policy pack aml-event-workflows: FAILED — ${verdict.mandatory} mandatory, ${verdict.advisory} advisory violation(s).`,
  );
  return lines.join("\n");
}

/** One policy of the pack, for documentation and reports. */
export interface PolicySummary {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: string;
  readonly kind: "resource" | "stack";
  /** Config knobs and their defaults. */
  readonly knobs: Readonly<Record<string, unknown>>;
}

/** The pack's policies with their default levels and knobs, in pack order. */
export function describePolicies(pack: Policies = policies): PolicySummary[] {
  return pack.map((p) => ({
    name: p.name,
    description: p.description,
    enforcementLevel: p.enforcementLevel ?? "advisory",
    kind: isStackPolicy(p) ? "stack" : "resource",
    knobs: Object.fromEntries(Object.entries(p.configSchema?.properties ?? {}).map(([k, s]) => [k, s.default])),
  }));
}
