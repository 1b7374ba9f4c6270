import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { releaseWorkspaceClaims } from "../workspace/registry";
import { REDACTED } from "./describe";
import { installAzureMocks, MockedResource } from "./mocks";

/** What running a program on the mock engine produced. */
export interface ProgramRun {
  /** Every registered resource, in registration order. */
  readonly resources: MockedResource[];
  /** The program's stack outputs (its exports), resolved; a secret output's value is replaced by `[secret]`. */
  readonly outputs: Record<string, unknown>;
}

/**
 * Runs a Pulumi program on the Azure-shaped mock engine: no CLI, no credentials, no cloud. `program`
 * is a path to compiled JavaScript (a file or a folder with index.js) or a function declaring
 * resources. Waits until every registration has finished and returns what was declared.
 */
export async function runProgram(program: string | (() => unknown), options: { stack?: string; project?: string } = {}): Promise<ProgramRun> {
  releaseWorkspaceClaims();
  skipPromiseStacks();
  const engine = installAzureMocks(options.project ?? "aml-event-workflows", options.stack ?? "plan");
  // The exports as the program wrote them: the stack's own copy has lost which outputs are secret.
  let exported: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    if (typeof program === "function") {
      const result = await program();
      exported = typeof result === "object" && result !== null ? { ...(result as Record<string, unknown>) } : {};
    } else {
      const resolved = require.resolve(path.resolve(program));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = { ...(require(resolved) as Record<string, unknown>) };
    }
    return exported;
  });
  await pulumi.runtime.disconnect();
  return { resources: engine.resources(), outputs: await resolveOutputs(exported) };
}

interface DebuggableModule {
  debugPromiseLeaks: boolean;
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
  __withoutStacks?: true;
}

/**
 * The Node.js SDK tags every promise it creates with `new Error().stack`, which it prints only when
 * PULUMI_DEBUG_PROMISE_LEAKS is set (@pulumi/pulumi runtime/debuggable.js). Capturing and formatting those
 * stacks was about a third of the plan's time in a CPU profile. Without that variable the plan builds the
 * tag without a stack: the leak check at exit and everything else stay as they are.
 */
function skipPromiseStacks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
  if (debuggable.debugPromiseLeaks || debuggable.__withoutStacks) return;
  const original = debuggable.debuggablePromise;
  debuggable.debuggablePromise = (p, ctx) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return original(p, ctx);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  debuggable.__withoutStacks = true;
}

async function resolveOutput(value: unknown): Promise<unknown> {
  const output: pulumi.Output<unknown> = pulumi.output(value);
  const resolved = await new Promise((resolve) => output.apply((v) => resolve(v)));
  return (await pulumi.isSecret(output)) ? REDACTED : resolved;
}

async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(outputs)
      .filter(([k]) => k !== "__esModule")
      .map(async ([k, v]) => [k, await resolveOutput(v)] as const),
  );
  return Object.fromEntries(entries);
}
