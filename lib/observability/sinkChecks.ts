/**
 * Where Observability's own diagnostic settings meet the `diagnosticSettings` another component applies
 * to the same resource (pure): the composite knows both, since it forwards its `diagnosticSettings` to
 * the capabilities Observability watches. Azure refuses a sixth setting on a resource, two settings with
 * one name (the second overwrites the first), and one destination reused for a category
 * (lib/interfaces/diagnosticSinks.ts has the sources).
 */
import { DiagnosticResourceType, entryLabel, sentToType } from "../interfaces/diagnostics";
import { SentSetting, sinkConflicts } from "../interfaces/diagnosticSinks";
import { DiagnosticSetting } from "../interfaces/types";
import { DIAGNOSTIC_PROFILES, MONITORING_SETTING_NAME, WATCHED_KIND_TYPES, WatchedKind } from "./builders";

/** A resource that gets both Observability's setting and the forwarded entries. */
export interface DoublyWatched {
  /** How a message names it, e.g. `the email Logic App`. */
  readonly what: string;
  readonly kind: WatchedKind;
}

/** What Observability's setting sends to a watched kind, to `workspaceId` (a string when known). */
export function monitoringSent(kind: WatchedKind, workspaceId: unknown): SentSetting {
  const profile = DIAGNOSTIC_PROFILES[kind];
  return {
    label: `monitoring's setting "${MONITORING_SETTING_NAME}"`,
    logs: profile.logCategories.map((category) => ({ category })),
    metrics: profile.allMetrics ? ["AllMetrics"] : [],
    workspaceId,
  };
}

/**
 * Problems on each resource both reach: more than five settings, a forwarded entry named like
 * Observability's, and a destination reused for a category (monitoring's workspace is compared only
 * when it is brought by a known id; a created one is new, so nothing else can point at it yet).
 */
export function monitoringSinkProblems(where: string, argName: string, settings: readonly DiagnosticSetting[] | undefined, monitoringWorkspaceId: unknown, watched: readonly DoublyWatched[]): string[] {
  if (!Array.isArray(settings) || settings.length === 0) return [];
  const problems: string[] = [];
  for (const w of watched) {
    const type: DiagnosticResourceType = WATCHED_KIND_TYPES[w.kind];
    const own = settings.flatMap((s, i) => sentToType(entryLabel(argName, i, s), s, type) ?? []);
    problems.push(...sinkConflicts(w.what, [...own, monitoringSent(w.kind, monitoringWorkspaceId)]).map((p) => `${where}: ${p}`));
  }
  for (const [i, s] of settings.entries()) {
    if (typeof s.name === "string" && s.name.toLowerCase() === MONITORING_SETTING_NAME) {
      problems.push(`${where}: ${argName}[${i}].name ${JSON.stringify(s.name)} is the name monitoring gives its own settings on the same resources; the second would overwrite the first. Choose another name.`);
    }
  }
  return [...new Set(problems)];
}
