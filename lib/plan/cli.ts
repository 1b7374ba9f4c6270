/**
 * `aml-events plan` (and `npm start`): the offline plan. Runs a Pulumi program on the Azure-shaped
 * mock engine (no CLI, no credentials), prints every resource, runs the policy pack on them, routes
 * events through the declared subscriptions into their workflows and handlers, and writes `plan.json`,
 * the routing map (DOT and SVG) and an HTML report. Exit codes: {@link EXIT}. Every default is relative
 * to the working directory (the user's Pulumi program).
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { formatReadiness, formatViolations, verdictOf } from "../../policy/api";
import { subscriptionReach } from "./declared";
import { filterInWords } from "./filterWords";
import { PLAN_FORMAT } from "./format";
import { htmlReport } from "./html";
import { loopSection } from "./loop";
import { renderSvg, routingMapDot } from "./map";
import { compareWithBase } from "../review/cli";
import { planPermissions } from "./permissions";
import { engineOutputProblem } from "./engineInput";
import { createPlan, createPlanFromEngineOutput, DEFAULT_PLAN_NOW, Plan } from "./plan";
import { estimateSection } from "../estimate/format";
import { priceTableWith } from "../estimate/prices";
import { RatesInput, validateRates } from "../estimate/rates";
import { inputsSection, outputsSection, resourcesSection, routingSection, subscriptionsSection } from "./report";
import { responseTimesSection, workflowResponseTimes } from "./responseTimes";

/** Options of `aml-events plan`, as parsed. */
export interface PlanCliOptions {
  /** Compiled program: a .js file or a folder (its package.json `main` or index.js). @default - see {@link defaultProgram} */
  readonly program?: string;
  /** JSON file with one event or an array of events. @default - the sample events of every declared workspace (five event types and three model monitoring runs) */
  readonly events?: string;
  /** Output folder. @default `out` under the working directory */
  readonly out?: string;
  /** Policy pack config file (`pulumi preview --policy-pack-config` format). @default - the pack's defaults */
  readonly policyConfig?: string;
  /** The clock workflows see, ISO 8601 with a time zone. @default "2026-11-22T09:00:00Z" ({@link DEFAULT_PLAN_NOW}) */
  readonly now?: string;
  /** Stack config the program reads, `namespace:key=value` each (as `pulumi config set`). @default [] */
  readonly config?: readonly string[];
  /** JSON file of event rates for the operations estimate: `{default?: {...}, workspaces?: {idOrName: {...}}}`. @default - the default rates */
  readonly rates?: string;
  /** JSON file overriding the estimate's price table (same keys as the default table). @default - the dated default table */
  readonly prices?: string;
  /** A base plan.json to compare this plan with (as `aml-events diff <base> <this plan>`). @default - no comparison */
  readonly compare?: string;
  /** `pulumi preview --json` or `pulumi stack export` output to plan instead of running a program (any language). @default - run the program */
  readonly engineOutput?: string;
}

/** Parses `--config namespace:key=value` entries; throws naming the entry and the expected form. */
export function parseConfigEntries(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const m = /^([A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+)=(.*)$/s.exec(entry);
    if (m === null) throw usageError(`--config ${JSON.stringify(entry)} is not namespace:key=value (e.g. platform:failureWebhookUrl=https://hooks.contoso.com/aml).`, EXIT.inputUnusable);
    out[m[1]] = m[2];
  }
  return out;
}

/** Exit codes of `aml-events plan`. */
export const EXIT = {
  /** The plan is complete and every mandatory policy passed. */
  ok: 0,
  /** A mandatory policy is violated (like `pulumi preview`), or the program could not be run. */
  policyFailed: 1,
  /** Input unusable: `--events`, `--policy-config`, `--config` or `--now` unreadable, or some events malformed (the rest is planned and written). */
  inputUnusable: 2,
  /** With `--compare`: something a reviewer must look at changed (as `aml-events diff` exits). */
  needsReview: 3,
} as const;

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
  } catch (err) {
    throw usageError(`${what} ${JSON.stringify(file)} could not be read as JSON: ${err instanceof Error ? err.message : String(err)}`, EXIT.inputUnusable);
  }
}

/** Checks `--now`: an ISO 8601 date-time with a time zone, as workflows' `utcNow()` returns. */
export function parseNow(now: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  if (!iso.test(now) || Number.isNaN(Date.parse(now))) {
    throw usageError(`--now ${JSON.stringify(now)}: expected an ISO 8601 date-time with a time zone, e.g. 2026-11-22T09:00:00Z.`, EXIT.inputUnusable);
  }
  return now;
}

/**
 * The program a plain `aml-events plan` plans: the `main` of `Pulumi.yaml` in `cwd` when it names one
 * (as `pulumi preview` would run it), otherwise `cwd` itself (its package.json `main`, or index.js).
 */
export function defaultProgram(cwd: string): string {
  const project = path.join(cwd, "Pulumi.yaml");
  if (!fs.existsSync(project)) return cwd;
  const main = /^main:[ \t]*["']?([^"'#\r\n]+?)["']?[ \t]*(?:#.*)?$/m.exec(fs.readFileSync(project, "utf8"));
  return main ? path.resolve(cwd, main[1]) : cwd;
}

/** An error in what the user asked for: the CLI prints its message alone, without a stack. */
function usageError(message: string, exitCode: number = EXIT.policyFailed): Error {
  const err = Object.assign(new Error(message), { exitCode });
  err.name = "UsageError";
  return err;
}

/** Resolves `--program` to a loadable file, or throws an error that says how to fix it. */
export function resolveProgram(program: string): string {
  const full = path.resolve(program);
  try {
    return require.resolve(full);
  } catch {
    throw usageError(
      `--program ${JSON.stringify(program)}: no compiled program there (expected a .js file, or a folder with index.js or a package.json "main"). ` +
        `Compile your program first (e.g. \`npx tsc\`) and pass its output folder, or set \`main\` in Pulumi.yaml.`,
    );
  }
}

/** The plan as `plan.json` holds it. */
export function planJson(plan: Plan): unknown {
  return {
    planFormat: PLAN_FORMAT,
    now: plan.now,
    findings: plan.findings,
    events: { from: plan.eventsFrom, workspaces: plan.workspaces, rejected: plan.rejected },
    outputs: plan.outputs,
    resources: plan.resources,
    policy: { verdict: verdictOf(plan.violations), violations: plan.violations },
    readiness: plan.readiness ?? [],
    permissions: planPermissions(plan.raw),
    subscriptions: plan.subscriptions.map((s) => {
      const reach = subscriptionReach(s, plan.routing);
      const where = { topic: s.topicName, ...(s.source !== undefined ? { workspace: s.source } : {}) };
      return { name: s.name, target: s.target, ...where, filter: filterInWords(s.filter), filterSpec: s.filter, deliveredEvents: reach.delivered, rules: reach.rules, targets: reach.targets };
    }),
    routing: plan.routing.map((r) => ({
      event: { id: r.event.id, eventType: r.event.eventType, subject: r.event.subject, ...(typeof r.event.topic === "string" ? { topic: r.event.topic } : {}) },
      delivered: r.outcomes.map((o) => ({ subscription: o.subscription.name, target: o.subscription.target, outcome: o.outcome })),
      skipped: r.skipped.map((s) => ({ subscription: s.subscription.name, clause: s.clause, reason: s.reason })),
      ...(r.unrouted ? { unrouted: r.unrouted } : {}),
    })),
    loop: plan.loop ?? [],
    responseTimes: workflowResponseTimes(plan.raw),
    ...(plan.estimate ? { estimate: plan.estimate } : {}),
  };
}

async function writeOutputs(plan: Plan, out: string): Promise<string[]> {
  const dot = routingMapDot(plan);
  const svg = await renderSvg(dot);
  fs.mkdirSync(out, { recursive: true });
  const write = (file: string, text: string): string => {
    const full = path.join(out, file);
    fs.writeFileSync(full, text);
    return path.relative(process.cwd(), full);
  };
  return [
    write("plan.json", `${JSON.stringify(planJson(plan), null, 2)}\n`),
    write("routing-map.dot", dot),
    write("routing-map.svg", svg),
    write("report.html", htmlReport(plan, svg)),
  ];
}

function printSummary(plan: Plan, files: readonly string[]): void {
  console.log(inputsSection(plan));
  console.log("");
  console.log(resourcesSection(plan));
  console.log("");
  console.log(outputsSection(plan));
  console.log("");
  console.log(subscriptionsSection(plan));
  console.log("");
  console.log(routingSection(plan));
  console.log("");
  const loop = loopSection(plan.loop ?? []);
  if (loop !== "") console.log(`${loop}\n`);
  const times = responseTimesSection(workflowResponseTimes(plan.raw));
  if (times !== "") console.log(`${times}\n`);
  console.log(formatReadiness(plan.readiness ?? []));
  console.log("");
  console.log(formatViolations(plan.violations));
  console.log("");
  if (plan.estimate) console.log(`${estimateSection(plan.estimate)}\n`);
  if (plan.findings.length > 0) console.log([`Plan findings (${plan.findings.length})`, ...plan.findings.map((f) => `    ✗ ${f}`), ""].join("\n"));
  const deliveries = plan.routing.reduce((n, r) => n + r.delivered.length, 0);
  const verdict = verdictOf(plan.violations);
  console.log(
    `Plan: ${plan.resources.length} resources, ${plan.subscriptions.length} subscriptions; ${plan.routing.length} events → ${deliveries} deliveries` +
      `${plan.rejected.length > 0 ? ` (${plan.rejected.length} malformed event(s) NOT planned)` : ""}; ` +
      `policy ${verdict.passed ? "passed" : "FAILED"} (${verdict.mandatory} mandatory, ${verdict.advisory} advisory).`,
  );
  console.log(`Wrote ${files.join(", ")}`);
}

/** `--rates` and `--prices`, read and checked; throws a usage error naming the file and every problem. */
export function estimateOptions(opts: Pick<PlanCliOptions, "rates" | "prices">): { rates?: RatesInput; prices?: ReturnType<typeof priceTableWith> } {
  const rates = opts.rates ? readJson(opts.rates, "--rates") : undefined;
  const problems = rates === undefined ? [] : validateRates(rates);
  if (problems.length > 0) throw usageError(`--rates ${JSON.stringify(opts.rates)}: ${problems.join(" ")}`, EXIT.inputUnusable);
  let prices: ReturnType<typeof priceTableWith> | undefined;
  try {
    prices = opts.prices ? priceTableWith(readJson(opts.prices, "--prices")) : undefined;
  } catch (err) {
    if (err instanceof Error && err.name === "UsageError") throw err;
    throw usageError(`${err instanceof Error ? err.message : String(err)} (file ${JSON.stringify(opts.prices)})`, EXIT.inputUnusable);
  }
  return { ...(rates !== undefined ? { rates: rates as RatesInput } : {}), ...(prices ? { prices } : {}) };
}

/** Runs the plan with parsed options; resolves to the process exit code ({@link EXIT}: input problems win over a policy failure). */
export async function runPlanCli(opts: PlanCliOptions, cwd: string = process.cwd()): Promise<number> {
  if (opts.engineOutput !== undefined && (opts.program !== undefined || (opts.config ?? []).length > 0)) {
    throw usageError("--engine-output plans what the engine already produced: drop --program and --config (the engine ran the program with its own config).", EXIT.inputUnusable);
  }
  const program = opts.engineOutput === undefined ? resolveProgram(opts.program ?? defaultProgram(cwd)) : undefined;
  let events: unknown[] | undefined;
  if (opts.events) {
    const parsed = readJson(opts.events, "--events");
    events = Array.isArray(parsed) ? parsed : [parsed];
  }
  const policyConfig = opts.policyConfig ? (readJson(opts.policyConfig, "--policy-config") as Record<string, unknown>) : undefined;
  const now = parseNow(opts.now ?? DEFAULT_PLAN_NOW);
  const config = parseConfigEntries(opts.config ?? []);
  const estimate = estimateOptions(opts);
  const common = { now, estimate, ...(events ? { events } : {}), ...(policyConfig ? { policyConfig } : {}) };
  const engine = program === undefined ? readJson(opts.engineOutput ?? "", "--engine-output") : undefined;
  const problem = program === undefined ? engineOutputProblem(engine) : undefined;
  if (problem !== undefined) throw usageError(`--engine-output ${JSON.stringify(opts.engineOutput)}: ${problem}`, EXIT.inputUnusable);
  const plan = program === undefined ? await createPlanFromEngineOutput(engine, common) : await createPlan({ program, config, ...common });
  const out = opts.out ?? path.join(cwd, "out");
  printSummary(plan, await writeOutputs(plan, out));
  let reviewed: number = EXIT.ok;
  if (opts.compare !== undefined) {
    console.log("");
    reviewed = compareWithBase(opts.compare, planJson(plan), path.join(out, "plan.json"));
  }
  if (plan.rejected.length > 0) return EXIT.inputUnusable;
  return verdictOf(plan.violations).passed ? reviewed : EXIT.policyFailed;
}

/** The `plan` subcommand of `aml-events`. */
export function planCommand(): Command {
  return new Command("plan")
    .description("Offline plan of a Pulumi program: resources, policy verdict, routing of AML events, routing map.")
    .option("--program <path>", "compiled program to plan (a .js file, or a folder with index.js); default: Pulumi.yaml's main in the working directory, else the working directory")
    .option("--engine-output <file>", "plan `pulumi preview --json` or `pulumi stack export` output (a program in any language) instead of running a compiled program")
    .option("--events <file>", "JSON file with one event or an array of events (Event Grid schema or CloudEvents 1.0)")
    .option("--policy-config <file>", "policy pack config, as for `pulumi preview --policy-pack-config`")
    .option("--now <iso>", "the clock workflows see (utcNow()), e.g. 2026-11-22T09:00:00Z; default: that fixed time, so plans are reproducible")
    .option("--out <dir>", "where to write plan.json, routing-map.svg and report.html; default: ./out")
    .option("--rates <file>", "event rates for the operations and cost estimate: {\"default\": {\"runsPerHour\": 20}, \"workspaces\": {\"<name or ARM id>\": {\"registrationsPerDay\": 2}}}")
    .option("--prices <file>", "price table overrides for the estimate: {\"asOf\": \"…\", \"region\": \"…\", \"prices\": {\"emails\": {\"usd\": 0.0002}}}")
    .option("--compare <base plan.json>", "compare this plan with a base plan, as `aml-events diff` does (exit 3 when a reviewer must look)")
    .option("--config <namespace:key=value>", "stack config the program reads (repeatable), as `pulumi config set` would set it", (v: string, all: string[] = []) => [...all, v])
    .action(async (opts: PlanCliOptions) => {
      process.exitCode = await runPlanCli(opts);
    });
}

// `node dist/lib/plan/cli.js [options]` keeps working for scripts written before `aml-events plan`.
if (require.main === module) {
  // The same program `aml-events plan` runs, built here from the plan subcommand alone (the dispatcher imports this file).
  void import("../cli/program").then(({ programWith, runProgram }) => runProgram(() => programWith([planCommand]), [...process.argv.slice(0, 2), "plan", ...process.argv.slice(2)])).then((code) => process.exit(code));
}
