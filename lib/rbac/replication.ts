/**
 * The wait between creating a custom role definition and assigning it. Azure RBAC is eventually
 * consistent: a new role definition reaches ARM's replicas after a delay, and a role assignment that
 * names it before then fails with `RoleDefinitionDoesNotExist` (hashicorp/terraform-provider-azurerm#10479
 * and #19916, Azure/azure-cli#20727: reads right after `az role definition create` alternate between
 * found and not found, "as if the API requests reach different replicas"; pulumi/pulumi-azure#840).
 *
 * @pulumi/azure-native 3.x does not retry it: its ARM client retries 408, 429, 500, 502, 503, 504 and
 * 409 `AnotherOperationInProgress` only (pulumi/pulumi-azure-native, provider/pkg/azure/client_azcore.go,
 * `initPipelineOpts` / `shouldRetryConflict`), and its RoleAssignment custom resource only adds a
 * cross-tenant read (provider/pkg/resources/customresources/custom_roleassignment.go). A 400
 * `RoleDefinitionDoesNotExist` on the assignment's PUT therefore fails `pulumi up`.
 *
 * So the assignment waits until the definition reads back N times in a row, the check Terraform's
 * azurerm provider makes after creating a role assignment (five consecutive successful reads, 5 s
 * apart: internal/services/authorization/role_assignment_resource.go, `NewEventualConsistencyPoller(5, …)`)
 * and Azure's quickstart templates make for role assignments (Azure/azure-quickstart-templates#8712,
 * "check to make sure multiple requests for it return it"). Reads use REST "Role Definitions - Get"
 * (`GET {scope}/providers/Microsoft.Authorization/roleDefinitions/{id}?api-version=2022-04-01`,
 * https://learn.microsoft.com/rest/api/authorization/role-definitions/get). Azure documents no signal
 * that replication is complete: consecutive reads make the failure unlikely, not impossible; a
 * remaining failure is completed by running `pulumi up` again (names are deterministic GUIDs).
 *
 * Pure decisions ({@link classifyRoleDefinitionRead}) are separate from the HTTP loop
 * ({@link waitForRoleDefinition}), which uses Node's `fetch` only.
 */

/** Authorization REST API version of the reads. */
export const ROLE_DEFINITIONS_API_VERSION = "2022-04-01";

/** Defaults of the wait: reads in a row, pause between reads, bound. */
export const REPLICATION_WAIT_DEFAULTS = { consecutive: 5, pollIntervalMs: 3000, timeoutSeconds: 300 } as const;

/** One read's meaning: the definition was served, was not (yet), or the wait cannot succeed. */
export type RoleDefinitionRead = { readonly verdict: "found" } | { readonly verdict: "missing"; readonly detail: string } | { readonly verdict: "fail"; readonly detail: string };

function errorCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === "string" ? parsed.error.code : "";
  } catch {
    return "";
  }
}

/** Classifies one `Role Definitions - Get` response for the role whose GUID is `guid`. */
export function classifyRoleDefinitionRead(status: number, body: string, guid: string): RoleDefinitionRead {
  const code = errorCode(body);
  if (status === 200) {
    let name: unknown;
    try {
      name = (JSON.parse(body) as { name?: unknown }).name;
    } catch {
      name = undefined;
    }
    if (typeof name === "string" && name.toLowerCase() === guid.toLowerCase()) return { verdict: "found" };
    return { verdict: "fail", detail: `ARM answered 200 with a body that is not role definition ${guid}` };
  }
  // 404 (and 400 with this code, as PUTs report it) is the replication window; 408, 429 and 5xx are transient.
  if (status === 404 || code === "RoleDefinitionDoesNotExist" || status === 408 || status === 429 || status >= 500) {
    return { verdict: "missing", detail: `${status}${code ? ` ${code}` : ""}` };
  }
  if (status === 401 || status === 403) {
    return { verdict: "fail", detail: `${status}${code ? ` ${code}` : ""}: the deploying identity cannot read role definitions (it needs Microsoft.Authorization/roleDefinitions/read, which any identity that can create them has)` };
  }
  return { verdict: "fail", detail: `${status}${code ? ` ${code}` : ""}` };
}

/** What the wait needs, all plain values. */
export interface ReplicationWaitRequest {
  /** Azure Resource Manager endpoint, e.g. `https://management.azure.com`. */
  readonly armEndpoint: string;
  /** Full role definition id: `/subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}`. */
  readonly roleDefinitionId: string;
  /** Entra access token for Azure Resource Manager. */
  readonly token: string;
  /** Reads in a row that must find the definition. @default 5 */
  readonly consecutive?: number;
  /** Pause between reads, in milliseconds. @default 3000 */
  readonly pollIntervalMs?: number;
  /** Bound of the whole wait, in seconds. @default 300 */
  readonly timeoutSeconds?: number;
}

/** How the wait went. */
export interface ReplicationWaitResult {
  /** Reads made. */
  readonly reads: number;
  /** Reads that did not find the definition (the replication window seen). */
  readonly misses: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function readOnce(req: ReplicationWaitRequest, guid: string): Promise<RoleDefinitionRead> {
  const url = `${req.armEndpoint.replace(/\/+$/, "")}${req.roleDefinitionId}?api-version=${ROLE_DEFINITIONS_API_VERSION}`;
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${req.token}` } });
    return classifyRoleDefinitionRead(res.status, await res.text(), guid);
  } catch (e) {
    return { verdict: "missing", detail: `network error: ${(e as Error).message}` };
  }
}

/**
 * Reads the role definition until it is found `consecutive` times in a row (a miss restarts the count),
 * within `timeoutSeconds`; throws a message naming the definition, the last answer and the fix otherwise.
 */
export async function waitForRoleDefinition(req: ReplicationWaitRequest): Promise<ReplicationWaitResult> {
  const guid = req.roleDefinitionId.split("/").pop() ?? "";
  const consecutive = req.consecutive ?? REPLICATION_WAIT_DEFAULTS.consecutive;
  const interval = req.pollIntervalMs ?? REPLICATION_WAIT_DEFAULTS.pollIntervalMs;
  const deadline = Date.now() + (req.timeoutSeconds ?? REPLICATION_WAIT_DEFAULTS.timeoutSeconds) * 1000;
  let reads = 0;
  let misses = 0;
  let streak = 0;
  for (;;) {
    const read = await readOnce(req, guid);
    reads++;
    if (read.verdict === "fail") throw new Error(`reading role definition ${req.roleDefinitionId} failed (${read.detail}).`);
    streak = read.verdict === "found" ? streak + 1 : 0;
    if (read.verdict === "missing") misses++;
    if (streak >= consecutive) return { reads, misses };
    if (Date.now() + interval > deadline) {
      const last = read.verdict === "missing" ? read.detail : "found";
      throw new Error(
        `role definition ${req.roleDefinitionId} was not found ${consecutive} times in a row within ${req.timeoutSeconds ?? REPLICATION_WAIT_DEFAULTS.timeoutSeconds} s ` +
          `(${reads} reads, ${misses} not found, last: ${last}); Azure is still replicating the new custom role. Run \`pulumi up\` again: the definition exists, and the assignment completes without duplicates.`,
      );
    }
    await sleep(interval);
  }
}
