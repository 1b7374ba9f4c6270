#!/usr/bin/env node
/**
 * `aml-events`: the package's one command line. This file only dispatches: each subcommand lives in
 * its capability folder and exports a builder returning a commander `Command`; adding one is one line
 * in {@link SUBCOMMANDS}.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { deadletterCommand } from "../deadletter/command";
import { safeValue } from "../deadletter/terminal";
import { planCommand } from "../plan/cli";
import { diffCommand } from "../review/cli";

/** Builders of every subcommand, in the order `aml-events --help` lists them. */
export const SUBCOMMANDS: readonly (() => Command)[] = [planCommand, () => deadletterCommand(), diffCommand];

function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version?: string };
  return manifest.version ?? "0.0.0";
}

/** The `aml-events` program with every subcommand registered. */
export function amlEventsCommand(): Command {
  const cli = new Command("aml-events")
    .description("Azure Machine Learning event workflows: offline plan and operations.")
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride((err) => {
      throw err;
    });
  for (const build of SUBCOMMANDS) cli.addCommand(build().exitOverride((err) => {
    throw err;
  }));
  return cli;
}

/** Parses `argv` (as `process.argv`) and runs the chosen subcommand; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await amlEventsCommand().parseAsync([...argv]);
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

if (require.main === module) {
  main(process.argv).then((code) => process.exit(code));
}
