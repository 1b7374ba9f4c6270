import * as pulumi from "@pulumi/pulumi";
import { MockedResource } from "../../lib/plan/mocks";
import { mockEngine } from "../setup";

/** Resolves an output's value (under mocks every value is known). */
export function promiseOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

/** Resolves whether an output is secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/** Lets the mock engine finish registering what was constructed so far. */
export async function settle(): Promise<void> {
  let last = -1;
  let stable = 0;
  for (let i = 0; i < 400 && stable < 3; i++) {
    await new Promise((r) => setTimeout(r, 2));
    const count = mockEngine.resources().length;
    stable = count === last ? stable + 1 : 0;
    last = count;
  }
}

/** Resources registered with a name starting with `prefix` (tests share one engine), after settling. */
export async function registered(prefix: string): Promise<MockedResource[]> {
  await settle();
  return mockEngine.resources().filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`));
}

/** A unique, realistic workspace id per test (Azure allows one system topic per workspace). */
let counter = 0;
export function workspaceId(label = "ws"): string {
  counter += 1;
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/${label}-${counter}`;
}

/** Runs `body` and returns what it returned and the messages it logged with `pulumi.log.warn`. */
export async function capturingWarnings<T>(body: () => T | Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const log = pulumi.log as unknown as { warn: (msg: string, resource?: pulumi.Resource) => Promise<void> };
  const original = log.warn;
  const warnings: string[] = [];
  log.warn = async (msg) => {
    warnings.push(msg);
  };
  try {
    return { result: await body(), warnings };
  } finally {
    log.warn = original;
  }
}
