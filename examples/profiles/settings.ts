/**
 * The settings every profile reads from Pulumi config (namespace `profile`), each with a documented
 * default so the offline plan (`npm start -- --program dist/examples/profiles/<profile>`) and the
 * real-engine tests run them without any configuration:
 *
 *   pulumi config set profile:workspaceId /subscriptions/…/workspaces/mlw-platform
 *   pulumi config set profile:location westeurope
 */
import * as pulumi from "@pulumi/pulumi";
import { SAMPLE_WORKSPACE_ID } from "aml-event-workflows";

const config = new pulumi.Config("profile");

/** Where a profile deploys and how the deployer's code publish reaches Azure. */
export interface ProfileSettings {
  /** ARM id of the Azure Machine Learning workspace. Default: the sample workspace of the offline plan. */
  readonly workspaceId: string;
  /** Resource group for everything a profile creates. Default: the workspace's own group. */
  readonly resourceGroupName: string;
  /** The workspace's region. Default: westeurope. */
  readonly location: string;
  /** Azure Resource Manager endpoint of the deployer's code publish. Default: public Azure. */
  readonly armEndpoint?: string;
  /** SCM (Kudu) base URL of the deployer's Function App. Default: read from the app's ARM record. */
  readonly scmUrl?: string;
}

/** The settings of this stack. */
export function profileSettings(): ProfileSettings {
  const workspaceId = config.get("workspaceId") ?? SAMPLE_WORKSPACE_ID;
  const armEndpoint = config.get("armEndpoint");
  const scmUrl = config.get("scmUrl");
  return {
    workspaceId,
    resourceGroupName: config.get("resourceGroupName") ?? /resourceGroups\/([^/]+)/i.exec(workspaceId)?.[1] ?? "rg-ml-platform",
    location: config.get("location") ?? "westeurope",
    ...(armEndpoint ? { armEndpoint } : {}),
    ...(scmUrl ? { scmUrl } : {}),
  };
}

/** An ARM id from config, else the sample id a profile documents (a resource the platform team already has). */
export function existingId(key: string, sample: string): string {
  return config.get(key) ?? sample;
}

/** The deployer's code-publish endpoints, when set (a sovereign cloud, a private SCM endpoint, the tests' loopback peer). */
export function publishEndpoints(s: ProfileSettings): { armEndpoint?: string; scmUrl?: string } {
  return { ...(s.armEndpoint ? { armEndpoint: s.armEndpoint } : {}), ...(s.scmUrl ? { scmUrl: s.scmUrl } : {}) };
}
