import * as assert from "assert";
import { AmlEventType } from "../../lib/events";
import { comparePlans } from "../../lib/review/diff";
import { compareFigures, numbersByPath } from "../../lib/review/figures";
import { compareFilterSpecs } from "../../lib/review/filters";
import { comparePermissions, scopeLabel } from "../../lib/review/permissions";
import { readPlan, ReviewPlan } from "../../lib/review/read";
import { compareRules } from "../../lib/review/rules";
import { ChangeLine } from "../../lib/review/types";

const line = (l: ChangeLine): string => `${l.sign} ${l.text}${l.attention ? ` [${l.attention}]` : ""}`;
const RUN = { includedEventTypes: [AmlEventType.RunCompleted, AmlEventType.RunStatusChanged] };

describe("review: filter reach compared (pure)", () => {
  const cases: [string, unknown, unknown, string[]][] = [
    ["same filter", RUN, { ...RUN }, []],
    ["a type dropped", RUN, { includedEventTypes: [AmlEventType.RunCompleted] }, ["- no longer matches RunStatusChanged events [fewer events delivered]"]],
    ["no includedEventTypes means every type", { includedEventTypes: [AmlEventType.ModelRegistered] }, {}, ["+ now matches RunCompleted events", "+ now matches ModelDeployed events", "+ now matches DatasetDriftDetected events", "+ now matches RunStatusChanged events"]],
    [
      "a prefix that no model subject can begin removes ModelRegistered",
      { includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.RunCompleted] },
      { includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.RunCompleted], subjectBeginsWith: "experiments/" },
      ["- no longer matches ModelRegistered events [fewer events delivered]", '~ subject prefix "" → "experiments/": matches fewer subjects [fewer events delivered]'],
    ],
    ["prefix extended (ignoring case)", { ...RUN, subjectBeginsWith: "EXPERIMENTS/" }, { ...RUN, subjectBeginsWith: "experiments/ab" }, ['~ subject prefix "EXPERIMENTS/" → "experiments/ab": matches fewer subjects [fewer events delivered]']],
    ["suffix shortened", { ...RUN, subjectEndsWith: "_prod" }, { ...RUN, subjectEndsWith: "prod" }, ['~ subject suffix "_prod" → "prod": matches more subjects']],
    ["case-sensitive subjects", { ...RUN, subjectBeginsWith: "experiments/" }, { ...RUN, subjectBeginsWith: "experiments/", isSubjectCaseSensitive: true }, ["~ subject now compared case-sensitively (matches fewer subjects) [fewer events delivered]"]],
    [
      "values added to a negated operator exclude more",
      { ...RUN, advancedFilters: [{ operatorType: "StringNotIn", key: "data.runStatus", values: ["Running"] }] },
      { ...RUN, advancedFilters: [{ operatorType: "StringNotIn", key: "data.runStatus", values: ["Running", "Queued"] }] },
      ['~ condition data.runStatus is none of ["Running"] → data.runStatus is none of ["Running","Queued"] (matches fewer events) [fewer events delivered]'],
    ],
    [
      "values differing only in case are the same (Event Grid compares strings ignoring case)",
      { ...RUN, advancedFilters: [{ operatorType: "StringIn", key: "data.runStatus", values: ["Failed"] }] },
      { ...RUN, advancedFilters: [{ operatorType: "StringIn", key: "data.runStatus", values: ["failed"] }] },
      [],
    ],
    [
      "a threshold lowered lets more through",
      { ...RUN, advancedFilters: [{ operatorType: "NumberGreaterThan", key: "data.score", value: 0.5 }] },
      { ...RUN, advancedFilters: [{ operatorType: "NumberGreaterThan", key: "data.score", value: 0.3 }] },
      ["~ condition data.score > 0.5 → data.score > 0.3 (matches more events)"],
    ],
    [
      "a condition dropped, another added",
      { ...RUN, advancedFilters: [{ operatorType: "StringBeginsWith", key: "data.experimentName", values: ["churn-"] }] },
      { ...RUN, advancedFilters: [{ operatorType: "IsNotNull", key: "data.runTags.owner" }] },
      ['- condition dropped: data.experimentName begins with one of ["churn-"] (matches more events)', "+ new condition: data.runTags.owner is present and not null (matches fewer events) [fewer events delivered]"],
    ],
  ];
  for (const [name, before, after, expected] of cases) {
    it(name, () => assert.deepStrictEqual(compareFilterSpecs(before, after).map(line), expected));
  }
});

function plan(permissions: unknown, extra: Record<string, unknown> = {}): ReviewPlan {
  return readPlan({ planFormat: 2, routing: [], subscriptions: [], resources: [], policy: { violations: [] }, permissions, ...extra }, "p.json");
}

describe("review: permissions compared per identity (pure)", () => {
  const RG = "/subscriptions/s/resourceGroups/rg";
  const grant = (role: string, scope: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ principal: "Data Factory adf", role, scope, privileged: false, ...extra });
  const role = (actions: string[]): Record<string, unknown> => ({ resource: "invoker-role", roleName: "batch invoker", actions, dataActions: [], notActions: [] });

  it("a custom role that gains an action widens the privilege of every identity holding it; losing one does not", () => {
    const before = plan({ assignments: [grant("batch invoker", `${RG}/providers/M/w/ws`, { customRole: "invoker-role" })], roleDefinitions: [role(["a/read"])] });
    const after = plan({ assignments: [grant("batch invoker", `${RG}/providers/M/w/ws`, { customRole: "invoker-role" })], roleDefinitions: [role(["a/read", "a/listKeys/action"])] });
    assert.deepStrictEqual(comparePermissions(before, after).map((g) => [g.title, ...g.lines.map(line)]), [["Data Factory adf", "+ custom role batch invoker gains action a/listKeys/action [privilege widened]"]]);
    assert.deepStrictEqual(comparePermissions(after, before).map((g) => g.lines.map(line)), [["- custom role batch invoker loses action a/listKeys/action"]]);
  });

  it("a role swapped for a privileged one on the same scope, a grant added and one removed", () => {
    const before = plan({ assignments: [grant("Reader", RG), grant("StorageQueueDataMessageSender", `${RG}/providers/S/q`)], roleDefinitions: [] });
    const after = plan({ assignments: [grant("Contributor", RG, { privileged: true }), grant("Reader", "/subscriptions/s/resourceGroups/other")], roleDefinitions: [] });
    assert.deepStrictEqual(comparePermissions(before, after)[0].lines.map(line), [
      "~ on resource group rg: role Reader → Contributor (privileged) [privilege widened]",
      "+ Reader on resource group other [privilege widened]",
      "- StorageQueueDataMessageSender on S/q in resource group rg",
    ]);
  });

  it("scope labels", () => {
    assert.strictEqual(scopeLabel("/subscriptions/s"), "subscription s");
    assert.strictEqual(scopeLabel(`${RG}`), "resource group rg");
    assert.strictEqual(scopeLabel(`${RG}/providers/Microsoft.Storage/storageAccounts/st`), "Microsoft.Storage/storageAccounts/st in resource group rg");
  });
});

describe("review: other sections' figures (cost, quotas) compared generically (pure)", () => {
  it("numbers by path; list items keyed by name, so reordering is no change", () => {
    assert.deepStrictEqual([...numbersByPath({ perMonth: { usd: 12.5 }, items: [{ name: "logic", count: 3 }, { count: 4 }] }, "estimate")], [
      ["estimate.perMonth.usd", 12.5],
      ["estimate.items[logic].count", 3],
      ["estimate.items[1].count", 4],
    ]);
    const a = { estimate: { items: [{ name: "a", perMonth: 1 }, { name: "b", perMonth: 2 }] } };
    const b = { estimate: { items: [{ name: "b", perMonth: 2 }, { name: "a", perMonth: 1 }] } };
    assert.deepStrictEqual(compareFigures(a, b), []);
  });

  it("changed, added and removed figures; a section on one side only is said so", () => {
    const groups = compareFigures(
      { estimate: { totalPerMonth: 10, emailsPerMonth: 300, note: "text is not compared" } },
      { estimate: { totalPerMonth: 12.25, runsPerMonth: 40, note: "other text" }, quotas: { emailsPerHour: 10 } },
    );
    assert.deepStrictEqual(
      groups.map((g) => [g.title, ...g.lines.map(line)]),
      [
        ["estimate", "~ estimate.totalPerMonth: 10 → 12.25 (+2.25)", "- estimate.emailsPerMonth: 300", "+ estimate.runsPerMonth: 40"],
        ["quotas", "+ quotas: only the head plan has this section", "+ quotas.emailsPerHour: 10"],
      ],
    );
  });

  it("a plan.json's unknown top-level sections are the figures compared; known ones are not", () => {
    const p = plan({ assignments: [], roleDefinitions: [] }, { estimate: { total: 1 }, now: "2026-11-22T09:00:00Z" });
    assert.deepStrictEqual(Object.keys(p.otherSections), ["estimate"]);
  });
});

describe("review: declared rules compared (pure)", () => {
  const rule = (name: string, action: string, conditions: string[] = [], recipients: string[] = []): { name: string; action: string; conditions: string[]; recipients: string[] } => ({ name, action, conditions, recipients });
  it("a deploy rule moved to another endpoint, one removed, one added (same names matched by position)", () => {
    const before = [rule("deploy rule 1", "deploy to endpoint ep-a", ["model tag type is one of [\"regression\"]"]), rule("deploy rule 2", "deploy to endpoint ep-b")];
    const after = [rule("deploy rule 1", "deploy to endpoint ep-c", ["model tag type is one of [\"regression\"]"]), rule("deploy rule 3", "deploy to endpoint ep-d")];
    assert.deepStrictEqual(compareRules(before, after).map(line), [
      "~ rule deploy rule 1: deploy to endpoint ep-a → deploy to endpoint ep-c [flow removed]",
      "- rule deploy rule 2 removed: when always → deploy to endpoint ep-b [flow removed]",
      "+ rule deploy rule 3 added: when always → deploy to endpoint ep-d",
    ]);
  });
  it("recipients added and removed per address", () => {
    const before = [rule("Alert_X", "email to a@c.com", [], ["a@c.com"])];
    const after = [rule("Alert_X", "email to b@c.com", [], ["b@c.com"])];
    assert.deepStrictEqual(compareRules(before, after).map(line), ["- rule Alert_X no longer mails a@c.com [flow removed]", "+ rule Alert_X now mails b@c.com"]);
  });
});

describe("review: a forged plan.json with junk inside its sections (pure)", () => {
  it("is read without throwing and compared as far as its well-formed parts go", () => {
    const junk = readPlan(
      {
        planFormat: 2,
        routing: [null, 5, { event: "x", delivered: [null, { subscription: 3, outcome: 7 }] }],
        subscriptions: [{ name: "s", filterSpec: "junk", rules: [1, { name: "r", conditions: "c" }] }],
        resources: [],
        policy: { violations: [null, { policyName: "p", enforcementLevel: "mandatory" }] },
        permissions: { assignments: [5, { principal: "x" }], roleDefinitions: "x" },
        loop: [{}],
        estimate: { perMonth: Number.MAX_VALUE, text: ["a"] },
      },
      "junk.json",
    );
    const empty = plan({ assignments: [], roleDefinitions: [] });
    const diff = comparePlans(empty, junk);
    assert.ok(diff.changes > 0);
    assert.strictEqual(diff.attention["new mandatory violation"], 1);
    assert.deepStrictEqual(comparePlans(junk, junk).changes, 0);
  });
});
