/** Where each guide lives (repository-relative), for the tests that check a guide's content against the code. */
export const OFFLINE_PLAN_GUIDE = "docs/guides/offline-plan.md";
export const POLICY_GUIDE = "docs/guides/policy-in-pull-requests.md";
export const COMPONENTS_GUIDE = "docs/guides/components.md";
export const DEAD_LETTERS_GUIDE = "docs/guides/dead-letters-runbook.md";
