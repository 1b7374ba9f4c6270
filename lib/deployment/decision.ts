/**
 * The model deployer's pure decision: given one delivered event and the deployment rules, should a
 * model version be deployed, where, and under which deployment name? No I/O; live-state checks
 * (duplicates, newer versions already deployed) are the handler's job.
 */
import { sameArmId } from "../arm/ids";
import { createHash } from "crypto";
import { AmlEventParseError, describe, isCloudEvent, isRecord, parseAmlEvent } from "../events/parse";
import { AmlEventType } from "../events/types";
import { AdvancedFilter, FILTER_LIMITS } from "../filters/types";

/** How clients authenticate to the online endpoint the deployer creates. */
export const EndpointAuthMode = { Key: "Key", AADToken: "AADToken" } as const;
/** How clients authenticate to the online endpoint the deployer creates. */
export type EndpointAuthMode = (typeof EndpointAuthMode)[keyof typeof EndpointAuthMode];

/**
 * One deployment rule: when a registered model is one the rule names and its tags match, deploy it to
 * `endpointName`. A rule names its models (`models`) or says `anyModel: true`; a rule with neither is
 * refused, because tags alone let anyone who can register a model in the workspace replace the model
 * an endpoint serves.
 */
export interface DeployRule {
  /**
   * The Azure ML model names this rule may deploy, compared exactly (case and all). Required unless
   * `anyModel` is true. @default - none: the rule must name its models or set `anyModel: true`
   */
  readonly models?: string[];
  /**
   * `true` deploys any model whose tags match (not recommended: anyone who can register a model in the
   * workspace can then replace what the endpoint serves; construction warns and the policy pack reports
   * it). Never together with `models`. Typed `boolean` because Pulumi's component schema has no literal
   * types; `false` means the same as leaving it out. @default false - the rule deploys only the models it names
   */
  readonly anyModel?: boolean;
  /**
   * Tag conditions: for every key, the model's tag value must be one of the listed values. Keys and
   * values compare ignoring case, as Event Grid's advanced filter does (a model with several tags that
   * differ only in case needs an allowed value in each). At least one key.
   */
  readonly tags: { readonly [key: string]: string[] };
  /** The managed online endpoint to deploy to; created when missing. 3–32 characters, letter first, unique in the Azure region. */
  readonly endpointName: string;
  /** VM size of the deployment. @default "Standard_DS3_v2" */
  readonly instanceType?: string;
  /** Number of instances. @default 1 */
  readonly instanceCount?: number;
  /**
   * Share of the endpoint's traffic the new deployment receives, 0–100; the rest is scaled across the
   * others. @default - 100 when the endpoint serves nothing else or only older versions of the same
   * model; `DEFAULT_CANARY_PERCENT` (10) when another model serves traffic there
   */
  readonly trafficPercent?: number;
  /** Auth mode of the endpoint when the deployer creates it (an existing endpoint keeps its own). @default "Key" */
  readonly authMode?: EndpointAuthMode;
}

/** Inputs of `planModelDeployment`. */
export interface PlanOptions {
  /** ARM id of the workspace whose events are trusted; compared case-insensitively with the event's topic. */
  readonly workspaceId: string;
  /** The rules, in priority order: the first match wins. */
  readonly rules: readonly DeployRule[];
}

/** What to do with one event. */
export type Decision =
  | {
      readonly action: "deploy";
      readonly modelName: string;
      readonly modelVersion: string;
      readonly endpointName: string;
      readonly deploymentName: string;
      readonly rule: DeployRule;
    }
  | { readonly action: "ignore"; readonly reason: string };

/** Defaults applied to a rule's optional fields. */
export const DEPLOY_RULE_DEFAULTS = {
  instanceType: "Standard_DS3_v2",
  instanceCount: 1,
  authMode: "Key",
} as const satisfies Required<Pick<DeployRule, "instanceType" | "instanceCount" | "authMode">>;

/** The default share of a new model version on an endpoint where another model already serves traffic (a canary, not a takeover). */
export const DEFAULT_CANARY_PERCENT = 10;

/**
 * Azure ML's rule for model (asset) names: the `name` path parameter of model containers and versions
 * in `@azure/arm-machinelearning` 2.1.1 (REST API 2022-10-01) has the pattern
 * `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`: no dots, slashes, spaces or control characters.
 */
export const MODEL_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$/;
/**
 * Model versions this deployer accepts. The REST API gives the version parameter no pattern; versions
 * Azure ML assigns are whole numbers. We accept letters, digits, `.`, `_` and `-` (starting with a
 * letter or digit, no `..`, at most 64 characters), which keeps `../`, `/`, `?`, `#`, `%` and control
 * characters out of every URL and body.
 */
export const MODEL_VERSION_PATTERN = /^(?!.*\.\.)[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;

/** Why a model name or version from an event cannot be used in a URL or body; undefined when both are safe. */
export function modelReferenceProblem(modelName: string, modelVersion: string): string | undefined {
  if (!MODEL_NAME_PATTERN.test(modelName)) {
    return `model name ${JSON.stringify(modelName)} is not an Azure ML model name (letters, digits, '-' and '_', a letter or digit first, at most 255 characters)`;
  }
  if (!MODEL_VERSION_PATTERN.test(modelVersion)) {
    return `model version ${JSON.stringify(modelVersion)} is not a version this deployer accepts (letters, digits, '.', '_' and '-', a letter or digit first, no '..', at most 64 characters)`;
  }
  return undefined;
}

/** The share a rule gives a new deployment: its own `trafficPercent`, else 100 or `DEFAULT_CANARY_PERCENT` when another model serves on the endpoint. */
export function effectiveTrafficPercent(rule: DeployRule, anotherModelServes: boolean): number {
  if (rule.trafficPercent !== undefined) return rule.trafficPercent;
  return anotherModelServes ? DEFAULT_CANARY_PERCENT : 100;
}

/**
 * Azure ML's rule for online endpoint and deployment names (the azure-ai-ml SDK's
 * `validate_endpoint_or_deployment_name`): 3–32 characters, a letter first, then letters, digits
 * and hyphens, not ending with a hyphen.
 */
export const ONLINE_NAME_PATTERN = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** Shortest and longest online endpoint/deployment names Azure ML accepts. */
export const ONLINE_NAME_LENGTH = { min: 3, max: 32 } as const;

/** Managed online deployment VM sizes are Azure VM SKU names such as `Standard_DS3_v2` or `Standard_NC6s_v3`. */
export const INSTANCE_TYPE_PATTERN = /^Standard_[A-Z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/;

/** Online endpoint names are unique per Azure region, across all customers: said wherever a name is rejected. */
export const ENDPOINT_UNIQUENESS_HINT =
  "Online endpoint names must be unique within the Azure region (across every subscription), so prefer a name with your organisation or workspace in it, e.g. \"contoso-churn-prod\".";

/** The problems with an online endpoint or deployment name (empty when valid). */
export function onlineNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < ONLINE_NAME_LENGTH.min || name.length > ONLINE_NAME_LENGTH.max) {
    problems.push(`is ${name.length} characters long; Azure ML needs ${ONLINE_NAME_LENGTH.min}–${ONLINE_NAME_LENGTH.max}`);
  }
  if (!ONLINE_NAME_PATTERN.test(name)) {
    problems.push("must start with a letter, contain only letters, digits and hyphens, and not end with a hyphen");
  }
  return problems;
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 6);
}

function sanitize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The deployment name for a model version: deterministic, valid for Azure ML (3–32 characters,
 * letter first, letters/digits/hyphens), readable: `{sanitized model name}-v{version}`, e.g.
 * `sklearn-regression-model-v20`. When that is too long, the name part is cut and a 6-hex hash of
 * the full model name keeps different long names apart: `{prefix}-{hash}-v{version}`.
 * Names that differ only in characters the sanitizing replaces (case, `_` vs `-`) map to the same
 * deployment name; the handler notices when an existing deployment of that name serves another model.
 */
export function deploymentNameFor(modelName: string, modelVersion: string): string {
  let version = sanitize(modelVersion);
  if (version === "" || version.length > 12) version = shortHash(modelVersion);
  const suffix = `-v${version}`;
  let base = sanitize(modelName);
  if (base === "") base = `m-${shortHash(modelName)}`;
  else if (!/^[a-z]/.test(base)) base = `m-${base}`;
  const max = ONLINE_NAME_LENGTH.max - suffix.length;
  if (base.length > max) {
    const keep = max - 7; // "-" + 6 hash characters
    base = `${base.slice(0, keep).replace(/-+$/, "")}-${shortHash(modelName)}`;
  }
  return `${base}${suffix}`;
}

/** The model version's full ARM id under the workspace: `…/workspaces/{ws}/models/{name}/versions/{version}`. */
export function modelVersionId(workspaceId: string, modelName: string, modelVersion: string): string {
  return `${workspaceId.replace(/\/+$/, "")}/models/${modelName}/versions/${modelVersion}`;
}


/**
 * The model's values for a rule's tag key: every tag whose key equals it ignoring case, as Event Grid's
 * advanced filter compares keys (see `lib/filters/semantics.ts`, "data key case": Microsoft's AML
 * filter examples write `data.ModelTags.key1` for camelCase payloads). When a model carries several
 * tags that differ only in case, every one must hold an allowed value: whichever one Event Grid reads,
 * a model the handler deploys also passes the filter (never looser than Event Grid).
 */
export function tagValues(modelTags: Readonly<Record<string, string>>, key: string): string[] {
  const lower = key.toLowerCase();
  return Object.keys(modelTags)
    .filter((k) => k.toLowerCase() === lower)
    .map((k) => modelTags[k]);
}

/** True when the rule may deploy `modelName`: it names it exactly, or says `anyModel: true`. */
export function ruleNamesModel(rule: DeployRule, modelName: string): boolean {
  if (rule.anyModel === true) return true;
  return (rule.models ?? []).includes(modelName);
}

function tagsHold(rule: DeployRule, modelTags: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(rule.tags);
  if (keys.length === 0) return false; // never matches: a rule without tags would deploy everything
  return keys.every((key) => {
    const values = tagValues(modelTags, key);
    const allowed = rule.tags[key].map((v) => v.toLowerCase());
    return values.length > 0 && values.every((v) => allowed.includes(v.toLowerCase()));
  });
}

/** The first rule that names `modelName` and whose every tag condition holds, with its index; undefined when none does. */
export function matchRule(
  modelName: string,
  modelTags: Readonly<Record<string, string>>,
  rules: readonly DeployRule[],
): { readonly rule: DeployRule; readonly index: number } | undefined {
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (ruleNamesModel(rule, modelName) && tagsHold(rule, modelTags)) return { rule, index };
  }
  return undefined;
}

const loose = (text: string): string => text.trim().toLowerCase().replace(/[-_\s]+/g, "-");

/**
 * Why rules that almost match do not: a model name that differs from a named one only in case or
 * `-`/`_`, or a tag value that differs from an allowed one only in spaces or `-`/`_`. Said in the
 * ignore reason and logged as a warning, so a misspelling never passes silently.
 */
export function nearMisses(modelName: string, modelTags: Readonly<Record<string, string>>, rules: readonly DeployRule[]): string[] {
  const out: string[] = [];
  rules.forEach((rule, i) => {
    const named = ruleNamesModel(rule, modelName);
    const similar = (rule.models ?? []).find((m) => m !== modelName && loose(m) === loose(modelName));
    if (!named && similar !== undefined && tagsHold(rule, modelTags)) {
      out.push(`rules[${i}] names ${JSON.stringify(similar)}, not ${JSON.stringify(modelName)} (model names compare exactly)`);
    }
    if (!named) return;
    for (const [key, allowed] of Object.entries(rule.tags)) {
      for (const value of tagValues(modelTags, key)) {
        const close = allowed.find((a) => a.toLowerCase() !== value.toLowerCase() && loose(a) === loose(value));
        if (close !== undefined) out.push(`rules[${i}].tags.${key} allows ${JSON.stringify(close)}, the model has ${JSON.stringify(value)}`);
      }
    }
  });
  return out;
}

/**
 * Decides what to do with one delivered event (Event Grid schema or CloudEvents 1.0):
 * 1. the topic must be the configured workspace (ARM ids compared case-insensitively);
 * 2. the event type must be ModelRegistered;
 * 3. the payload must carry a model name and version (camelCase or PascalCase; version string or number);
 * 4. the model name and version must be safe in URLs and bodies (`modelReferenceProblem`);
 * 5. the first rule that names the model (or says `anyModel: true`) and whose tag conditions all hold
 *    wins; no match → ignore, with any near misses in the reason.
 * Never throws: malformed input is an `ignore` with the reason.
 */
export function planModelDeployment(event: unknown, options: PlanOptions): Decision {
  if (!isRecord(event)) return { action: "ignore", reason: `not an event: expected a JSON object, got ${describe(event)}` };
  const cloud = isCloudEvent(event);
  const topic = cloud ? event.source : event.topic;
  const eventType = cloud ? event.type : event.eventType;
  if (typeof topic !== "string" || !sameArmId(topic, options.workspaceId)) {
    return { action: "ignore", reason: `foreign topic ${describe(topic)}: this deployer only trusts ${options.workspaceId}` };
  }
  if (typeof eventType !== "string" || eventType.toLowerCase() !== AmlEventType.ModelRegistered.toLowerCase()) {
    return { action: "ignore", reason: `event type ${describe(eventType)} is not ${AmlEventType.ModelRegistered}` };
  }
  let parsed;
  try {
    parsed = parseAmlEvent(cloud ? { ...event, type: AmlEventType.ModelRegistered } : { ...event, eventType: AmlEventType.ModelRegistered });
  } catch (e) {
    if (e instanceof AmlEventParseError) return { action: "ignore", reason: `malformed event: ${e.message}` };
    throw e;
  }
  if (parsed.eventType !== AmlEventType.ModelRegistered) {
    return { action: "ignore", reason: `event type ${parsed.eventType} is not ${AmlEventType.ModelRegistered}` };
  }
  const { modelName, modelVersion, modelTags } = parsed.data;
  if (modelName.trim() === "" || modelVersion.trim() === "") {
    return { action: "ignore", reason: `malformed event: model name ${describe(modelName)} and version ${describe(modelVersion)} must be non-empty` };
  }
  const unsafe = modelReferenceProblem(modelName, modelVersion);
  if (unsafe !== undefined) return { action: "ignore", reason: `malformed event: ${unsafe}; nothing is deployed` };
  const match = matchRule(modelName, modelTags, options.rules);
  if (match === undefined) {
    const misses = nearMisses(modelName, modelTags, options.rules);
    return {
      action: "ignore",
      reason: `no rule matches model ${modelName}:${modelVersion} with tags ${JSON.stringify(modelTags)}${misses.length > 0 ? ` (near misses: ${misses.join("; ")})` : ""}`,
    };
  }
  return {
    action: "deploy",
    modelName,
    modelVersion,
    endpointName: match.rule.endpointName,
    deploymentName: deploymentNameFor(modelName, modelVersion),
    rule: match.rule,
  };
}

const RULE_KEYS = ["models", "anyModel", "tags", "endpointName", "instanceType", "instanceCount", "trafficPercent", "authMode"] as const;

/** The fix said whenever a rule does not name its models. */
const NAME_MODELS_FIX =
  'add models: ["<the AML model name>"] (the exact names this rule may deploy), or anyModel: true to deploy any model whose tags match (anyone who can register a model in the workspace could then replace what the endpoint serves)';

function modelProblems(at: string, rule: Record<string, unknown>): string[] {
  const { models, anyModel } = rule;
  if (anyModel !== undefined && typeof anyModel !== "boolean") return [`${at}.anyModel: got ${describe(anyModel)}; expected true (deploy any model with matching tags) or nothing.`];
  if (anyModel === true && models !== undefined) {
    return [`${at}: has both models and anyModel: true; keep models (the rule deploys only those) or remove it to deploy any model.`];
  }
  if (anyModel === true) return [];
  if (models === undefined) return [`${at}: names no model, so any model with matching tags would be deployed; ${NAME_MODELS_FIX}.`];
  if (!Array.isArray(models) || models.length === 0) return [`${at}.models: got ${describe(models)}; expected a non-empty list of AML model names, e.g. ["credit-default"].`];
  return models.flatMap((m: unknown, j) =>
    typeof m === "string" && MODEL_NAME_PATTERN.test(m)
      ? []
      : [`${at}.models[${j}]: got ${describe(m)}; an AML model name has letters, digits, '-' and '_' (a letter or digit first, at most 255 characters).`],
  );
}

function tagProblems(at: string, tags: unknown): string[] {
  if (!isRecord(tags) || Object.keys(tags).length === 0) {
    return [`${at}.tags: got ${describe(tags)}; a rule must reference at least one model tag, e.g. {stage: ["production"]} — a rule without tags would deploy every registered model.`];
  }
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [key, values] of Object.entries(tags)) {
    if (key.trim() === "") problems.push(`${at}.tags: a tag key is empty; use the model tag's name.`);
    if (key.includes(".")) problems.push(`${at}.tags.${key}: tag keys with '.' cannot be matched by Event Grid filters (no escaping of dots); rename the tag.`);
    const twin = seen.get(key.toLowerCase());
    if (twin !== undefined) problems.push(`${at}.tags: keys ${JSON.stringify(twin)} and ${JSON.stringify(key)} differ only in case, and tag keys compare ignoring case (as in Event Grid); keep one.`);
    seen.set(key.toLowerCase(), key);
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string" && v !== "")) {
      problems.push(`${at}.tags.${key}: expected a non-empty list of non-empty strings, got ${describe(values)}.`);
    } else if (values.some((v: string) => v.length > FILTER_LIMITS.maxStringValueLength)) {
      problems.push(`${at}.tags.${key}: a value is longer than Event Grid's ${FILTER_LIMITS.maxStringValueLength} characters; shorten it.`);
    }
  }
  return problems;
}

function sizingProblems(at: string, rule: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const endpointName = rule.endpointName;
  if (typeof endpointName !== "string") {
    problems.push(`${at}.endpointName: expected a string, got ${describe(endpointName)}.`);
  } else {
    const nameProblems = onlineNameProblems(endpointName);
    if (nameProblems.length > 0) {
      problems.push(`${at}.endpointName ${JSON.stringify(endpointName)} ${nameProblems.join(" and ")}; e.g. "contoso-churn-prod". ${ENDPOINT_UNIQUENESS_HINT}`);
    }
  }
  if (rule.instanceType !== undefined && (typeof rule.instanceType !== "string" || !INSTANCE_TYPE_PATTERN.test(rule.instanceType))) {
    problems.push(`${at}.instanceType: got ${describe(rule.instanceType)}; expected an Azure VM size such as "Standard_DS3_v2" or "Standard_F4s_v2".`);
  }
  const count = rule.instanceCount;
  if (count !== undefined && (typeof count !== "number" || !Number.isInteger(count) || count < 1)) {
    problems.push(`${at}.instanceCount: got ${describe(count)}; expected a whole number of instances, at least 1.`);
  }
  const traffic = rule.trafficPercent;
  if (traffic !== undefined && (typeof traffic !== "number" || !Number.isInteger(traffic) || traffic < 0 || traffic > 100)) {
    problems.push(`${at}.trafficPercent: got ${describe(traffic)}; expected a whole percentage from 0 to 100.`);
  }
  if (rule.authMode !== undefined && rule.authMode !== "Key" && rule.authMode !== "AADToken") {
    problems.push(`${at}.authMode: got ${describe(rule.authMode)}; expected "Key" or "AADToken".`);
  }
  return problems;
}

/**
 * Validates deployment rules given as data (component args or the `DEPLOY_RULES` app setting).
 * Returns one message per problem, each naming the rule, the value received and what is expected.
 */
export function validateDeployRules(rules: unknown): string[] {
  if (!Array.isArray(rules)) return [`rules: expected an array of deployment rules, got ${describe(rules)}.`];
  if (rules.length === 0) {
    return ['rules: got an empty list; give at least one rule, e.g. {models: ["credit-default"], tags: {stage: ["production"]}, endpointName: "contoso-credit-prod"}.'];
  }
  return rules.flatMap((rule: unknown, i) => {
    const at = `rules[${i}]`;
    if (!isRecord(rule)) return [`${at}: expected an object like {models, tags, endpointName}, got ${describe(rule)}.`];
    const unknown = Object.keys(rule)
      .filter((key) => !(RULE_KEYS as readonly string[]).includes(key))
      .map((key) => `${at}: unknown property '${key}'; allowed: ${RULE_KEYS.join(", ")}.`);
    return [...unknown, ...modelProblems(at, rule), ...tagProblems(at, rule.tags), ...sizingProblems(at, rule)];
  });
}

/**
 * Warnings about valid rules (said at construction, never fatal): a rule with `anyModel: true`, and
 * tag values in one rule that differ only in case (they compare ignoring case, so one is redundant).
 */
export function deployRuleWarnings(rules: readonly DeployRule[]): string[] {
  const out: string[] = [];
  rules.forEach((rule, i) => {
    if (rule.anyModel === true) {
      out.push(
        `rules[${i}] (endpoint ${rule.endpointName}) sets anyModel to true, so every model registered in the workspace with matching tags is deployed and can take traffic from the model serving there; name the models instead (models: [...]).`,
      );
    }
    for (const [key, values] of Object.entries(rule.tags)) {
      const lower = values.map((v) => v.toLowerCase());
      if (new Set(lower).size !== lower.length) out.push(`rules[${i}].tags.${key}: values ${JSON.stringify(values)} repeat a value in another case; values compare ignoring case, so keep one.`);
    }
  });
  return out;
}

/** Parses and validates rules from JSON (the `DEPLOY_RULES` app setting); throws with every problem listed. */
export function parseDeployRules(json: string): DeployRule[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new Error(`DEPLOY_RULES is not valid JSON (${(e as Error).message}); set it to a JSON array of rules.`);
  }
  const problems = validateDeployRules(value);
  if (problems.length > 0) throw new Error(`DEPLOY_RULES is invalid:\n${problems.join("\n")}`);
  return value as DeployRule[];
}

/** The Event Grid key of the model name in real (camelCase) ModelRegistered payloads. */
export const MODEL_NAME_FILTER_KEY = "data.modelName";

/** The Event Grid key of a model tag in real (camelCase) ModelRegistered payloads. */
export function modelTagFilterKey(tagKey: string): string {
  return `data.modelTags.${tagKey}`;
}

/**
 * Pushes the rules' tag conditions into Event Grid advanced filters so unrelated registrations never
 * invoke the function. Rules are OR'd (first match wins) but a subscription's advanced filters are
 * AND'd, so only what is implied by EVERY rule may be pushed:
 * - one rule → one `StringIn` per tag key: exactly the rule;
 * - several rules → a `StringIn` only for keys every rule constrains, with the union of their
 *   values: a superset of the rules (the handler still decides exactly).
 * When every rule names its models, a `StringIn` on `data.modelName` carries their union.
 * Event Grid compares string values and keys ignoring case, like the rules. Keys containing `.` are
 * skipped (Event Grid cannot escape dots). When the result would exceed `budget` (filters or values
 * left in the subscription), the filters with the most values are dropped first — still a superset.
 * Keys use the real camelCase payload (`data.modelTags.<key>`); documented PascalCase payloads
 * (`ModelTags`) are not what workspaces send.
 */
export function deployRulesToAdvancedFilters(
  rules: readonly DeployRule[],
  budget: { readonly filters: number; readonly values: number } = {
    filters: FILTER_LIMITS.maxAdvancedFilters,
    values: FILTER_LIMITS.maxAdvancedFilterValues,
  },
): AdvancedFilter[] {
  if (rules.length === 0) return [];
  const union = (lists: readonly (readonly string[])[]): string[] => {
    const seen = new Set<string>();
    return lists.flat().filter((v) => !seen.has(v.toLowerCase()) && seen.add(v.toLowerCase()) !== undefined);
  };
  // Tag keys compare ignoring case in Event Grid and in matchRule alike.
  const valuesOf = (rule: DeployRule, key: string): string[] | undefined =>
    Object.entries(rule.tags).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  const common = Object.keys(rules[0].tags).filter((key) => !key.includes(".") && rules.every((r) => valuesOf(r, key) !== undefined));
  const filters: AdvancedFilter[] = common.map((key) => ({
    operatorType: "StringIn" as const,
    key: modelTagFilterKey(key),
    values: union(rules.map((r) => valuesOf(r, key) ?? [])),
  }));
  // Model names: Event Grid compares them ignoring case (a superset); the handler compares exactly.
  if (rules.every((r) => r.anyModel !== true && (r.models ?? []).length > 0)) {
    filters.unshift({ operatorType: "StringIn", key: MODEL_NAME_FILTER_KEY, values: union(rules.map((r) => r.models ?? [])) });
  }
  const kept = [...filters];
  const count = (f: AdvancedFilter): number => ("values" in f ? f.values.length : 1);
  const total = (): number => kept.reduce((n, f) => n + count(f), 0);
  while (kept.length > 0 && (kept.length > budget.filters || total() > budget.values)) {
    let widest = 0;
    kept.forEach((f, i) => {
      if (count(f) > count(kept[widest])) widest = i;
    });
    kept.splice(widest, 1);
  }
  return kept;
}
