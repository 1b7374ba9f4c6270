#!/usr/bin/env node
/**
 * `aml-events`: the package's one command line. This file only dispatches: each subcommand lives in
 * its capability folder and exports a builder returning a commander `Command`; adding one is one line
 * in {@link SUBCOMMANDS}.
 */
import { Command } from "commander";
import { deadletterCommand } from "../deadletter/command";
import { planCommand } from "../plan/cli";
import { diffCommand } from "../review/cli";
import { programWith, runProgram } from "./program";

/** Builders of every subcommand, in the order `aml-events --help` lists them. */
export const SUBCOMMANDS: readonly (() => Command)[] = [planCommand, () => deadletterCommand(), diffCommand];

/** The `aml-events` program with every subcommand registered. */
export function amlEventsCommand(): Command {
  return programWith(SUBCOMMANDS);
}

/** Parses `argv` (as `process.argv`) and runs the chosen subcommand; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  return runProgram(amlEventsCommand, argv);
}

if (require.main === module) {
  main(process.argv).then((code) => process.exit(code));
}
