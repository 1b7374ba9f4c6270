/**
 * The `aml-events` program around a list of subcommands, and the runner that turns its outcome into an
 * exit code. A leaf of the command line: the dispatcher (index.ts) and the legacy `node
 * dist/lib/plan/cli.js` entry both build on it, so no subcommand has to import the dispatcher.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { safeValue } from "../deadletter/terminal";

function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version?: string };
  return manifest.version ?? "0.0.0";
}

/** The `aml-events` program with the given subcommands registered, in that order. */
export function programWith(subcommands: readonly (() => Command)[]): Command {
  const cli = new Command("aml-events")
    .description("Azure Machine Learning event workflows: offline plan and operations.")
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride((err) => {
      throw err;
    });
  for (const build of subcommands) cli.addCommand(build().exitOverride((err) => {
    throw err;
  }));
  return cli;
}

/** Parses `argv` (as `process.argv`) with the program `build` returns and runs the chosen subcommand; resolves to the exit code. */
export async function runProgram(build: () => Command, argv: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await build().parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    const code = (err as { exitCode?: unknown }).exitCode;
    if (typeof code === "number" && (err as { code?: unknown }).code !== undefined) return code; // commander already printed it
    if (err instanceof Error && err.name === "UsageError") {
      console.error(`aml-events: ${safeValue(err.message)}`);
      const exit = (err as Error & { exitCode?: unknown }).exitCode;
      return typeof exit === "number" ? exit : 1;
    }
    // The stack names this library's internals, not the caller's program: shown only when debugging.
    const debug = /^(1|true|yes)$/i.test(process.env.AML_EVENTS_DEBUG ?? "");
    if (debug || !(err instanceof Error)) console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    else console.error(`aml-events: ${safeValue(err.message)}\n(set AML_EVENTS_DEBUG=1 for the stack trace)`);
    return 1;
  }
}
