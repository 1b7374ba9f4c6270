/**
 * `aml-events diff <base plan.json> <head plan.json>`: what a change does to event flows,
 * subscriptions, permissions, policy and figures, for a pull-request review. Reads the files, compares
 * them with the pure {@link comparePlans}, prints one format and writes others on request.
 * Exit codes: {@link DIFF_EXIT}.
 */
import * as fs from "fs";
import { Command } from "commander";
import { comparePlans, needsReview } from "./diff";
import { PlanFileError, readPlan, ReviewPlan } from "./read";
import { renderJson, renderMarkdown, renderText } from "./render";
import { PlanDiff } from "./types";

/** Exit codes of `aml-events diff`. */
export const DIFF_EXIT = {
  /** Nothing a reviewer must look at changed (the plans may still differ in other ways). */
  ok: 0,
  /** The comparison itself failed unexpectedly. */
  failed: 1,
  /** Usage error: a missing or unreadable plan file, a file that is not a plan, an unknown option or format. */
  usage: 2,
  /** Something a reviewer must look at changed: a privilege widened, a flow removed, fewer events delivered, a new mandatory violation, or a part not compared. */
  needsReview: 3,
} as const;

/** Output formats. */
export const DIFF_FORMATS = ["text", "json", "markdown"] as const;
/** One of {@link DIFF_FORMATS}. */
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Options of `aml-events diff`, as parsed. */
export interface DiffCliOptions {
  /** What to print on stdout. @default "text" */
  readonly format?: string;
  /** Also write the Markdown (pull-request comment) here. @default - not written */
  readonly markdown?: string;
  /** Also write the JSON here. @default - not written */
  readonly json?: string;
}

function usageError(message: string): Error {
  const err = Object.assign(new Error(message), { exitCode: DIFF_EXIT.usage });
  err.name = "UsageError";
  return err;
}

/** Reads and checks one plan file; any problem is a usage error naming the file. */
export function readPlanFile(file: string, role: "base" | "head"): ReviewPlan {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw usageError(`${role} plan ${JSON.stringify(file)} could not be read: ${err instanceof Error ? err.message : String(err)}. Pass the plan.json that \`aml-events plan --out <dir>\` wrote.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (err) {
    throw usageError(`${role} plan ${JSON.stringify(file)} is not valid JSON (${err instanceof Error ? err.message : String(err)}).`);
  }
  try {
    return readPlan(doc, file);
  } catch (err) {
    if (err instanceof PlanFileError) throw usageError(`${role} plan ${err.message}`);
    throw err;
  }
}

/** The rendering of `diff` in `format`. */
export function render(diff: PlanDiff, format: DiffFormat): string {
  switch (format) {
    case "text":
      return renderText(diff);
    case "json":
      return renderJson(diff);
    case "markdown":
      return renderMarkdown(diff);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

function parseFormat(format: string | undefined): DiffFormat {
  const f = format ?? "text";
  if ((DIFF_FORMATS as readonly string[]).includes(f)) return f as DiffFormat;
  throw usageError(`--format ${JSON.stringify(f)} is not a format; use one of ${DIFF_FORMATS.join(", ")}.`);
}

/** Compares two plan files, prints and writes the reports; resolves to the exit code ({@link DIFF_EXIT}). */
export function runDiffCli(base: string, head: string, opts: DiffCliOptions, print: (text: string) => void = (t) => process.stdout.write(t)): number {
  return reportDiff(readPlanFile(base, "base"), readPlanFile(head, "head"), opts, print);
}

/**
 * `aml-events plan --compare <base plan.json>`: compares the plan just made (its plan.json document,
 * written to `headFile`) with a base plan file, printed as text. Returns {@link DIFF_EXIT}'s code.
 */
export function compareWithBase(base: string, headDoc: unknown, headFile: string, print: (text: string) => void = (t) => process.stdout.write(t)): number {
  return reportDiff(readPlanFile(base, "base"), readPlan(headDoc, headFile), {}, print);
}

function reportDiff(basePlan: ReviewPlan, headPlan: ReviewPlan, opts: DiffCliOptions, print: (text: string) => void): number {
  const format = parseFormat(opts.format);
  const diff = comparePlans(basePlan, headPlan);
  const write = (file: string | undefined, text: string): void => {
    if (file === undefined) return;
    try {
      fs.writeFileSync(file, text);
    } catch (err) {
      throw usageError(`could not write ${JSON.stringify(file)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  write(opts.markdown, renderMarkdown(diff));
  write(opts.json, renderJson(diff));
  print(render(diff, format));
  return needsReview(diff) ? DIFF_EXIT.needsReview : DIFF_EXIT.ok;
}

/**
 * The `diff` subcommand. Unknown options and extra arguments are checked here (not by commander) so
 * that every usage error has the same exit code, {@link DIFF_EXIT.usage}.
 */
export function diffCommand(): Command {
  return new Command("diff")
    .description("Compare two offline plans (plan.json of the base branch and of the pull request): event flows, subscriptions, permissions, policy, cost.")
    .argument("[base]", "plan.json of the base (target) branch")
    .argument("[head]", "plan.json of the change under review")
    .option("--format <format>", `what to print: ${DIFF_FORMATS.join(", ")}; default: text`)
    .option("--markdown <file>", "also write the pull-request comment (Markdown) to this file")
    .option("--json <file>", "also write the comparison as JSON to this file")
    .allowUnknownOption()
    .allowExcessArguments()
    .action((base: string | undefined, head: string | undefined, opts: DiffCliOptions, cmd: Command) => {
      const unknown = cmd.args.filter((a) => /^--?[A-Za-z]/.test(a));
      if (unknown.length > 0) throw usageError(`unknown option ${unknown.map((a) => JSON.stringify(a)).join(", ")}; the options are --format <text|json|markdown>, --markdown <file>, --json <file>.`);
      const extra = cmd.args.slice(2);
      if (base === undefined || head === undefined) throw usageError("diff needs two plan files: aml-events diff <base plan.json> <head plan.json>.");
      if (extra.length > 0) throw usageError(`diff takes two plan files; unexpected ${extra.map((a) => JSON.stringify(a)).join(", ")} (options: --format, --markdown, --json).`);
      process.exitCode = runDiffCli(base, head, opts);
    });
}
