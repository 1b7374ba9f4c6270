/**
 * Pure traffic rules of the model deployer: which deployments block an older version, which one
 * serves a model, and how to repair an endpoint whose traffic went back to an older version (a
 * stale write: concurrent handlers, or an SDK retry that re-sent a body computed before a wait).
 * No I/O here.
 */
import { compareVersions, MANAGED_BY_TAG, ModelRef, parseModelRef, planTraffic } from "./arm";

/** Tag on each deployment the deployer creates: the traffic share its rule asked for. */
export const TRAFFIC_PERCENT_TAG = "trafficPercent";

/** What the traffic rules need to know about one deployment. */
export interface DeploymentSummary {
  readonly name: string;
  readonly model: ModelRef | undefined;
  /** provisioningState, lower-cased ("" when absent). */
  readonly state: string;
  /** Created by this deployer (managedBy tag). */
  readonly managed: boolean;
  /** The share its rule asked for (tag), when known. */
  readonly percent: number | undefined;
}

/** The shape read from ARM (a subset of `OnlineDeployment`). */
export interface DeploymentLike {
  readonly name?: string;
  readonly tags?: Record<string, string>;
  readonly properties: { readonly model?: string; readonly provisioningState?: string };
}

/** Summarizes ARM deployments for the rules below. */
export function summarize(d: DeploymentLike): DeploymentSummary {
  const tag = d.tags?.[TRAFFIC_PERCENT_TAG];
  const percent = tag !== undefined && /^\d{1,3}$/.test(tag) ? Number(tag) : undefined;
  return {
    name: d.name ?? "",
    model: parseModelRef(d.properties.model),
    state: (d.properties.provisioningState ?? "").toLowerCase(),
    managed: d.tags?.[MANAGED_BY_TAG.key] === MANAGED_BY_TAG.value,
    percent,
  };
}

const IN_PROGRESS = new Set(["creating", "updating", "scaling"]);

/**
 * The newer deployment of `modelName` that makes `version` obsolete, if any: one that Succeeded or
 * is still being created. A newer deployment that Failed (or was Canceled) never served, so it does
 * not block an older version: the older one is deployed and serves until a newer one succeeds.
 */
export function blockingNewer(deployments: readonly DeploymentSummary[], modelName: string, version: string): DeploymentSummary | undefined {
  return deployments.find(
    (d) => d.model?.name === modelName && compareVersions(d.model.version, version) > 0 && (d.state === "succeeded" || IN_PROGRESS.has(d.state)),
  );
}

function newestSucceededByModel(deployments: readonly DeploymentSummary[]): Map<string, DeploymentSummary> {
  const newest = new Map<string, DeploymentSummary>();
  for (const d of deployments) {
    if (d.model === undefined || !d.managed || d.state !== "succeeded") continue;
    const prev = newest.get(d.model.name);
    if (prev === undefined || compareVersions(d.model.version, prev.model?.version ?? "") > 0) newest.set(d.model.name, d);
  }
  return newest;
}

/**
 * Repairs rollbacks: for each model, when the newest Succeeded deployment this deployer created
 * asked for a share (> 0) but holds none while an older deployment of the same model holds some,
 * give it its share back (others scaled). Undefined when nothing needs repair.
 */
export function repairTraffic(traffic: Readonly<Record<string, number>>, deployments: readonly DeploymentSummary[]): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (const [model, newest] of [...newestSucceededByModel(deployments)].sort(([a], [b]) => a.localeCompare(b))) {
    const current = out ?? traffic;
    if ((newest.percent ?? 0) === 0 || (current[newest.name] ?? 0) > 0) continue;
    const olderServing = deployments.some((d) => d.model?.name === model && d.name !== newest.name && (current[d.name] ?? 0) > 0);
    if (olderServing) out = planTraffic(current, newest.name, newest.percent ?? 0);
  }
  return out;
}

/** True when two traffic maps give every deployment the same share (missing = 0). */
export function sameTraffic(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
