/**
 * Code deployment to a Flex Consumption Function App: one deploy through the app's `/api/publish`
 * endpoint on its SCM (Kudu) host, then a wait until the Functions host lists the function.
 *
 * Flex Consumption does not deploy a package that is merely uploaded to its deployment container
 * ("Deploy your function app to Flex Consumption" / "Automate resource deployment for your function
 * app" on Microsoft Learn, Flex pivot: code must go through one deploy); `az functionapp deployment
 * source config-zip` posts the zip to `https://{scm host}/api/publish?RemoteBuild=false` with an
 * Entra token for Azure Resource Manager. The function list comes from ARM,
 * `GET {app id}/functions?api-version=2024-04-01` ("Web Apps - List Functions", REST reference).
 *
 * Pure decisions ({@link classifyPublishResponse}, {@link readDeploymentStatus},
 * {@link functionListed}) are separate from the HTTP edge ({@link publishFunctionCode}), which uses
 * Node's `fetch` only.
 */

/** App Service REST API version for the site and function list reads. */
export const WEB_API_VERSION = "2024-04-01";

/** What the publisher needs, all plain values. */
export interface PublishRequest {
  /** Azure Resource Manager endpoint, e.g. `https://management.azure.com`. */
  readonly armEndpoint: string;
  /** ARM id of the Function App (`…/providers/Microsoft.Web/sites/{app}`). */
  readonly functionAppId: string;
  /** Name of the function that must be indexed after the deploy. */
  readonly functionName: string;
  /** The zip's bytes. */
  readonly zip: Uint8Array;
  /** Entra access token of the deploying identity for Azure Resource Manager. */
  readonly token: string;
  /** How long 401/403 (role propagation) and storage-access failures are retried, in seconds. @default 600 */
  readonly roleWaitSeconds?: number;
  /** How long to wait for the function to be listed after the deploy, in seconds. @default 300 */
  readonly indexWaitSeconds?: number;
  /** Pause between attempts and polls, in milliseconds. @default 5000 */
  readonly pollIntervalMs?: number;
  /** SCM base URL override (tests, private endpoints). @default - the app's Repository host from ARM, over https */
  readonly scmUrl?: string;
}

/**
 * The environment variable the code publish reads an ARM access token from at run time (CI systems that
 * already hold one, e.g. from `az account get-access-token`; offline tests). Without it the token comes
 * from `@azure/identity`'s `DefaultAzureCredential` (environment, workload identity, managed identity,
 * Azure CLI, …) for `{armEndpoint}/.default`. Either way the token lives only in the provider's memory:
 * it is never an input or output of the resource, so it never reaches the Pulumi state.
 */
export const ARM_TOKEN_ENV = "AML_EVENTS_ARM_TOKEN";

/** An ARM access token obtained now, in this process (see {@link ARM_TOKEN_ENV}). */
export async function armTokenAtRunTime(armEndpoint: string): Promise<string> {
  const fromEnv = process.env[ARM_TOKEN_ENV];
  if (fromEnv) return fromEnv;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  const scope = `${new URL(armEndpoint).origin}/.default`;
  const token = await new DefaultAzureCredential().getToken(scope).catch((e: Error) => {
    throw new Error(`could not get an Azure Resource Manager token to publish the deployer's code (${e.message}); sign in (az login) or set ${ARM_TOKEN_ENV}.`);
  });
  return token.token;
}

/** What a finished publish reports. */
export interface PublishResult {
  readonly deploymentId: string;
  readonly functionId: string;
  readonly attempts: number;
}

/** How to treat one `/api/publish` response. */
export type PublishVerdict = "accepted" | "retry" | "fail";

/**
 * 200/202 accepted. 401/403 while the deploying identity's or the app's role assignments propagate,
 * 408/429/5xx, and a 400 carrying `BlobUploadFailedException` (the app cannot yet write its
 * deployment container: its Storage Blob Data role is new) are retried; any other status fails.
 */
export function classifyPublishResponse(status: number, body: string): PublishVerdict {
  if (status === 200 || status === 202) return "accepted";
  if (status === 401 || status === 403 || status === 408 || status === 429 || status >= 500) return "retry";
  if (status === 400 && /BlobUploadFailed|AuthorizationPermissionMismatch|AuthorizationFailure/i.test(body)) return "retry";
  return "fail";
}

/**
 * Kudu's deployment status codes, as the Azure Functions Core Tools read them from `/api/deployments/{id}`
 * (Azure/azure-functions-core-tools, `DeployStatus`): Unknown -1, Pending 0, Building 1, Deploying 2,
 * Failed 3, Success 4, Conflict 5 (another deployment was in progress), PartialSuccess 6.
 */
export const KUDU_STATUS = { Unknown: -1, Pending: 0, Building: 1, Deploying: 2, Failed: 3, Success: 4, Conflict: 5, PartialSuccess: 6 } as const;

/** A Kudu deployment record's state: 0–2 still running; 4 success; -1, 3, 5 and 6 final and not a success. */
export type DeploymentState = { readonly done: false } | { readonly done: true; readonly ok: boolean; readonly id: string; readonly message: string };

const FINAL_FAILURES: Readonly<Record<number, string>> = {
  [KUDU_STATUS.Unknown]: "status Unknown (-1)",
  [KUDU_STATUS.Failed]: "status Failed (3)",
  [KUDU_STATUS.Conflict]: "status Conflict (5): another deployment was in progress; run the update again",
  [KUDU_STATUS.PartialSuccess]: "status PartialSuccess (6): part of the deployment failed",
};

/** Reads a Kudu deployment record (`/api/deployments/{id}`); anything unreadable counts as still running. */
export function readDeploymentStatus(record: unknown): DeploymentState {
  if (typeof record !== "object" || record === null) return { done: false };
  const r = record as Record<string, unknown>;
  const status = typeof r.status === "number" ? r.status : undefined;
  const id = typeof r.id === "string" ? r.id : "";
  const text = typeof r.status_text === "string" && r.status_text ? r.status_text : typeof r.log_url === "string" ? `see ${r.log_url}` : "";
  if (status === KUDU_STATUS.Success) return { done: true, ok: true, id, message: text };
  if (status !== undefined && FINAL_FAILURES[status] !== undefined) return { done: true, ok: false, id, message: [FINAL_FAILURES[status], text].filter(Boolean).join("; ") };
  if (r.complete === true && status !== undefined) return { done: true, ok: false, id, message: `complete with status ${status}${text ? `; ${text}` : ""}` };
  return { done: false };
}

/**
 * Where to poll after `/api/publish` accepted the zip: the `Location` header, but only on the app's own
 * SCM origin (same scheme, host and port as `base`, which is https or a loopback test server), so the
 * deploying identity's token never goes to another host or over plain http. Without a header, Kudu's
 * `/api/deployments/latest`.
 */
export function deploymentStatusUrl(base: string, location: string | null): string {
  if (!location) return `${base}/api/deployments/latest`;
  let target: URL;
  try {
    target = new URL(location, base);
  } catch {
    throw new Error(`the SCM site answered the publish with an unreadable Location ${JSON.stringify(location)}; not following it.`);
  }
  if (target.origin !== new URL(base).origin) {
    throw new Error(`the SCM site answered the publish with Location ${target.origin}, not its own origin ${new URL(base).origin}; not sending the deploying identity's token there.`);
  }
  return target.toString();
}

/** True when an ARM function list (`{value: [{name: "{app}/{function}", properties: {name}}]}`) has `functionName`. */
export function functionListed(list: unknown, functionName: string): string | undefined {
  const value = typeof list === "object" && list !== null ? (list as { value?: unknown }).value : undefined;
  if (!Array.isArray(value)) return undefined;
  const wanted = functionName.toLowerCase();
  for (const f of value) {
    if (typeof f !== "object" || f === null) continue;
    const { id, name, properties } = f as { id?: unknown; name?: unknown; properties?: { name?: unknown } };
    const short = typeof properties?.name === "string" ? properties.name : typeof name === "string" ? name.split("/").pop() : undefined;
    if (short !== undefined && short.toLowerCase() === wanted) return typeof id === "string" ? id : short;
  }
  return undefined;
}

/** The SCM host of an ARM site (`properties.hostNameSslStates[hostType=Repository]`), or `{name}.scm.azurewebsites.net`. */
export function scmHostOf(site: unknown, appName: string): string {
  const states = (site as { properties?: { hostNameSslStates?: unknown } } | undefined)?.properties?.hostNameSslStates;
  if (Array.isArray(states)) {
    const repo = states.find((s) => typeof s === "object" && s !== null && (s as { hostType?: unknown }).hostType === "Repository") as { name?: unknown } | undefined;
    if (typeof repo?.name === "string" && repo.name) return repo.name;
  }
  return `${appName}.scm.azurewebsites.net`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Clock {
  readonly deadline: number;
  readonly interval: number;
}

async function armGet(req: PublishRequest, path: string): Promise<{ status: number; body: unknown }> {
  const url = `${req.armEndpoint.replace(/\/+$/, "")}${path}?api-version=${WEB_API_VERSION}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${req.token}` } });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

async function scmBase(req: PublishRequest): Promise<string> {
  if (req.scmUrl) return req.scmUrl.replace(/\/+$/, "");
  const appName = req.functionAppId.split("/").pop() ?? "";
  const site = await armGet(req, req.functionAppId);
  if (site.status !== 200) throw new Error(`reading the Function App ${req.functionAppId} from ARM returned HTTP ${site.status}`);
  return `https://${scmHostOf(site.body, appName)}`;
}

/** Posts the zip until accepted; returns the deployment status URL and the number of attempts. */
async function upload(req: PublishRequest, base: string, clock: Clock): Promise<{ statusUrl: string; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let text = "";
    let location: string | null = null;
    try {
      const res = await fetch(`${base}/api/publish?RemoteBuild=false`, {
        method: "POST",
        redirect: "manual",
        headers: { authorization: `Bearer ${req.token}`, "content-type": "application/zip" },
        body: req.zip,
      });
      status = res.status;
      location = res.headers.get("location");
      text = await res.text();
    } catch (error) {
      text = error instanceof Error ? error.message : String(error);
    }
    const verdict = status === 0 ? "retry" : classifyPublishResponse(status, text);
    if (verdict === "accepted") return { statusUrl: deploymentStatusUrl(base, location), attempts: attempt };
    if (verdict === "fail" || Date.now() > clock.deadline) {
      throw new Error(
        `publishing the code to ${base}/api/publish failed with HTTP ${status || "(no response)"} after ${attempt} attempt(s): ${text.slice(0, 300)}. ` +
          (status === 401 || status === 403
            ? "The deploying identity needs a role that allows Microsoft.Web/sites/publish/Action on the app (e.g. Website Contributor), and SCM basic-auth-free Entra access must not be blocked by access restrictions."
            : "Check the app's deployment storage role (Storage Blob Data Owner/Contributor on the account) and the SCM site's access restrictions."),
      );
    }
    await sleep(clock.interval);
  }
}

async function waitForDeployment(req: PublishRequest, statusUrl: string, clock: Clock): Promise<string> {
  for (;;) {
    const res = await fetch(statusUrl, { headers: { authorization: `Bearer ${req.token}` }, redirect: "manual" }).catch(() => undefined);
    // Kudu drops the record of a finished one deploy: a 404 after acceptance means completed (the function list then confirms it).
    if (res?.status === 404) {
      await res.text().catch(() => "");
      return "";
    }
    if (res !== undefined && res.ok) {
      const state = readDeploymentStatus(await res.json().catch(() => undefined));
      if (state.done && state.ok) return state.id;
      if (state.done) throw new Error(`the code deployment ${state.id} failed on the Function App: ${state.message || "no message"}; see the app's deployment log.`);
    } else if (res !== undefined) {
      await res.text().catch(() => "");
    }
    if (Date.now() > clock.deadline) throw new Error(`the code deployment did not finish in time (polled ${statusUrl}).`);
    await sleep(clock.interval);
  }
}

async function waitForFunction(req: PublishRequest, clock: Clock): Promise<string> {
  let last = "";
  for (;;) {
    const res = await armGet(req, `${req.functionAppId}/functions`).catch((e: Error) => ({ status: 0, body: e.message }));
    if (res.status === 200) {
      const id = functionListed(res.body, req.functionName);
      if (id !== undefined) return id;
      last = "the list does not contain it yet";
    } else {
      last = `HTTP ${res.status}`;
    }
    if (Date.now() > clock.deadline) {
      throw new Error(
        `the function ${req.functionName} never appeared in ${req.functionAppId}/functions (${last}). The host did not index the package: ` +
          "check the app's logs (Application Insights traces) for a startup error, and that the package's package.json `main` registers the function.",
      );
    }
    await sleep(clock.interval);
  }
}

/** Deploys the zip with one deploy and waits until the function is indexed; throws a message saying what to fix. */
export async function publishFunctionCode(req: PublishRequest): Promise<PublishResult> {
  const interval = req.pollIntervalMs ?? 5000;
  const base = await scmBase(req);
  const { statusUrl, attempts } = await upload(req, base, { deadline: Date.now() + (req.roleWaitSeconds ?? 600) * 1000, interval });
  const indexClock = { deadline: Date.now() + (req.indexWaitSeconds ?? 300) * 1000, interval };
  const deploymentId = await waitForDeployment(req, statusUrl, indexClock);
  const functionId = await waitForFunction(req, indexClock);
  return { deploymentId, functionId, attempts };
}
