import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { releaseWorkspaceClaims } from "../workspace/registry";
import { installAzureMocks, MockedResource } from "./mocks";

/** What running a program on the mock engine produced. */
export interface ProgramRun {
  /** Every registered resource, in registration order. */
  readonly resources: MockedResource[];
  /** The program's stack outputs (its exports), resolved. */
  readonly outputs: Record<string, unknown>;
}

/**
 * Runs a Pulumi program on the Azure-shaped mock engine: no CLI, no credentials, no cloud. `program`
 * is a path to compiled JavaScript (a file or a folder with index.js) or a function declaring
 * resources. Waits until every registration has finished and returns what was declared.
 */
export async function runProgram(program: string | (() => unknown), options: { stack?: string; project?: string } = {}): Promise<ProgramRun> {
  releaseWorkspaceClaims();
  const engine = installAzureMocks(options.project ?? "aml-event-workflows", options.stack ?? "plan");
  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    if (typeof program === "function") {
      const result = await program();
      return typeof result === "object" && result !== null ? (result as Record<string, unknown>) : {};
    }
    const resolved = require.resolve(path.resolve(program));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(resolved) as Record<string, unknown>;
    return { ...mod };
  });
  await pulumi.runtime.disconnect();
  return { resources: engine.resources(), outputs: await resolveOutputs(outputs ?? {}) };
}

function resolveOutput(value: unknown): Promise<unknown> {
  const output: pulumi.Output<unknown> = pulumi.output(value);
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(outputs)
      .filter(([k]) => k !== "__esModule")
      .map(async ([k, v]) => [k, await resolveOutput(v)] as const),
  );
  return Object.fromEntries(entries);
}
