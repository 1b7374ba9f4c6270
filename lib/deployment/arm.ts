/**
 * Pure builders for the Azure Resource Manager requests the model deployer makes: paths, request
 * bodies and the traffic split. The handler sends them through `@azure/arm-machinelearning`; the
 * offline plan lists them with {@link previewDeployment}. No I/O here.
 */
import { ARM_ENDPOINT, parseWorkspaceId } from "../arm/ids";
import { Decision, DEFAULT_CANARY_PERCENT, DEPLOY_RULE_DEFAULTS, DeployRule, modelVersionId, planModelDeployment, PlanOptions } from "./decision";

/** The Azure Machine Learning REST API version `@azure/arm-machinelearning` 2.1.1 speaks. */
export const AML_API_VERSION = "2022-10-01";
/** Tag the deployer puts on what it creates, so people can tell who made it. */
export const MANAGED_BY_TAG = { key: "managedBy", value: "aml-event-workflows" } as const;

/** ARM paths (no host, no query) of the resources the deployer touches. */
export const armPaths = {
  endpoint: (workspaceId: string, endpointName: string): string => `${workspaceId.replace(/\/+$/, "")}/onlineEndpoints/${endpointName}`,
  deployments: (workspaceId: string, endpointName: string): string => `${armPaths.endpoint(workspaceId, endpointName)}/deployments`,
  deployment: (workspaceId: string, endpointName: string, deploymentName: string): string =>
    `${armPaths.deployments(workspaceId, endpointName)}/${deploymentName}`,
};

/** The managed online endpoint body the deployer PUTs when the endpoint is missing. */
export interface EndpointBody {
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly identity: { readonly type: "SystemAssigned" };
  readonly properties: { readonly authMode: "Key" | "AADToken"; readonly description: string };
}

/** Body of the endpoint PUT: system-assigned identity, the rule's auth mode, no traffic yet. */
export function endpointBody(rule: DeployRule, location: string): EndpointBody {
  return {
    location,
    tags: { [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value },
    identity: { type: "SystemAssigned" },
    properties: {
      authMode: rule.authMode ?? DEPLOY_RULE_DEFAULTS.authMode,
      description: "Managed online endpoint created by aml-event-workflows' model deployer.",
    },
  };
}

/** The managed online deployment body the deployer PUTs. */
export interface DeploymentBody {
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly sku: { readonly name: "Default"; readonly capacity: number };
  readonly properties: {
    readonly endpointComputeType: "Managed";
    readonly model: string;
    readonly instanceType: string;
    readonly scaleSettings: { readonly scaleType: "Default" };
    readonly description: string;
  };
}

/**
 * Body of the deployment PUT: the model by full ARM id, instance type and count (`sku.capacity`)
 * from the rule, and the share it is given (`percent`, see `effectiveTrafficPercent`; without live
 * state, e.g. in plans, the rule's own share or 100) as a tag. No environment or scoring script: this is a no-code deployment (MLflow models).
 */
export function deploymentBody(decision: Extract<Decision, { action: "deploy" }>, workspaceId: string, location: string, percent: number = decision.rule.trafficPercent ?? 100): DeploymentBody {
  return {
    location,
    tags: {
      [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value,
      modelName: decision.modelName,
      modelVersion: decision.modelVersion,
      // Read back by the traffic repair (./traffic.ts) to restore this version's share after a stale write.
      trafficPercent: String(percent),
    },
    sku: { name: "Default", capacity: decision.rule.instanceCount ?? DEPLOY_RULE_DEFAULTS.instanceCount },
    properties: {
      endpointComputeType: "Managed",
      model: modelVersionId(workspaceId, decision.modelName, decision.modelVersion),
      instanceType: decision.rule.instanceType ?? DEPLOY_RULE_DEFAULTS.instanceType,
      scaleSettings: { scaleType: "Default" },
      description: `${decision.modelName}:${decision.modelVersion}, deployed on ModelRegistered by aml-event-workflows.`,
    },
  };
}

/** A model reference read back from a deployment's `properties.model`. */
export interface ModelRef {
  readonly name: string;
  readonly version: string;
}

/**
 * Reads the model name and version from a deployment's `model` property: a full ARM id
 * (`…/models/{name}/versions/{version}`) or an asset id (`azureml:{name}:{version}`,
 * `azureml://…/models/{name}/versions/{version}`). Undefined for anything else.
 */
export function parseModelRef(model: string | undefined): ModelRef | undefined {
  if (model === undefined) return undefined;
  const path = /\/models\/([^/]+)\/versions\/([^/]+)\/?$/i.exec(model);
  if (path) return { name: path[1], version: path[2] };
  const short = /^azureml:([^:/]+):([^:/]+)$/i.exec(model);
  if (short) return { name: short[1], version: short[2] };
  return undefined;
}

/** Compares model versions: numerically when both are numbers ("10" > "9"), otherwise by natural string order. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true, sensitivity: "base" });
}

/**
 * The endpoint's traffic after giving `deploymentName` `percent`: the other deployments keep their
 * relative shares of the remaining `100 - percent` (largest remainders get the rounding, ties by
 * name). When no other deployment carries traffic, the new one takes 100 (or stays at 0 when
 * `percent` is 0), because Azure requires the values to add up to 100 once any is non-zero.
 * Keys come out sorted.
 */
export function planTraffic(current: Readonly<Record<string, number>>, deploymentName: string, percent: number): Record<string, number> {
  const others = Object.keys(current)
    .filter((k) => k !== deploymentName)
    .sort();
  const sum = others.reduce((n, k) => n + Math.max(0, current[k]), 0);
  const out: Record<string, number> = {};
  if (sum === 0) {
    for (const k of others) out[k] = 0;
    out[deploymentName] = percent > 0 ? 100 : 0;
  } else {
    const remaining = 100 - percent;
    const shares = others.map((k) => {
      const exact = (Math.max(0, current[k]) * remaining) / sum;
      return { k, floor: Math.floor(exact), rest: exact - Math.floor(exact) };
    });
    let leftover = remaining - shares.reduce((n, s) => n + s.floor, 0);
    const byRest = [...shares].sort((x, y) => y.rest - x.rest || x.k.localeCompare(y.k));
    for (const s of byRest) {
      if (leftover <= 0) break;
      s.floor += 1;
      leftover -= 1;
    }
    for (const s of shares) out[s.k] = s.floor;
    out[deploymentName] = percent;
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

/** One ARM request the deployer would make, for plans and docs. */
export interface PlannedRequest {
  readonly method: "GET" | "PUT";
  /** Full URL including `api-version`. */
  readonly url: string;
  /** When the request happens (every time, or the condition). */
  readonly when: string;
  /** The essentials of the request body, when there is one. */
  readonly body?: Readonly<Record<string, unknown>>;
}

/** Options of {@link previewDeployment}. */
export interface DeploymentPreviewOptions extends PlanOptions {
  /** Azure region of the workspace (endpoints and deployments are created there). @default "<workspace location>" */
  readonly location?: string;
  /** ARM endpoint. @default "https://management.azure.com" */
  readonly armEndpoint?: string;
}

/** The deployer's decision for one event plus the ARM requests it would make. */
export interface DeploymentPreview {
  readonly decision: Decision;
  readonly requests: readonly PlannedRequest[];
}

/**
 * What the deployed Function would do with `event`, without calling Azure: the pure decision and,
 * when it deploys, the ARM requests in order (conditional ones say when they happen).
 */
export function previewDeployment(event: unknown, options: DeploymentPreviewOptions): DeploymentPreview {
  const decision = planModelDeployment(event, options);
  if (decision.action === "ignore") return { decision, requests: [] };
  const ws = parseWorkspaceId(options.workspaceId);
  if (ws === undefined) {
    return {
      decision: { action: "ignore", reason: `workspaceId ${JSON.stringify(options.workspaceId)} is not a workspace ARM id` },
      requests: [],
    };
  }
  const host = (options.armEndpoint ?? ARM_ENDPOINT).replace(/\/+$/, "");
  const url = (path: string): string => `${host}${path}?api-version=${AML_API_VERSION}`;
  const location = options.location ?? "<workspace location>";
  const endpoint = armPaths.endpoint(options.workspaceId, decision.endpointName);
  const deployment = armPaths.deployment(options.workspaceId, decision.endpointName, decision.deploymentName);
  const eb = endpointBody(decision.rule, location);
  const percent = decision.rule.trafficPercent;
  const db = deploymentBody(decision, options.workspaceId, location, percent ?? 100);
  const share =
    percent !== undefined
      ? `${decision.deploymentName}=${percent}%, others scaled to ${100 - percent}%`
      : `${decision.deploymentName}=100% when nothing else or only older versions of ${decision.modelName} serve, else ${DEFAULT_CANARY_PERCENT}% (a canary), others scaled`;
  return {
    decision,
    requests: [
      { method: "GET", url: url(endpoint), when: "always: does the endpoint exist?" },
      {
        method: "PUT",
        url: url(endpoint),
        when: "only if the endpoint is missing (then polls Azure-AsyncOperation until Succeeded)",
        body: { location: eb.location, identity: eb.identity.type, authMode: eb.properties.authMode },
      },
      { method: "GET", url: url(armPaths.deployments(options.workspaceId, decision.endpointName)), when: "always: existing deployments (duplicate and newer-version checks)" },
      {
        method: "PUT",
        url: url(deployment),
        when: "unless this deployment already Succeeded (then polls Azure-AsyncOperation until Succeeded)",
        body: { model: db.properties.model, instanceType: db.properties.instanceType, instanceCount: db.sku.capacity },
      },
      { method: "GET", url: url(deployment), when: "after creating the deployment: until it settled (Succeeded, or Failed: no traffic)" },
      { method: "GET", url: url(endpoint), when: "always, under the endpoint's lease: current traffic, read until the endpoint settled" },
      { method: "GET", url: url(armPaths.deployments(options.workspaceId, decision.endpointName)), when: "only after creating the deployment: did a newer version succeed meanwhile?" },
      {
        method: "PUT",
        url: url(endpoint),
        when: "unless this deployment already serves or the traffic already matches (then polls Azure-AsyncOperation until Succeeded)",
        body: { traffic: share },
      },
      { method: "GET", url: url(endpoint), when: "after a traffic write: read back until the endpoint shows it (bounded; else the event is retried)" },
    ],
  };
}
