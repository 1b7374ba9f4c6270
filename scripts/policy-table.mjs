// Regenerates the policy table of docs/guides/policy-in-pull-requests.md from the compiled pack: `npx tsc -p . && node scripts/policy-table.mjs`.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { policies, withPolicyTable } = require("../dist/policy/api.js");
const file = new URL("../docs/guides/policy-in-pull-requests.md", import.meta.url);
writeFileSync(file, withPolicyTable(readFileSync(file, "utf8"), policies));
