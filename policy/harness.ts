/**
 * Runs policies the way the Pulumi engine and `@pulumi/policy`'s analyzer do, without the CLI:
 * config reconciled like the CLI (schema defaults, `all`, per-policy levels, schema validation),
 * props wrapped in `@pulumi/policy`'s unknown-checking proxy, the analyzer's type fast-path and
 * not-applicable handling, `disabled`/`remediate` levels, and the "can't run during preview"
 * advisory diagnostic for values unknown during preview.
 */
import Ajv, { ValidateFunction } from "ajv";
import {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { startRun } from "./run-state";
import { getPulumiType, isResourcePolicy, isStackPolicy, UNKNOWN_VALUE, unknownCheckingProxy, UnknownValueError } from "./sdk";

/** The pack's name, as `policy/index.ts` serves it. */
export const POLICY_PACK_NAME = "aml-event-workflows";
/** The pack's version, as `policy/package.json` declares it. */
export const POLICY_PACK_VERSION = "0.1.0";

/** A resource to check: its Pulumi type token, logical name, input properties and (optionally) URN and parent URN. */
export interface PolicyResourceInput {
  /** Pulumi type token, e.g. `azure-native:eventgrid:SystemTopic`. */
  readonly type: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
  /** Input properties as plain JSON; use `UNKNOWN_VALUE` for values unknown during preview. */
  readonly props: Readonly<Record<string, unknown>>;
  /** URN. @default - `urn:pulumi:offline::aml-event-workflows::<type>::<name>` */
  readonly urn?: string;
  /** Parent URN, if any. @default - none */
  readonly parent?: string;
  /** URNs of the resources this one depends on (what stack policies see as `dependencies`). @default [] */
  readonly dependencies?: readonly string[];
}

/** The two levels a violation can have (`disabled` policies don't run; `remediate` reports as mandatory). */
export type ViolationLevel = "advisory" | "mandatory";

/** One policy violation. */
export interface Violation {
  /** The policy's name, e.g. `rbac-no-privileged-roles`. */
  readonly policyName: string;
  /** The effective level after config. */
  readonly enforcementLevel: ViolationLevel;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Logical name of the resource at fault, or `(stack)` for stack-wide violations without one. */
  readonly resourceName: string;
  /** URN of the resource at fault, when known. */
  readonly urn?: string;
  /** The policy's one-sentence description (the engine prints it above the message). */
  readonly description: string;
}

/** A policy that did not apply to a resource (type filter or the policy's own choice). */
export interface NotApplicable {
  /** The policy's name. */
  readonly policyName: string;
  /** The resource it did not apply to; undefined for stack policies. */
  readonly resourceName?: string;
  /** Why. */
  readonly reason: string;
}

/** Properties a policy at level `remediate` changed before validation (the engine's `Remediate` step). */
export interface Remediation {
  /** The policy's name. */
  readonly policyName: string;
  /** Logical name of the remediated resource. */
  readonly resourceName: string;
  /** URN of the remediated resource. */
  readonly urn: string;
  /** The resource's full input properties after this remediation. */
  readonly properties: Record<string, unknown>;
}

/** Everything a run produced. */
export interface AnalysisResult {
  /** Remediations applied, in order (only policies whose level is `remediate` run them). */
  readonly remediations: Remediation[];
  /** Violations in engine order: per resource (registration order) per policy, then stack policies. */
  readonly violations: Violation[];
  /** Policies that reported themselves not applicable. */
  readonly notApplicable: NotApplicable[];
}

/** A policy pack config file's content: `{ "<policy>" | "all": level | { enforcementLevel?, ...knobs } }`. */
export type PolicyPackConfigInput = Readonly<Record<string, unknown>>;

/** One policy's reconciled config, as the CLI passes it to the analyzer's `Configure`. */
export interface ResolvedPolicyConfig {
  /** The level from config, or the policy's own when config sets none. */
  readonly enforcementLevel?: EnforcementLevel;
  /** Knob values: schema defaults overlaid with the config's. */
  readonly properties: Record<string, unknown>;
}

/** The config is invalid; `errors` lists each problem as the CLI would (`<policy>: <problem>`). */
export class PolicyConfigError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(
      `Invalid policy pack config for ${POLICY_PACK_NAME}:\n${errors.map((e) => `  - ${e}`).join("\n")}\n` +
        `Fix the entries above in the config file (e.g. policy/policy-config.json); each policy's knobs and defaults are listed in its configSchema.`,
    );
    this.name = "PolicyConfigError";
  }
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const isLevel = (v: unknown): v is EnforcementLevel => typeof v === "string" && (LEVELS as readonly string[]).includes(v);

/** Parses a config object like `pulumi --policy-pack-config` does (string = level; object with optional enforcementLevel). */
function parseConfig(config: PolicyPackConfigInput): Map<string, { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }> {
  const out = new Map<string, { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }>();
  const errors: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === "string") {
      if (!isLevel(value)) errors.push(`${name}: enforcement level ${JSON.stringify(value)} is not one of ${LEVELS.join(", ")}`);
      else out.set(name, { enforcementLevel: value });
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        errors.push(`${name}: enforcementLevel ${JSON.stringify(enforcementLevel)} is not one of ${LEVELS.join(", ")}`);
        continue;
      }
      if (enforcementLevel === undefined && Object.keys(properties).length === 0) continue;
      out.set(name, { enforcementLevel, ...(Object.keys(properties).length > 0 ? { properties } : {}) });
    } else {
      errors.push(`${name}: ${JSON.stringify(value)} is not a valid value; must be an enforcement level string or an object`);
    }
  }
  if (errors.length > 0) throw new PolicyConfigError(errors);
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<object, ValidateFunction>();

function validatorFor(policy: Policies[number]): ValidateFunction | undefined {
  if (policy.configSchema === undefined) return undefined;
  let validate = validators.get(policy);
  if (validate === undefined) {
    validate = ajv.compile({
      type: "object",
      ...(Object.keys(policy.configSchema.properties).length > 0 ? { properties: policy.configSchema.properties } : {}),
      ...(policy.configSchema.required?.length ? { required: policy.configSchema.required } : {}),
    });
    validators.set(policy, validate);
  }
  return validate;
}

/**
 * Reconciles `config` with the policies' schemas exactly like the Pulumi CLI before it calls the
 * analyzer's `Configure`: schema defaults first, then `all`'s level, then each entry (level and knobs,
 * knobs replacing defaults key by key), then validation of every policy's knobs against its schema.
 * @throws PolicyConfigError listing every problem.
 */
export function resolvePolicyConfig(policies: Policies, config: PolicyPackConfigInput = {}): Record<string, ResolvedPolicyConfig> {
  const given = parseConfig(config);
  const result = new Map<string, { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }>();
  for (const p of policies) {
    const defaults = Object.entries(p.configSchema?.properties ?? {}).filter(([, s]) => s.default !== undefined);
    result.set(p.name, {
      enforcementLevel: p.enforcementLevel,
      ...(defaults.length > 0 ? { properties: Object.fromEntries(defaults.map(([k, s]) => [k, structuredClone(s.default)])) } : {}),
    });
  }
  const all = given.get("all");
  if (all?.enforcementLevel !== undefined) {
    for (const [name, entry] of result) result.set(name, { ...entry, enforcementLevel: all.enforcementLevel });
  }
  for (const [name, entry] of given) {
    const current = result.get(name) ?? {};
    result.set(name, {
      enforcementLevel: entry.enforcementLevel ?? current.enforcementLevel,
      ...(current.properties !== undefined || entry.properties !== undefined ? { properties: { ...current.properties, ...entry.properties } } : {}),
    });
  }
  const errors: string[] = [];
  for (const p of policies) {
    const validate = validatorFor(p);
    if (validate === undefined) continue;
    if (!validate(result.get(p.name)?.properties ?? {})) {
      for (const e of validate.errors ?? []) {
        const where = e.instancePath === "" ? "" : `${e.instancePath.slice(1).replace(/\//g, ".")}: `;
        errors.push(`${p.name}: ${where}${e.message ?? "is invalid"}${e.params && "allowedValues" in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : ""}`);
      }
    }
  }
  if (errors.length > 0) throw new PolicyConfigError(errors);
  const out: Record<string, ResolvedPolicyConfig> = {};
  for (const [name, entry] of [...result].sort(([a], [b]) => a.localeCompare(b))) {
    out[name] = { ...(entry.enforcementLevel !== undefined ? { enforcementLevel: entry.enforcementLevel } : {}), properties: entry.properties ?? {} };
  }
  return out;
}

/**
 * A copy of `value` as it comes out of the engine's property deserialization: plain JSON, no undefined keys.
 * Every policy gets its own copy (as from the engine), so this runs once per policy and resource: it walks
 * keys without allocating an entry pair per property.
 */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = value[i] === undefined ? null : plain(value[i]);
    return copy;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) {
    const v = record[k];
    if (v !== undefined) out[k] = plain(v);
  }
  return out;
}

/**
 * A deep copy of a policy's config for `getConfig` (every call gets its own, as from the engine): plain
 * objects, arrays and primitives are copied directly, which is several times cheaper than structuredClone
 * for the small JSON values configs hold; anything else (a Date, a Map, … passed in-process) goes through
 * structuredClone, so the copy is the same as before.
 */
function configCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    // Holes and extra properties are structuredClone's to keep.
    if (Object.keys(value).length !== value.length) return structuredClone(value);
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = configCopy(value[i]);
    return copy;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) out[k] = configCopy(record[k]);
  return out;
}

/**
 * Like {@link plain} for what a remediation returns, which may still hold the engine's proxied props:
 * a value unknown during preview stays the engine's sentinel instead of throwing.
 */
function plainResult(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const read = (get: () => unknown): unknown => {
    try {
      return plainResult(get());
    } catch (e) {
      if (e instanceof UnknownValueError) return UNKNOWN_VALUE;
      throw e;
    }
  };
  if (Array.isArray(value)) return value.map((_, i) => read(() => value[i] ?? null));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = read(() => (value as Record<string, unknown>)[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * The not-applicable signal. Policies call `notApplicable` for most resources they see (wrong type,
 * nothing to check), so it is thrown thousands of times a plan; the harness catches it and never shows
 * it, so it is a plain object rather than an Error: building an Error (even without a stack trace, as
 * before) was still about a tenth of the pack's time. Our policies' own `catch` blocks rethrow what they
 * do not recognise, so nothing depends on it being an Error.
 */
class NotApplicableError {
  constructor(readonly reason: string | undefined) {}
}
const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason);
};

type ResourceClass = { new (...rest: never[]): unknown };
function isTypeOf(type: string, resourceClass: ResourceClass): boolean {
  const pulumiType = getPulumiType(resourceClass);
  if (pulumiType !== undefined) return type === pulumiType;
  const isInstance = (resourceClass as unknown as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** The source text of every function `validateResourceOfType` returns (one closure, so one text). */
const TYPED_VALIDATION_SOURCE = validateResourceOfType(class {
  static readonly __pulumiType = "aml-events:harness:Probe";
} as never, () => undefined).toString();
const typedValidations = new WeakMap<ResourceValidation, string | null>();

/**
 * The type token a validation made by `@pulumi/policy`'s `validateResourceOfType` is for, or undefined for
 * any other function. On a resource of another type such a validation does nothing but report itself not
 * applicable with `Policy only applies to resources of type '<token>'` (policy.js: `notApplicableType`),
 * so the harness records that directly instead of copying the props, calling it and catching the signal.
 * The engine's own fast path does the same for a policy with one typed validation; this extends it to the
 * elements of a validation array (every Event Grid subscription policy has two, one per subscription type).
 */
function typedValidationType(validation: ResourceValidation): string | undefined {
  let type = typedValidations.get(validation);
  if (type === undefined) {
    const token = getPulumiType(validation);
    type = token !== undefined && validation.toString() === TYPED_VALIDATION_SOURCE ? token : null;
    typedValidations.set(validation, type);
  }
  return type ?? undefined;
}

/** Options of {@link analyzeResources}. */
export interface AnalyzeOptions {
  /** Policy pack config (the content of a `--policy-pack-config` file). @default {} */
  readonly config?: PolicyPackConfigInput;
  /** The pack-wide default level for policies that declare none. @default "advisory" */
  readonly packEnforcementLevel?: EnforcementLevel;
  /** Stack tags handed to policies. @default - none */
  readonly stackTags?: ReadonlyMap<string, string>;
}

/** What {@link remediate} needs from the run. */
interface RemediationContext {
  /** Whether any policy runs at level remediate in this run. */
  readonly remediating: boolean;
  readonly urn: string;
  readonly levelOf: (p: Policies[number]) => EnforcementLevel;
  readonly getConfigFor: (p: Policies[number]) => <T extends object>() => T;
  readonly from: (p: Policies[number]) => string;
  readonly stackTags: ReadonlyMap<string, string>;
  readonly remediations: Remediation[];
  readonly violations: Violation[];
  readonly notApplicable: NotApplicable[];
  readonly unknownDiagnostic: (p: Policies[number], e: Error, resourceName: string, urn?: string) => Violation;
}

/**
 * The engine's `Remediate` step for one resource: every policy at level `remediate` that implements
 * `remediateResource` runs in pack order on the props the previous one returned; the result is what
 * validation then sees. Returns the (possibly) remediated props.
 */
async function remediate(policies: Policies, resource: PolicyResourceInput, ctx: RemediationContext): Promise<Record<string, unknown>> {
  // Without a policy at level remediate (the default config) nothing changes: validation copies the
  // props itself, once per policy, so a copy here would be thrown away.
  if (!ctx.remediating) return resource.props as Record<string, unknown>;
  let props = plain(resource.props) as Record<string, unknown>;
  for (const p of policies) {
    if (ctx.levelOf(p) !== "remediate" || !isResourcePolicy(p)) continue;
    const policy = p as ResourceValidationPolicy;
    if (!policy.remediateResource) continue;
    const pulumiType = getPulumiType(policy.remediateResource);
    if (pulumiType !== undefined && resource.type !== pulumiType) continue;
    const proxied = unknownCheckingProxy(structuredClone(props));
    const args: ResourceValidationArgs = {
      type: resource.type,
      props: proxied,
      urn: ctx.urn,
      name: resource.name,
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], ...(resource.parent ? { parent: resource.parent } : {}) },
      stackTags: ctx.stackTags,
      isType: (cls) => isTypeOf(resource.type, cls),
      asType: ((cls: ResourceClass) => (isTypeOf(resource.type, cls) ? proxied : undefined)) as ResourceValidationArgs["asType"],
      getConfig: ctx.getConfigFor(p),
      notApplicable: throwNotApplicable,
    };
    try {
      const result: unknown = await Promise.resolve(policy.remediateResource(args));
      if (result !== undefined && result !== null && typeof result === "object") {
        props = plainResult(result) as Record<string, unknown>;
        ctx.remediations.push({ policyName: p.name, resourceName: resource.name, urn: ctx.urn, properties: structuredClone(props) });
      }
    } catch (e) {
      if (e instanceof UnknownValueError) ctx.violations.push({ ...ctx.unknownDiagnostic(p, e, resource.name, ctx.urn), message: `can't run remediation ${ctx.from(p).replace(/^policy /, "")} during preview: ${e.message}` });
      else if (e instanceof NotApplicableError) ctx.notApplicable.push({ policyName: p.name, resourceName: resource.name, reason: e.reason ?? "Policy does not apply" });
      else throw new Error(`Error remediating resource with ${ctx.from(p).replace(/^policy /, "remediation ")}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  return props;
}

const defaultUrn = (r: PolicyResourceInput): string => r.urn ?? `urn:pulumi:offline::${POLICY_PACK_NAME}::${r.type}::${r.name}`;

/**
 * Runs `policies` over `resources` like `pulumi preview --policy-pack`: every resource policy on every
 * resource (the engine's `Analyze`), then every stack policy once (`AnalyzeStack`).
 * @throws PolicyConfigError when `config` is invalid; Error when a policy throws (the engine fails the preview).
 */
export async function analyzeResources(policies: Policies, resources: readonly PolicyResourceInput[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const config = resolvePolicyConfig(policies, options.config);
  startRun();
  const packLevel = options.packEnforcementLevel ?? "advisory";
  const stackTags = options.stackTags ?? new Map<string, string>();
  const violations: Violation[] = [];
  const notApplicable: NotApplicable[] = [];
  // Each policy's level is fixed for the run: resolved once, not per resource.
  const levels = new Map(policies.map((p) => [p, config[p.name]?.enforcementLevel || p.enforcementLevel || packLevel]));
  const levelOf = (p: Policies[number]): EnforcementLevel => levels.get(p) ?? packLevel;
  const remediating = [...levels.values()].includes("remediate");
  const getConfigFor = (p: Policies[number]) => <T extends object>(): T => configCopy(config[p.name]?.properties ?? {}) as T;
  const from = (p: Policies[number]) => `policy '${p.name}' from policy pack '${POLICY_PACK_NAME}@v${POLICY_PACK_VERSION}'`;
  const unknownDiagnostic = (p: Policies[number], e: Error, resourceName: string, urn?: string): Violation => ({
    policyName: p.name,
    enforcementLevel: "advisory",
    message: `can't run ${from(p)} during preview: ${e.message}`,
    resourceName,
    ...(urn !== undefined ? { urn } : {}),
    description: p.description,
  });

  const remediations: Remediation[] = [];
  const remediated: PolicyResourceInput[] = [];
  for (const original of resources) {
    const urn = defaultUrn(original);
    const props = await remediate(policies, original, { remediating, urn, levelOf, getConfigFor, from, stackTags, remediations, violations, unknownDiagnostic, notApplicable });
    const resource: PolicyResourceInput = { ...original, props };
    remediated.push(resource);
    for (const p of policies) {
      let level = levelOf(p);
      if (level === "disabled" || !isResourcePolicy(p)) continue;
      const policy = p as ResourceValidationPolicy;
      if (!policy.validateResource) {
        notApplicable.push({ policyName: p.name, resourceName: resource.name, reason: "Policy does not implement validateResource" });
        continue;
      }
      if (level === "remediate") level = "mandatory";
      if (!Array.isArray(policy.validateResource)) {
        const pulumiType = getPulumiType(policy.validateResource);
        if (pulumiType !== undefined && resource.type !== pulumiType) {
          notApplicable.push({ policyName: p.name, resourceName: resource.name, reason: `Policy only applies to resources of type '${pulumiType}'` });
          continue;
        }
      }
      const effective: ViolationLevel = level;
      const report: ReportViolation = (message: string) => {
        violations.push({ policyName: p.name, enforcementLevel: effective, message, resourceName: resource.name, urn, description: p.description });
      };
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const validation of validations) {
        const onlyFor = typedValidationType(validation);
        if (onlyFor !== undefined && onlyFor !== resource.type) {
          notApplicable.push({ policyName: p.name, resourceName: resource.name, reason: `Policy only applies to resources of type '${onlyFor}'` });
          continue;
        }
        try {
          const props = unknownCheckingProxy(plain(resource.props) as Record<string, unknown>);
          const args: ResourceValidationArgs = {
            type: resource.type,
            props,
            urn,
            name: resource.name,
            opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], ...(resource.parent ? { parent: resource.parent } : {}) },
            stackTags,
            isType: (cls) => isTypeOf(resource.type, cls),
            asType: ((cls: ResourceClass) => (isTypeOf(resource.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
            getConfig: getConfigFor(p),
            notApplicable: throwNotApplicable,
          };
          // Most validations are synchronous: only a returned promise is awaited (a turn of the microtask queue each, otherwise).
          const pending = validation(args, report);
          if (pending !== undefined && typeof (pending as PromiseLike<void>).then === "function") await pending;
        } catch (e) {
          if (e instanceof UnknownValueError) violations.push(unknownDiagnostic(p, e, resource.name, urn));
          else if (e instanceof NotApplicableError) notApplicable.push({ policyName: p.name, resourceName: resource.name, reason: e.reason ?? "Policy does not apply" });
          else throw new Error(`Error validating resource with ${from(p)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
      }
    }
  }

  const urnToName = new Map(remediated.map((r) => [defaultUrn(r), r.name]));
  for (const p of policies) {
    let level = levelOf(p);
    if (level === "disabled" || !isStackPolicy(p)) continue;
    const policy = p as StackValidationPolicy;
    if (level === "remediate") level = "mandatory";
    const pulumiType = getPulumiType(policy.validateStack);
    if (pulumiType !== undefined && !remediated.some((r) => r.type === pulumiType)) {
      notApplicable.push({ policyName: p.name, reason: `Policy only applies to resources of type '${pulumiType}'` });
      continue;
    }
    const effective: ViolationLevel = level;
    const report: ReportViolation = (message: string, urn?: string) => {
      violations.push({
        policyName: p.name,
        enforcementLevel: effective,
        message,
        resourceName: urn !== undefined ? (urnToName.get(urn) ?? urn) : "(stack)",
        ...(urn !== undefined ? { urn } : {}),
        description: p.description,
      });
    };
    try {
      const built: PolicyResource[] = remediated.map((r) => {
        const props = unknownCheckingProxy(plain(r.props) as Record<string, unknown>);
        return {
          type: r.type,
          props,
          urn: defaultUrn(r),
          name: r.name,
          opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], ...(r.parent ? { parent: r.parent } : {}) },
          dependencies: [],
          propertyDependencies: {},
          isType: (cls) => isTypeOf(r.type, cls),
          asType: ((cls: ResourceClass) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
        };
      });
      const byUrn = new Map(built.map((b) => [b.urn, b]));
      remediated.forEach((r, i) => {
        const parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
        if (parent !== undefined) built[i].parent = parent;
        built[i].dependencies = (r.dependencies ?? []).flatMap((d) => byUrn.get(d) ?? []);
      });
      const args: StackValidationArgs = { resources: built, getConfig: getConfigFor(p), stackTags, notApplicable: throwNotApplicable };
      await Promise.resolve(policy.validateStack(args, report));
    } catch (e) {
      if (e instanceof UnknownValueError) violations.push(unknownDiagnostic(p, e, "(stack)"));
      else if (e instanceof NotApplicableError) notApplicable.push({ policyName: p.name, reason: e.reason ?? "Policy does not apply" });
      else throw new Error(`Error validating stack with ${from(p)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  return { remediations, violations, notApplicable };
}
