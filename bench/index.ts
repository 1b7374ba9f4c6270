/**
 * `npm run bench`: every figure in one run. Speed is reported as ratios against a baseline measured
 * in the same run on the same machine, so the numbers compare across machines.
 */
import { BenchFigure, BenchModule } from "./types";
import { run as filters } from "./filters";
import { run as deployment } from "./deployment";
import { run as policy } from "./policy";
import { run as composite } from "./composite";
import { run as engine } from "./engine";

const modules: readonly (readonly [string, BenchModule])[] = [
  ["filters and routing", filters],
  ["model deployer package", deployment],
  ["policy pack", policy],
  ["composite vs azure-native (plan time)", composite],
  ["real Pulumi engine vs offline plan", engine],
];

function format(f: BenchFigure): string {
  const value = f.unit === "x" ? `${f.value.toFixed(3)}×` : `${Number.isInteger(f.value) ? f.value : f.value.toFixed(2)} ${f.unit}`;
  return `  ${f.name.padEnd(64)} ${value.padStart(16)}${f.note ? `   (${f.note})` : ""}`;
}

async function main(): Promise<void> {
  // Flags (--scale) are for the modules; the other arguments pick modules by title.
  const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  for (const [title, run] of modules) {
    if (only.length > 0 && !only.some((o) => title.includes(o))) continue;
    console.log(`\n${title}`);
    for (const figure of await run()) console.log(format(figure));
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
