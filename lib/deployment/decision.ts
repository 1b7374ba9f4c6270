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

/** One deployment rule: when a registered model's tags match, deploy it to `endpointName`. */
export interface DeployRule {
  /**
   * Tag conditions: for every key, the model's tag value must be one of the listed values
   * (values compared case-insensitively, keys exactly). At least one key.
   */
  readonly tags: { readonly [key: string]: string[] };
  /** The managed online endpoint to deploy to; created when missing. 3–32 characters, letter first. */
  readonly endpointName: string;
  /** VM size of the deployment. @default "Standard_DS3_v2" */
  readonly instanceType?: string;
  /** Number of instances. @default 1 */
  readonly instanceCount?: number;
  /** Share of the endpoint's traffic the new deployment receives, 0–100; the rest is scaled across the others. @default 100 */
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
  trafficPercent: 100,
  authMode: "Key",
} as const satisfies Required<Pick<DeployRule, "instanceType" | "instanceCount" | "trafficPercent" | "authMode">>;

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


/** The first rule whose every tag condition holds for `modelTags`, with its index; undefined when none does. */
export function matchRule(
  modelTags: Readonly<Record<string, string>>,
  rules: readonly DeployRule[],
): { readonly rule: DeployRule; readonly index: number } | undefined {
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    const keys = Object.keys(rule.tags);
    if (keys.length === 0) continue; // never matches: a rule without tags would deploy everything
    const ok = keys.every((key) => {
      const value = modelTags[key];
      if (value === undefined) return false;
      const lower = value.toLowerCase();
      return rule.tags[key].some((allowed) => allowed.toLowerCase() === lower);
    });
    if (ok) return { rule, index };
  }
  return undefined;
}

/**
 * Decides what to do with one delivered event (Event Grid schema or CloudEvents 1.0):
 * 1. the topic must be the configured workspace (ARM ids compared case-insensitively);
 * 2. the event type must be ModelRegistered;
 * 3. the payload must carry a model name and version (camelCase or PascalCase; version string or number);
 * 4. the first rule whose tag conditions all hold wins; no match → ignore.
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
  const match = matchRule(modelTags, options.rules);
  if (match === undefined) {
    return {
      action: "ignore",
      reason: `no rule matches model ${modelName}:${modelVersion} with tags ${JSON.stringify(modelTags)}`,
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

const RULE_KEYS = ["tags", "endpointName", "instanceType", "instanceCount", "trafficPercent", "authMode"] as const;

/**
 * Validates deployment rules given as data (component args or the `DEPLOY_RULES` app setting).
 * Returns one message per problem, each naming the rule, the value received and what is expected.
 */
export function validateDeployRules(rules: unknown): string[] {
  if (!Array.isArray(rules)) return [`rules: expected an array of deployment rules, got ${describe(rules)}.`];
  if (rules.length === 0) return ["rules: got an empty list; give at least one rule, e.g. {tags: {stage: [\"production\"]}, endpointName: \"ep-prod\"}."];
  const problems: string[] = [];
  rules.forEach((rule: unknown, i) => {
    const at = `rules[${i}]`;
    if (!isRecord(rule)) {
      problems.push(`${at}: expected an object like {tags, endpointName}, got ${describe(rule)}.`);
      return;
    }
    for (const key of Object.keys(rule)) {
      if (!(RULE_KEYS as readonly string[]).includes(key)) {
        problems.push(`${at}: unknown property '${key}'; allowed: ${RULE_KEYS.join(", ")}.`);
      }
    }
    const tags = rule.tags;
    if (!isRecord(tags) || Object.keys(tags).length === 0) {
      problems.push(
        `${at}.tags: got ${describe(tags)}; a rule must reference at least one model tag, e.g. {stage: ["production"]} — a rule without tags would deploy every registered model.`,
      );
    } else {
      for (const [key, values] of Object.entries(tags)) {
        if (key.trim() === "") problems.push(`${at}.tags: a tag key is empty; use the model tag's name.`);
        if (key.includes(".")) {
          problems.push(`${at}.tags.${key}: tag keys with '.' cannot be matched by Event Grid filters (no escaping of dots); rename the tag.`);
        }
        if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string" && v !== "")) {
          problems.push(`${at}.tags.${key}: expected a non-empty list of non-empty strings, got ${describe(values)}.`);
        } else if (values.some((v: string) => v.length > FILTER_LIMITS.maxStringValueLength)) {
          problems.push(`${at}.tags.${key}: a value is longer than Event Grid's ${FILTER_LIMITS.maxStringValueLength} characters; shorten it.`);
        }
      }
    }
    const endpointName = rule.endpointName;
    if (typeof endpointName !== "string") {
      problems.push(`${at}.endpointName: expected a string, got ${describe(endpointName)}.`);
    } else {
      const nameProblems = onlineNameProblems(endpointName);
      if (nameProblems.length > 0) {
        problems.push(`${at}.endpointName ${JSON.stringify(endpointName)} ${nameProblems.join(" and ")}; e.g. "ep-churn-prod". ${ENDPOINT_UNIQUENESS_HINT}`);
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
  });
  return problems;
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
 * Event Grid compares string values case-insensitively, like the rules. Keys containing `.` are
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
  const common = Object.keys(rules[0].tags).filter((key) => !key.includes(".") && rules.every((r) => key in r.tags));
  const filters = common.map((key) => {
    const seen = new Set<string>();
    const values: string[] = [];
    for (const rule of rules) {
      for (const v of rule.tags[key]) {
        if (seen.has(v.toLowerCase())) continue;
        seen.add(v.toLowerCase());
        values.push(v);
      }
    }
    return { operatorType: "StringIn" as const, key: modelTagFilterKey(key), values };
  });
  const kept = [...filters];
  const total = (): number => kept.reduce((n, f) => n + f.values.length, 0);
  while (kept.length > 0 && (kept.length > budget.filters || total() > budget.values)) {
    let widest = 0;
    kept.forEach((f, i) => {
      if (f.values.length > kept[widest].values.length) widest = i;
    });
    kept.splice(widest, 1);
  }
  return kept;
}
