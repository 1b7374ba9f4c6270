/**
 * FunctionCodePublish: a Pulumi dynamic resource that deploys a Function App zip with one deploy
 * (`/api/publish`) and confirms the function is indexed, only when the package's hash changes.
 * The provider is a thin edge over {@link publishFunctionCode}. It obtains the deploying identity's ARM
 * token at run time ({@link armTokenAtRunTime}): no token and no stack configuration is an input or an
 * output of the resource, so neither reaches the Pulumi state (its inputs and outputs are stored there).
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { readFileSync } from "fs";
import * as path from "path";
import { sharedDynamicProvider } from "../arm/dynamicProvider";
import type { PublishRequest, PublishResult } from "./publish";

/** Inputs of {@link FunctionCodePublish}. */
export interface FunctionCodePublishArgs {
  /** ARM id of the Function App. */
  readonly functionAppId: pulumi.Input<string>;
  /** The function that must be listed after the deploy. */
  readonly functionName: pulumi.Input<string>;
  /** Path of the zip. */
  readonly packagePath: string;
  /** Azure Resource Manager endpoint (sovereign clouds, tests). @default "https://management.azure.com" */
  readonly armEndpoint?: pulumi.Input<string>;
  /** SCM base URL. @default - the app's Repository host read from ARM */
  readonly scmUrl?: pulumi.Input<string>;
  /** Seconds to retry 401/403 and storage-access failures while role assignments propagate. @default 600 */
  readonly roleWaitSeconds?: number;
  /** Seconds to wait for the deployment and the function's indexing. @default 300 */
  readonly indexWaitSeconds?: number;
  /** Pause between attempts and polls, in milliseconds. @default 5000 */
  readonly pollIntervalMs?: number;
}

/** The provider's plain inputs: no token (obtained at run time). */
export interface PublishInputs extends Omit<PublishRequest, "zip" | "token"> {
  readonly packagePath: string;
  readonly packageHash: string;
}

/** Fields whose change means "deploy again". */
export const PUBLISH_DIFF_KEYS = ["packageHash", "functionAppId", "functionName", "armEndpoint", "scmUrl"] as const;

/** The keys among {@link PUBLISH_DIFF_KEYS} whose values differ. */
export function publishChanges(olds: Readonly<Record<string, unknown>>, news: Readonly<Record<string, unknown>>): string[] {
  return PUBLISH_DIFF_KEYS.filter((k) => (olds[k] ?? "") !== (news[k] ?? ""));
}

/** SHA-256 of a file, hex. */
export function packageHash(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

// Resolved in the provider process, where the compiled module sits at the same absolute path.
const PUBLISH_MODULE = path.join(__dirname, "publish.js");
const PUBLISH_HELPERS = path.join(__dirname, "codePublish.js");

async function run(inputs: PublishInputs): Promise<PublishResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const publish = require(PUBLISH_MODULE) as typeof import("./publish");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const helpers = require(PUBLISH_HELPERS) as typeof import("./codePublish");
  const zip = fs.readFileSync(inputs.packagePath);
  const hash = helpers.packageHash(inputs.packagePath);
  if (hash !== inputs.packageHash) {
    throw new Error(`the package ${inputs.packagePath} changed between preview and update (hash ${hash}, planned ${inputs.packageHash}); run the update again.`);
  }
  const token = await publish.armTokenAtRunTime(inputs.armEndpoint);
  return publish.publishFunctionCode({ ...inputs, zip: new Uint8Array(zip), token });
}

/** The dynamic provider: create and update publish; diff looks at the package hash and the target only. */
export const functionCodePublishProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: PublishInputs) {
    const result = await run(inputs);
    return { id: `${inputs.functionAppId}/deployments/${result.deploymentId || inputs.packageHash.slice(0, 16)}`, outs: { ...inputs, ...result } };
  },
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const changes = (require(PUBLISH_HELPERS) as typeof import("./codePublish")).publishChanges(olds, news);
    return { changes: changes.length > 0, replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: PublishInputs, news: PublishInputs) {
    return { outs: { ...news, ...(await run(news)) } };
  },
  // Deleting the resource leaves the deployed code in place: the Function App owns it.
  async delete() {},
};

/**
 * Deploys a zip to a Flex Consumption Function App with one deploy and waits until `functionName`
 * is indexed; `pulumi up` fails with a message saying what to fix when it never appears.
 */
export class FunctionCodePublish extends pulumi.dynamic.Resource {
  /** SHA-256 of the deployed zip. */
  declare readonly packageHash: pulumi.Output<string>;
  /** ARM id of the indexed function. */
  declare readonly functionId: pulumi.Output<string>;

  constructor(name: string, args: FunctionCodePublishArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      functionCodePublishProvider,
      name,
      {
        functionAppId: args.functionAppId,
        functionName: args.functionName,
        packagePath: args.packagePath,
        packageHash: packageHash(args.packagePath),
        armEndpoint: args.armEndpoint ?? "https://management.azure.com",
        scmUrl: args.scmUrl,
        roleWaitSeconds: args.roleWaitSeconds,
        indexWaitSeconds: args.indexWaitSeconds,
        pollIntervalMs: args.pollIntervalMs,
        deploymentId: undefined,
        functionId: undefined,
        attempts: undefined,
      },
      { ...opts, provider: opts?.provider ?? sharedDynamicProvider() },
    );
  }
}
