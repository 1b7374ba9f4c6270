/**
 * The version of `plan.json`'s layout, written as its `planFormat`. Readers (`aml-events diff`) compare
 * what both plans carry and say what an older plan lacks. Raise it whenever a section is added or changes
 * meaning, and record what it brought here.
 *
 * - 1 (no `planFormat` key): resources, outputs, policy, readiness, subscriptions (filter in words),
 *   routing (event id, type and subject), loop.
 * - 2: `permissions` (role assignments per identity, custom roles with their actions); each
 *   subscription's `topic`, `workspace` and `filterSpec` (the filter as declared); each routed event's `topic`.
 * - 3: `estimate` (operations and cost per workspace and month); routing outcomes carry their `usage`.
 */
export const PLAN_FORMAT = 3;
