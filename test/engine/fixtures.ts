/**
 * Fixtures shared by the real-engine test files through the process's one Pulumi environment
 * (`sharedPulumiEnv` in ./cli): each is computed once, on first use, whichever file asks first.
 */
import { CliResult, PulumiEnv, README_POLICY_FLAGS } from "./cli";

/**
 * `pulumi preview --policy-pack policy --policy-pack-config policy/policy-config.json --json` of the
 * repository's own project (examples/platform, the README's recipe verbatim) on a fresh stack. Read-only:
 * callers assert on it and must not change the stack.
 */
export function platformPreview(env: PulumiEnv): Promise<CliResult> {
  return env.once("platform-preview", async () => env.run(["preview", ...README_POLICY_FLAGS, "--json"], await env.repoProject("platform-preview")));
}
