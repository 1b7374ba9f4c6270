#!/usr/bin/env node
/** Stand-alone entry of the `deadletter` command (the `aml-events` bin registers the same command). */
import { deadletterCommand } from "./command";
import { safeValue } from "./terminal";

deadletterCommand()
  .exitOverride()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (typeof e.code === "string" && e.code.startsWith("commander.")) {
      process.exitCode = e.exitCode ?? 1;
      return;
    }
    process.stderr.write(`error: ${safeValue(e.message || String(err))}\n`);
    process.exitCode = 1;
  });
