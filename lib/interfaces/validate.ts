/**
 * Pure validation of the AVM interfaces (types.ts). Each `validateX(component, argName, value)`
 * returns one message per problem; a message names the component, the argument, the value received
 * and the fix. ARM ids are parsed strictly with lib/rbac/armScope.ts (no `..`, encodings or empty
 * segments), and roles are resolved and judged with lib/rbac (see roleAssignments.ts).
 *
 * Limits, with their sources:
 * - Tags: at most 50 per resource; names up to 512 characters (128 on storage accounts, which several
 *   components create, so 128 here), values up to 256; names can't contain `< > % & \ ? /`
 *   (Learn, "Use tags to organize your Azure resources", Limitations:
 *   https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations).
 * - Locks: a name of at most 260 characters without `< > % & : \ ? /` or control characters; notes of
 *   at most 512 characters (REST "Management Locks - Create Or Update At Resource Level":
 *   https://learn.microsoft.com/rest/api/resources/management-locks/create-or-update-at-resource-level).
 * - Diagnostic settings: at most five per resource (Learn, "Diagnostic settings in Azure Monitor":
 *   https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings); category groups
 *   `allLogs` and `audit`, and a setting that uses a group takes no individual categories (same page,
 *   "Category groups"). Destinations reused across settings: diagnosticSinks.ts.
 */
import { normalizeGuid, parseArmScope } from "../rbac/armScope";
import { KeyTable, unknownArgumentProblems } from "../workspace/argKeys";
import { resolveRoleProblems } from "./roleAssignments";
import { AvmInterfaces, DiagnosticSetting, Lock, ManagedIdentities, PrincipalType, RoleAssignment } from "./types";

const show = (v: unknown): string => (v === undefined ? "undefined" : JSON.stringify(v));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `…/providers/{namespace}/{type}/{name}` (and deeper pairs) as `{type path, names}` after a strict parse, or the problem. */
export function armResourceProblem(value: string, expectedType: string, example: string): string | undefined {
  const parsed = parseArmScope(value);
  if ("error" in parsed) return `${parsed.error}; expected ${example}`;
  const segs = parsed.normalized.split("/").slice(1);
  const wanted = expectedType.split("/");
  // subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}(/{type}/{name})*
  const types = [segs[5], ...segs.slice(6).filter((_, i) => i % 2 === 0)];
  const same = parsed.kind === "resource" && types.length === wanted.length && types.every((t, i) => t?.toLowerCase() === wanted[i].toLowerCase());
  return same ? undefined : `is not a ${expectedType} id; expected ${example}`;
}

/** The ARM id of `type` with placeholders, for messages. */
export function exampleId(type: string, names: readonly string[]): string {
  const [ns, ...types] = type.split("/");
  return `/subscriptions/{subscription}/resourceGroups/{group}/providers/${ns}/${types.map((t, i) => `${t}/{${names[i]}}`).join("/")}`;
}

/** Problems with `tags`: a plain object of string values within Azure's limits. */
export function validateTags(component: string, argName: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) return [`${component}: ${argName} ${show(value)} is not an object of tag names to string values; pass e.g. { env: "prod" }.`];
  const problems: string[] = [];
  const entries = Object.entries(value);
  if (entries.length > 50) problems.push(`${component}: ${argName} has ${entries.length} tags; Azure allows at most 50 per resource. Drop some.`);
  for (const [k, v] of entries) {
    if (typeof v !== "string") problems.push(`${component}: ${argName}.${k} is ${show(v)}; tag values are strings. Pass ${JSON.stringify(String(v))}.`);
    else if (v.length > 256) problems.push(`${component}: ${argName}.${k} is ${v.length} characters long; Azure allows 256. Shorten it.`);
    if (k.length === 0 || k.length > 128) problems.push(`${component}: ${argName} has a tag name of ${k.length} characters (${show(k)}); use 1-128 characters (storage accounts allow 128).`);
    if (/[<>%&\\?/]/.test(k)) problems.push(`${component}: ${argName} tag name ${show(k)} contains one of < > % & \\ ? /, which Azure refuses in tag names; rename it.`);
  }
  return problems;
}

const LOCK_KEYS: KeyTable = { kind: true, name: true, notes: true };

/** Problems with `lock`: kind exactly `CanNotDelete` or `ReadOnly`, a name and notes within Azure's limits. */
export function validateLock(component: string, argName: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) return [`${component}: ${argName} ${show(value)} is not a lock; pass { kind: "CanNotDelete" } or { kind: "ReadOnly" }.`];
  const lock = value as Partial<Lock> & Record<string, unknown>;
  const problems = unknownArgumentProblems(lock, LOCK_KEYS, `${argName}.`).map((p) => `${component}: ${p}`);
  const kind: unknown = lock.kind;
  if (kind !== "CanNotDelete" && kind !== "ReadOnly") {
    const close = typeof kind === "string" ? ["CanNotDelete", "ReadOnly"].find((k) => k.toLowerCase() === kind.replace(/[\s_-]/g, "").toLowerCase()) : undefined;
    problems.push(`${component}: ${argName}.kind ${show(kind)} is not a lock level; use ${close ? `"${close}" (exact case)` : `"CanNotDelete" or "ReadOnly"`}.`);
  }
  if (lock.name !== undefined) {
    // eslint-disable-next-line no-control-regex
    if (typeof lock.name !== "string" || lock.name.length === 0 || lock.name.length > 260 || /[<>%&:\\?/\u0000-\u001f]/.test(lock.name)) {
      problems.push(`${component}: ${argName}.name ${show(lock.name)} is not a lock name; use 1-260 characters without < > % & : \\ ? / or control characters.`);
    }
  }
  if (lock.notes !== undefined && (typeof lock.notes !== "string" || lock.notes.length > 512)) {
    problems.push(`${component}: ${argName}.notes must be a string of at most 512 characters; got ${typeof lock.notes === "string" ? `${lock.notes.length} characters` : show(lock.notes)}.`);
  }
  return problems;
}

const DIAGNOSTIC_KEYS: KeyTable = {
  name: true,
  workspaceResourceId: true,
  storageAccountResourceId: true,
  eventHubAuthorizationRuleResourceId: true,
  eventHubName: true,
  logCategoriesAndGroups: true,
  metricCategories: true,
  logAnalyticsDestinationType: true,
};

/** The id targets of a diagnostic setting: argument, expected type, id placeholders. */
const DIAGNOSTIC_TARGETS = [
  ["workspaceResourceId", "Microsoft.OperationalInsights/workspaces", ["workspace"]],
  ["storageAccountResourceId", "Microsoft.Storage/storageAccounts", ["account"]],
  ["eventHubAuthorizationRuleResourceId", "Microsoft.EventHub/namespaces/authorizationRules", ["namespace", "rule"]],
] as const;

/** Problems with one id-valued argument that must be a resource of `type` (unknown values pass). */
export function resourceIdProblems(component: string, arg: string, value: unknown, type: string, names: readonly string[]): string[] {
  if (value === undefined || (typeof value === "object" && value !== null)) return []; // an Output, checked by Azure
  const example = exampleId(type, names);
  if (typeof value !== "string") return [`${component}: ${arg} ${show(value)} is not an ARM id; expected ${example}.`];
  const problem = armResourceProblem(value, type, example);
  return problem === undefined ? [] : [`${component}: ${arg} ${show(value)} ${problem}.`];
}

function diagnosticCategoryProblems(component: string, at: string, d: Partial<DiagnosticSetting>): string[] {
  const problems: string[] = [];
  const logs: unknown = d.logCategoriesAndGroups;
  if (logs !== undefined && !Array.isArray(logs)) problems.push(`${component}: ${at}.logCategoriesAndGroups ${show(logs)} is not a list; pass e.g. [{ categoryGroup: "allLogs" }].`);
  for (const [j, c] of (Array.isArray(logs) ? logs : []).entries()) {
    const where = `${at}.logCategoriesAndGroups[${j}]`;
    const entry = isPlainObject(c) ? c : {};
    problems.push(...unknownArgumentProblems(c, { category: true, categoryGroup: true }, `${where}.`).map((p) => `${component}: ${p}`));
    const has = (k: string) => typeof entry[k] === "string" && (entry[k] as string).length > 0;
    if (has("category") === has("categoryGroup")) problems.push(`${component}: ${where} ${show(c)} must set exactly one of category or categoryGroup; e.g. { categoryGroup: "allLogs" }.`);
    if (has("categoryGroup") && entry.categoryGroup !== "allLogs" && entry.categoryGroup !== "audit") {
      problems.push(`${component}: ${where}.categoryGroup ${show(entry.categoryGroup)} is not a category group; use "allLogs" or "audit" (exact case).`);
    }
  }
  const entries = (Array.isArray(logs) ? logs : []).filter(isPlainObject);
  if (entries.some((c) => c.categoryGroup !== undefined && c.category === undefined) && entries.some((c) => c.category !== undefined && c.categoryGroup === undefined)) {
    problems.push(
      `${component}: ${at}.logCategoriesAndGroups ${show(logs)} mixes category groups and categories; Azure takes one or the other in a setting ` +
        `("If you do use category groups in a diagnostic setting, you can't select individual category types"). Keep the group, or list categories only.`,
    );
  }
  const metrics: unknown = d.metricCategories;
  if (metrics !== undefined && !Array.isArray(metrics)) problems.push(`${component}: ${at}.metricCategories ${show(metrics)} is not a list; pass e.g. [{ category: "AllMetrics" }].`);
  for (const [j, m] of (Array.isArray(metrics) ? metrics : []).entries()) {
    const category = isPlainObject(m) ? m.category : undefined;
    if (typeof category !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(category)) problems.push(`${component}: ${at}.metricCategories[${j}] ${show(m)} needs a category name, e.g. { category: "AllMetrics" }.`);
  }
  if (Array.isArray(logs) && logs.length === 0 && Array.isArray(metrics) && metrics.length === 0) {
    problems.push(`${component}: ${at} sends no logs and no metrics (both lists are empty); drop the entry or name a category.`);
  }
  return problems;
}

function diagnosticTargetProblems(component: string, at: string, d: Partial<DiagnosticSetting>): string[] {
  const problems: string[] = [];
  for (const [arg, type, names] of DIAGNOSTIC_TARGETS) problems.push(...resourceIdProblems(component, `${at}.${arg}`, d[arg], type, names));
  if (d.workspaceResourceId === undefined && d.storageAccountResourceId === undefined && d.eventHubAuthorizationRuleResourceId === undefined) {
    problems.push(`${component}: ${at} has no target; set workspaceResourceId, storageAccountResourceId or eventHubAuthorizationRuleResourceId (the component does not create one).`);
  }
  if (d.eventHubName !== undefined && d.eventHubAuthorizationRuleResourceId === undefined) {
    problems.push(`${component}: ${at}.eventHubName ${show(d.eventHubName)} is set without eventHubAuthorizationRuleResourceId; name the namespace's authorization rule too.`);
  }
  if (d.eventHubName !== undefined && (typeof d.eventHubName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/.test(d.eventHubName))) {
    problems.push(`${component}: ${at}.eventHubName ${show(d.eventHubName)} is not an event hub name; use 1-256 letters, digits, periods, hyphens and underscores.`);
  }
  const dest: unknown = d.logAnalyticsDestinationType;
  if (dest !== undefined && dest !== "Dedicated" && dest !== "AzureDiagnostics") {
    problems.push(`${component}: ${at}.logAnalyticsDestinationType ${show(dest)} is not a destination type; use "Dedicated" or "AzureDiagnostics".`);
  } else if (dest !== undefined && d.workspaceResourceId === undefined) {
    problems.push(`${component}: ${at}.logAnalyticsDestinationType is set without workspaceResourceId; it only applies to a Log Analytics target.`);
  }
  return problems;
}

/** Problems with `diagnosticSettings`: each entry has a valid target and categories; names unique; at most five. */
export function validateDiagnosticSettings(component: string, argName: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [`${component}: ${argName} ${show(value)} is not a list; pass [{ workspaceResourceId: "…" }].`];
  const problems: string[] = [];
  if (value.length > 5) problems.push(`${component}: ${argName} has ${value.length} entries; Azure allows at most five diagnostic settings per resource. Merge targets into fewer entries.`);
  const names = new Set<string>();
  for (const [i, raw] of value.entries()) {
    const at = `${argName}[${i}]`;
    if (!isPlainObject(raw)) {
      problems.push(`${component}: ${at} ${show(raw)} is not a diagnostic setting; pass { workspaceResourceId: "…" }.`);
      continue;
    }
    const d = raw as Partial<DiagnosticSetting>;
    problems.push(...unknownArgumentProblems(d, DIAGNOSTIC_KEYS, `${at}.`).map((p) => `${component}: ${p}`));
    // eslint-disable-next-line no-control-regex
    if (d.name !== undefined && (typeof d.name !== "string" || !/^[^<>*%&:\\?/#\u0000-\u001f]{1,260}$/.test(d.name))) {
      problems.push(`${component}: ${at}.name ${show(d.name)} is not a diagnostic setting name; use 1-260 characters without < > * % & : \\ ? / #.`);
    } else if (typeof d.name === "string") {
      if (names.has(d.name.toLowerCase())) problems.push(`${component}: ${at}.name ${show(d.name)} is used twice; names are unique per resource (ignoring case).`);
      names.add(d.name.toLowerCase());
    }
    problems.push(...diagnosticTargetProblems(component, at, d), ...diagnosticCategoryProblems(component, at, d));
  }
  return problems;
}

const ROLE_ASSIGNMENT_KEYS: KeyTable = { roleDefinitionIdOrName: true, principalId: true, principalType: true, description: true, condition: true, conditionVersion: true };
const PRINCIPAL_TYPES: readonly string[] = Object.values(PrincipalType);

function roleAssignmentProblems(component: string, at: string, r: Partial<RoleAssignment>): string[] {
  const problems = unknownArgumentProblems(r, ROLE_ASSIGNMENT_KEYS, `${at}.`).map((p) => `${component}: ${p}`);
  problems.push(...resolveRoleProblems(component, `${at}.roleDefinitionIdOrName`, r.roleDefinitionIdOrName));
  const principal: unknown = r.principalId;
  if (principal === undefined || (typeof principal === "string" && normalizeGuid(principal) === undefined) || (typeof principal !== "string" && typeof principal !== "object")) {
    problems.push(`${component}: ${at}.principalId ${show(principal)} is not an object id; pass the GUID of the user, group or service principal (e.g. from az ad sp show --query id).`);
  }
  if (r.principalType !== undefined && !PRINCIPAL_TYPES.includes(r.principalType)) {
    problems.push(`${component}: ${at}.principalType ${show(r.principalType)} is not a principal type; use one of ${PRINCIPAL_TYPES.join(", ")} (exact case).`);
  }
  if (r.conditionVersion !== undefined && r.conditionVersion !== "2.0") problems.push(`${component}: ${at}.conditionVersion ${show(r.conditionVersion)} is not supported; use "2.0".`);
  if (r.conditionVersion !== undefined && r.condition === undefined) problems.push(`${component}: ${at}.conditionVersion is set without condition; add the condition or drop conditionVersion.`);
  if (r.condition !== undefined && (typeof r.condition !== "string" || r.condition.trim() === "")) problems.push(`${component}: ${at}.condition ${show(r.condition)} is empty; pass an ABAC condition or drop it.`);
  return problems;
}

/** Problems with `roleAssignments`: each role resolves to a non-privileged role, each principal is a GUID, no duplicates. */
export function validateRoleAssignments(component: string, argName: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [`${component}: ${argName} ${show(value)} is not a list; pass [{ roleDefinitionIdOrName: "Reader", principalId: "…" }].`];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of value.entries()) {
    const at = `${argName}[${i}]`;
    if (!isPlainObject(raw)) {
      problems.push(`${component}: ${at} ${show(raw)} is not a role assignment; pass { roleDefinitionIdOrName, principalId }.`);
      continue;
    }
    const r = raw as Partial<RoleAssignment>;
    const own = roleAssignmentProblems(component, at, r);
    problems.push(...own);
    if (own.length === 0 && typeof r.principalId === "string") {
      const key = `${String(r.roleDefinitionIdOrName).toLowerCase()}|${normalizeGuid(r.principalId)}`;
      if (seen.has(key)) problems.push(`${component}: ${at} grants ${show(r.roleDefinitionIdOrName)} to ${r.principalId} a second time; drop the duplicate.`);
      seen.add(key);
    }
  }
  return problems;
}

const USER_ASSIGNED_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";

/**
 * Problems with `managedIdentities`: a boolean and a list of distinct user-assigned identity ids.
 * `needsIdentity` (components whose resources act with an identity) refuses turning every identity off.
 */
export function validateManagedIdentities(component: string, argName: string, value: unknown, needsIdentity = true): string[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) return [`${component}: ${argName} ${show(value)} is not an object; pass { systemAssigned?: boolean, userAssignedResourceIds?: [...] }.`];
  const mi = value as Partial<ManagedIdentities>;
  const problems = unknownArgumentProblems(mi, { systemAssigned: true, userAssignedResourceIds: true }, `${argName}.`).map((p) => `${component}: ${p}`);
  if (mi.systemAssigned !== undefined && typeof mi.systemAssigned !== "boolean") problems.push(`${component}: ${argName}.systemAssigned ${show(mi.systemAssigned)} is not true or false.`);
  const ids: unknown = mi.userAssignedResourceIds;
  if (ids !== undefined && !Array.isArray(ids)) return [...problems, `${component}: ${argName}.userAssignedResourceIds ${show(ids)} is not a list of ids; pass [${JSON.stringify(exampleId(USER_ASSIGNED_TYPE, ["identity"]))}].`];
  const seen = new Set<string>();
  for (const [i, id] of (Array.isArray(ids) ? ids : []).entries()) {
    problems.push(...resourceIdProblems(component, `${argName}.userAssignedResourceIds[${i}]`, id, USER_ASSIGNED_TYPE, ["identity"]));
    if (typeof id === "string") {
      if (seen.has(id.toLowerCase())) problems.push(`${component}: ${argName}.userAssignedResourceIds[${i}] ${show(id)} is listed twice; drop the duplicate.`);
      seen.add(id.toLowerCase());
    }
  }
  if (needsIdentity && mi.systemAssigned === false && (!Array.isArray(ids) || ids.length === 0)) {
    problems.push(`${component}: ${argName} turns the system-assigned identity off and gives no user-assigned one; the component needs an identity. Pass userAssignedResourceIds, or drop systemAssigned: false.`);
  }
  return problems;
}

/** Every interface of `args` (the five owned here), as a component's validator calls it; `needsIdentity` as in `validateManagedIdentities`. */
export function validateAvmInterfaces(component: string, args: AvmInterfaces, prefix = "", needsIdentity = true): string[] {
  return [
    ...validateTags(component, `${prefix}tags`, args.tags),
    ...validateLock(component, `${prefix}lock`, args.lock),
    ...validateDiagnosticSettings(component, `${prefix}diagnosticSettings`, args.diagnosticSettings),
    ...validateRoleAssignments(component, `${prefix}roleAssignments`, args.roleAssignments),
    ...validateManagedIdentities(component, `${prefix}managedIdentities`, args.managedIdentities, needsIdentity),
  ];
}
