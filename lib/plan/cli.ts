#!/usr/bin/env node
/**
 * `npm start`: the offline plan. Runs a Pulumi program on the Azure-shaped mock engine (no CLI, no
 * credentials), prints every resource, routes events through the declared subscriptions into their
 * workflows and handlers, and writes the report under `out/`.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { createPlan } from "./plan";
import { resourcesSection, routingSection } from "./report";

interface CliOptions {
  program: string;
  events?: string;
  out: string;
}

async function main(argv: readonly string[]): Promise<number> {
  const root = path.resolve(__dirname, "..", "..", "..");
  const cli = new Command()
    .name("aml-event-workflows-plan")
    .description("Offline plan of a Pulumi program: resources, policy verdict, routing of AML events.")
    .option("--program <path>", "compiled program to plan (file, or folder with index.js)", path.join(root, "dist", "examples", "platform"))
    .option("--events <file>", "JSON file with one event or an array of events (Event Grid schema or CloudEvents)")
    .option("--out <dir>", "where to write plan.json and the report", path.join(root, "out"))
    .parse(argv);
  const opts = cli.opts<CliOptions>();

  let events: unknown[] | undefined;
  if (opts.events) {
    const parsed: unknown = JSON.parse(fs.readFileSync(opts.events, "utf8"));
    events = Array.isArray(parsed) ? parsed : [parsed];
  }
  const plan = await createPlan({ program: opts.program, ...(events ? { events } : {}) });

  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, "plan.json"), `${JSON.stringify({ resources: plan.resources }, null, 2)}\n`);
  console.log(resourcesSection(plan));
  console.log("");
  console.log(routingSection(plan));
  console.log("");
  console.log(`Wrote ${path.relative(process.cwd(), path.join(opts.out, "plan.json"))}`);
  return 0;
}

main(process.argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
