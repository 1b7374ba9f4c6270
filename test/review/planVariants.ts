/**
 * Plans review fixture variants in one process (each on a fresh mock engine, as `aml-events plan`
 * would) and writes `<out>/<label>/plan.json` (the label is the variant unless given as `label=variant`).
 * Run as a child process: the plan installs its own mocks, which must not replace the test run's.
 *
 *   node dist/test/review/planVariants.js [--events <file>] <out dir> [label=]<variant>...
 */
import * as fs from "fs";
import * as path from "path";
import { planJson } from "../../lib/plan/cli";
import { createPlan } from "../../lib/plan/plan";
import { declareReviewFixture, Variant } from "./fixture";

async function main(out: string, specs: readonly string[], events?: unknown[]): Promise<void> {
  for (const spec of specs) {
    const [label, variant] = spec.includes("=") ? spec.split("=") : [spec, spec];
    const plan = await createPlan({ program: () => declareReviewFixture(variant as Variant), ...(events ? { events } : {}) });
    fs.mkdirSync(path.join(out, label), { recursive: true });
    fs.writeFileSync(path.join(out, label, "plan.json"), `${JSON.stringify(planJson(plan), null, 2)}\n`);
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const events = args[0] === "--events" ? (JSON.parse(fs.readFileSync(args[1], "utf8")) as unknown[]) : undefined;
  const [out, ...specs] = events ? args.slice(2) : args;
  main(out, specs, events).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
