/**
 * Azure Resource Manager ids and endpoints shared by every capability (pure; no Pulumi, no Azure SDK,
 * so the Function bundle can use it too).
 */

/** The public-cloud ARM endpoint. */
export const ARM_ENDPOINT = "https://management.azure.com";

/** Matches an Azure Machine Learning workspace ARM id (capturing subscription, group and name). */
export const WORKSPACE_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/?$/i;

/** The parts of a workspace ARM id. */
export interface WorkspaceRef {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly workspaceName: string;
}

/** Splits a workspace ARM id; undefined when `id` is not one. */
export function parseWorkspaceId(id: string): WorkspaceRef | undefined {
  const m = WORKSPACE_ID.exec(id.trim());
  return m ? { subscriptionId: m[1], resourceGroupName: m[2], workspaceName: m[3] } : undefined;
}

/** ARM ids compare case-insensitively, ignoring a trailing slash. */
export function sameArmId(a: string, b: string): boolean {
  return a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
}
