import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { findSinkConflicts, normalizeSinkId, SentLog, SentSetting, settingCountProblem, sinkConflictMessage } from "../../lib/interfaces/diagnosticSinks";
import { known, str, UNKNOWN } from "./common";
import { referenced } from "./profile";

const SETTING = "azure-native:monitor:DiagnosticSetting";
const SINK_INPUTS = ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId"] as const;

/**
 * An id input as a comparable string: the value when known; in preview, the one resource it is read
 * from (`output of <urn>`), so two settings reading the same output still compare; undefined otherwise.
 */
function idOf(r: PolicyResource, input: string): string | undefined {
  const value = known(() => r.props[input]);
  if (value !== UNKNOWN) return str(value);
  const from = (r.propertyDependencies?.[input] ?? []).filter((d) => d.type !== SETTING);
  return from.length === 1 ? `output of ${from[0].urn}` : undefined;
}

/** The resource a setting is on: its id, or in preview the one resource its `resourceUri` is read from. */
function resourceOf(r: PolicyResource): string | undefined {
  const value = known(() => r.props.resourceUri);
  if (value !== UNKNOWN) return typeof value === "string" ? normalizeSinkId(value) : undefined;
  const from = referenced(r, "resourceUri").filter((d) => d.type !== SETTING);
  return from.length === 1 ? `output of ${from[0].urn}` : undefined;
}

/** What one setting sends (enabled entries only), or UNKNOWN when a category is not known yet. */
function sent(r: PolicyResource): SentSetting | typeof UNKNOWN {
  const content = known(() => {
    const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((e): e is Record<string, unknown> => e !== null && typeof e === "object" && e.enabled !== false) : []);
    const logs: SentLog[] = list(r.props.logs).map((l) => (typeof l.categoryGroup === "string" && l.category === undefined ? { categoryGroup: l.categoryGroup } : { category: String(l.category) }));
    const metrics = list(r.props.metrics).map((m) => String(m.category));
    return { logs, metrics, name: str(r.props.name) };
  });
  if (content === UNKNOWN) return UNKNOWN;
  const label = `${r.name ?? r.urn}${content.name !== undefined ? ` (setting ${JSON.stringify(content.name)})` : ""}`;
  const sinks = Object.fromEntries(SINK_INPUTS.map((k) => [k, idOf(r, k)]));
  return { label, logs: content.logs, metrics: content.metrics, ...sinks };
}

/** Settings with the same setting name on one resource (Azure keeps one: the second overwrites the first). */
function sameNames(resource: string, settings: readonly PolicyResource[]): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const s of settings) {
    const name = known(() => str(s.props.name));
    if (typeof name !== "string") continue;
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) out.push(`${first} and ${s.name} are both named ${JSON.stringify(name)} on ${resource}; a setting's name is its id there, so the second overwrites the first. Fix: give each setting its own name.`);
    else seen.set(name.toLowerCase(), s.name ?? s.urn);
  }
  return out;
}

/**
 * Diagnostic settings Azure refuses together on one resource: the same category sent twice to one
 * destination, more than five settings, or two settings with one name. Ids are compared ignoring case,
 * trailing and doubled slashes; category names ignoring case; `allLogs` holds every category and `audit`
 * is taken to hold any (lib/interfaces/diagnosticSinks.ts has the sources).
 */
export const deployDiagnosticSinksUnique: StackValidationPolicy = {
  name: "deploy-diagnostic-sinks-unique",
  description:
    "Diagnostic settings of one resource don't send the same log category or metric to the same destination, number at most five, and have distinct names: Azure refuses the rest (\"Data sinks can't be reused in different settings on the same category for the same resource\").",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["deploy-readiness", "hardening"],
  // "Diagnostic settings in Azure Monitor": at most five settings per resource; category groups.
  url: "https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings",
  remediationSteps:
    "Send the category in one setting per destination (merge the two settings, or point one at another workspace, storage account or Event Hubs rule), keep at most five settings per resource, and give each its own name. With MlEventWorkflows, don't send diagnosticSettings to the workspace monitoring already uses.",
  validateStack: (args, reportViolation) => {
    const settings = args.resources.filter((r) => r.type === SETTING);
    if (settings.length < 2) args.notApplicable("Fewer than two diagnostic settings in the stack");
    const byResource = new Map<string, PolicyResource[]>();
    for (const s of settings) {
      const key = resourceOf(s);
      if (key !== undefined) byResource.set(key, [...(byResource.get(key) ?? []), s]);
    }
    for (const [resource, group] of byResource) {
      const where = `the resource ${resource}`;
      const count = settingCountProblem(where, group.map((s) => ({ label: s.name ?? s.urn })));
      if (count !== undefined) reportViolation(count, group[5].urn);
      for (const p of sameNames(where, group)) reportViolation(p, group[0].urn);
      const content = group.flatMap((s) => {
        const c = sent(s);
        return c === UNKNOWN ? [] : [{ ...c, urn: s.urn }];
      });
      for (const c of findSinkConflicts(content)) reportViolation(sinkConflictMessage(where, c), (c.b as SentSetting & { urn: string }).urn);
    }
  },
};
