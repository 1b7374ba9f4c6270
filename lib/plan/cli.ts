#!/usr/bin/env node
/**
 * `npm start`: the offline plan. Runs a Pulumi program on the Azure-shaped mock engine (no CLI, no
 * credentials), prints every resource, runs the policy pack on them, routes events through the
 * declared subscriptions into their workflows and handlers, and writes `plan.json`, the routing map
 * (DOT and SVG) and an HTML report. Exits 1 when a mandatory policy is violated, like `pulumi preview`.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { formatReadiness, formatViolations, verdictOf } from "../../policy/api";
import { htmlReport } from "./html";
import { renderSvg, routingMapDot } from "./map";
import { createPlan } from "./plan";
import { resourcesSection, routingSection } from "./report";

interface CliOptions {
  program: string;
  events?: string;
  out: string;
  policyConfig?: string;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
  } catch (err) {
    throw new Error(`${what} ${JSON.stringify(file)} could not be read as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const root = path.resolve(__dirname, "..", "..", "..");
  const cli = new Command()
    .name("aml-event-workflows-plan")
    .description("Offline plan of a Pulumi program: resources, policy verdict, routing of AML events, routing map.")
    .option("--program <path>", "compiled program to plan (a .js file, or a folder with index.js)", path.join(root, "dist", "examples", "platform"))
    .option("--events <file>", "JSON file with one event or an array of events (Event Grid schema or CloudEvents 1.0)")
    .option("--policy-config <file>", "policy pack config, as for `pulumi preview --policy-pack-config`")
    .option("--out <dir>", "where to write plan.json, routing-map.svg and report.html", path.join(root, "out"))
    .parse(argv);
  const opts = cli.opts<CliOptions>();

  let events: unknown[] | undefined;
  if (opts.events) {
    const parsed = readJson(opts.events, "--events");
    events = Array.isArray(parsed) ? parsed : [parsed];
  }
  const policyConfig = opts.policyConfig ? (readJson(opts.policyConfig, "--policy-config") as Record<string, unknown>) : undefined;
  const plan = await createPlan({ program: opts.program, ...(events ? { events } : {}), ...(policyConfig ? { policyConfig } : {}) });

  const dot = routingMapDot(plan);
  const svg = await renderSvg(dot);
  fs.mkdirSync(opts.out, { recursive: true });
  const write = (file: string, text: string): string => {
    const full = path.join(opts.out, file);
    fs.writeFileSync(full, text);
    return path.relative(process.cwd(), full);
  };
  const json = {
    resources: plan.resources,
    policy: { verdict: verdictOf(plan.violations), violations: plan.violations },
    readiness: plan.readiness ?? [],
    routing: plan.routing.map((r) => ({
      event: { id: r.event.id, eventType: r.event.eventType, subject: r.event.subject },
      delivered: r.outcomes.map((o) => ({ subscription: o.subscription.name, target: o.subscription.target, outcome: o.outcome })),
      skipped: r.skipped.map((s) => ({ subscription: s.subscription.name, clause: s.clause, reason: s.reason })),
    })),
  };
  const files = [
    write("plan.json", `${JSON.stringify(json, null, 2)}\n`),
    write("routing-map.dot", dot),
    write("routing-map.svg", svg),
    write("report.html", htmlReport(plan, svg)),
  ];

  console.log(resourcesSection(plan));
  console.log("");
  console.log(routingSection(plan));
  console.log("");
  console.log(formatReadiness(plan.readiness ?? []));
  console.log("");
  console.log(formatViolations(plan.violations));
  console.log("");
  const deliveries = plan.routing.reduce((n, r) => n + r.delivered.length, 0);
  const verdict = verdictOf(plan.violations);
  console.log(
    `Plan: ${plan.resources.length} resources, ${plan.subscriptions.length} subscriptions; ${plan.routing.length} events → ${deliveries} deliveries; ` +
      `policy ${verdict.passed ? "passed" : "FAILED"} (${verdict.mandatory} mandatory, ${verdict.advisory} advisory).`,
  );
  console.log(`Wrote ${files.join(", ")}`);
  return verdictOf(plan.violations).passed ? 0 : 1;
}

main(process.argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
