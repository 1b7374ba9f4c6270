/**
 * Checks an existing stack's state with the pack: `node dist/policy/live.js <export.json> [config.json]`
 * where `<export.json>` is `pulumi stack export` output (or `-` for stdin). Prints the violations like
 * the offline plan and exits 1 when a mandatory policy is violated.
 */
import * as fs from "fs";
import { checkResources, formatViolations, fromStackExport, verdictOf } from "./api";

async function main(argv: readonly string[]): Promise<number> {
  const [file, configFile] = argv;
  if (file === undefined) {
    console.error("Usage: node dist/policy/live.js <pulumi-stack-export.json | -> [policy-config.json]\n  e.g. pulumi stack export --stack prod | node dist/policy/live.js - policy/policy-config.json");
    return 2;
  }
  const text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  const config = configFile === undefined ? undefined : (JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>);
  const violations = await checkResources(fromStackExport(text), config);
  console.log(formatViolations(violations));
  return verdictOf(violations).passed ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(2);
    },
  );
}
