/**
 * Diagnostic settings: categories as Learn lists them per type (typos and documented-but-not-emitted
 * categories refused at construction), and settings Azure refuses together on one resource (a destination
 * reused for a category, more than five) caught in a component, in the composite (its forwarded settings
 * beside monitoring's) and by the pack — including ids forged in case, trailing slashes and resource-group
 * spelling, and category names in odd case.
 */
import * as assert from "assert";
import { MlEventWorkflows, MlEventWorkflowsArgs } from "../../lib/composite";
import { ModelDeployer } from "../../lib/deployment";
import { AmlEventType } from "../../lib/events";
import { diagnosticCoverageProblems, DiagnosticSetting, diagnosticSinkProblems, validateDiagnosticSettings } from "../../lib/interfaces";
import { Observability } from "../../lib/observability";
import { EmailAlerts } from "../../lib/notifications";
import { analyzeResources, checkResources, fromMockedResources, PolicyResourceInput, policies, UNKNOWN_VALUE } from "../../policy/api";
import { registered, workspaceId } from "../helpers/pulumi";
import { CASES, LAW, PACKAGE, place, RG } from "./cases";

/** LAW spelt the way a careless or hostile caller might: other case, RG segment upper-cased (and, raw in the pack, a trailing slash). */
const FORGED_LAW = LAW.replace("resourceGroups", "RESOURCEGROUPS").replace("central-logs", "Central-Logs");
const SLASHED_LAW = `${FORGED_LAW}/`;
const OTHER_LAW = `${RG}/providers/Microsoft.OperationalInsights/workspaces/security-logs`;
const RULE = `${RG}/providers/Microsoft.EventHub/namespaces/evhns-logs/authorizationRules/send`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/starchive`;
const C = 'X("x")';
const POLICY = "deploy-diagnostic-sinks-unique";

function build(component: string, name: string, diagnosticSettings: DiagnosticSetting[]): void {
  const c = CASES.find((k) => k.component === component);
  assert.ok(c, component);
  c.build(name, { diagnosticSettings });
}

/** The single message of `problems`, which must contain every part. */
function one(problems: readonly string[], ...parts: string[]): void {
  assert.strictEqual(problems.length, 1, problems.join("\n"));
  for (const p of parts) assert.ok(problems[0].includes(p), `${JSON.stringify(problems[0])} lacks ${JSON.stringify(p)}`);
}

describe("diagnostic categories: what each created type accepts", () => {
  it("a misspelt category is refused at construction, naming the component, the argument, the value and the valid list", () => {
    for (const [value, hint] of [
      ["FunctionAppLog", ""],
      ["functionapplogs", 'did you mean "FunctionAppLogs"'],
      ["FunctionAppLogs ", 'did you mean "FunctionAppLogs"'],
    ] as const) {
      assert.throws(
        () => build("ModelDeployer", `diagtypo${value.length}${value[0]}`, [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: value }] }]),
        (e: Error) => {
          for (const part of ["ModelDeployer(", "diagnosticSettings[0].logCategoriesAndGroups[0]", JSON.stringify(value), "use one of allLogs, audit, FunctionAppLogs", hint]) assert.ok(e.message.includes(part), `${e.message} lacks ${part}`);
          return true;
        },
      );
    }
  });

  it('a category group with a stray space ("allLogs ") is refused with the two groups', () => {
    assert.throws(() => build("EmailAlerts", "diaggroupspace", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ categoryGroup: "allLogs " }] }]), /EmailAlerts\(.*diagnosticSettings\[0\]\.logCategoriesAndGroups\[0\]\.categoryGroup "allLogs " is not a category group; use "allLogs" or "audit"/);
  });

  it("App Service categories Learn lists for Microsoft.Web/sites are refused on the Flex Consumption function app, with the reason", () => {
    one(diagnosticCoverageProblems(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "AppServiceHTTPLogs" }] }], ["Microsoft.Web/sites"]), '"AppServiceHTTPLogs"', "is an App Service log", "FunctionAppLogs");
    one(diagnosticCoverageProblems(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "AppServiceFileAuditLogs" }] }], ["Microsoft.Web/sites"]), "Premium");
    // A category another created resource emits is sent there only.
    assert.deepStrictEqual(diagnosticCoverageProblems(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "AppTraces" }] }], ["Microsoft.Web/sites", "Microsoft.Insights/components"]), []);
  });

  it("Log Analytics' Jobs category (missing before) is accepted; mixing a group and categories in one setting is refused", () => {
    assert.deepStrictEqual(diagnosticCoverageProblems(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "Jobs" }] }], ["Microsoft.OperationalInsights/workspaces"]), []);
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ categoryGroup: "allLogs" }, { category: "Audit" }] }]), "mixes category groups and categories", "can't select individual category types");
  });
});

describe("diagnostic destinations: one component's own entries", () => {
  const topic = ["Microsoft.EventGrid/systemTopics"] as const;
  const cases: readonly [string, DiagnosticSetting[], readonly string[] | undefined][] = [
    ["same workspace, forged spelling, both allLogs", [{ workspaceResourceId: LAW }, { name: "copy", workspaceResourceId: SLASHED_LAW }], ['diagnosticSettings[0] and diagnosticSettings[1] ("copy")', 'category group "allLogs"', `written ${SLASHED_LAW} in the second`, "Fix:"]],
    ["allLogs vs a category it holds", [{ workspaceResourceId: LAW, metricCategories: [] }, { workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "DeliveryFailures" }], metricCategories: [] }], ['category "DeliveryFailures"', "allLogs holds every category"]],
    ["a category in odd case", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "DeliveryFailures" }] }, { workspaceResourceId: LAW, logCategoriesAndGroups: [], metricCategories: [{ category: "allmetrics" }] }], ['metric category "AllMetrics"']],
    ["metrics only, same workspace", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [] }, { workspaceResourceId: LAW, logCategoriesAndGroups: [] }], ['metric category "AllMetrics"']],
    ["one Event Hubs rule, two hubs", [{ eventHubAuthorizationRuleResourceId: RULE, eventHubName: "a" }, { eventHubAuthorizationRuleResourceId: RULE.toUpperCase(), eventHubName: "b" }], ["Event Hubs authorization rule"]],
    ["same storage account beside different workspaces", [{ workspaceResourceId: LAW, storageAccountResourceId: STORAGE }, { workspaceResourceId: OTHER_LAW, storageAccountResourceId: `${STORAGE}//` }], ["storage account"]],
    ["different workspaces", [{ workspaceResourceId: LAW }, { workspaceResourceId: OTHER_LAW }], undefined],
    ["same workspace, logs in one, metrics in the other", [{ workspaceResourceId: LAW, metricCategories: [] }, { workspaceResourceId: LAW, logCategoriesAndGroups: [] }], undefined],
  ];
  for (const [what, settings, parts] of cases) {
    it(`${parts ? "refuses" : "accepts"}: ${what}`, () => {
      const problems = diagnosticSinkProblems(C, "diagnosticSettings", settings, topic);
      if (parts === undefined) assert.deepStrictEqual(problems, []);
      else one(problems, C, ...parts);
    });
  }

  it("audit vs a category is taken to overlap (audit's members are not documented per type)", () => {
    one(diagnosticSinkProblems(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ categoryGroup: "audit" }], metricCategories: [] }, { workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "OperationalLogs" }], metricCategories: [] }], ["Microsoft.EventHub/namespaces"]), "not documented per type");
  });

  it("a component refuses two entries to one workspace at construction; six entries are refused too", () => {
    assert.throws(() => build("EmailAlerts", "diagsinkemail", [{ workspaceResourceId: LAW }, { workspaceResourceId: FORGED_LAW }]), /EmailAlerts\(.*diagnosticSettings\[0\] and diagnosticSettings\[1\] both send .* of the Microsoft\.Logic\/workflows to the same Log Analytics workspace/);
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `d${i}`, workspaceResourceId: `${LAW}${i}` }));
    assert.throws(() => build("WorkspaceEvents", "diagsinksix", six), /at most five diagnostic settings per resource/);
  });
});

describe("diagnostic destinations: the composite's settings beside monitoring's", () => {
  function composite(name: string, extra: Partial<MlEventWorkflowsArgs>): MlEventWorkflows {
    return new MlEventWorkflows(name, {
      workspaceId: workspaceId(name),
      ...place,
      email: { recipients: ["ops@example.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }] },
      monitoring: { recipients: ["ops@example.com"], logAnalytics: { workspaceId: FORGED_LAW } },
      ...extra,
    });
  }

  it("refuses diagnosticSettings to the workspace monitoring brings (forged spelling), naming both settings, the category, the workspace and the fix", () => {
    assert.throws(
      () => composite("diagcomp1", { diagnosticSettings: [{ workspaceResourceId: LAW }] }),
      (e: Error) => {
        for (const part of ['MlEventWorkflows("diagcomp1")', 'diagnosticSettings[0] and monitoring\'s setting "aml-events-to-log-analytics"', 'category "DeliveryFailures"', "of the system topic", "of the email Logic App", FORGED_LAW, "Fix:"]) assert.ok(e.message.includes(part), `${e.message} lacks ${part}`);
        return true;
      },
    );
  });

  it("refuses a sixth setting and monitoring's own setting name", () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ name: `d${i}`, workspaceResourceId: `${OTHER_LAW}${i}` }));
    assert.throws(() => composite("diagcomp2", { diagnosticSettings: five }), /the system topic would get 6 diagnostic settings .*at most five/);
    assert.throws(() => composite("diagcomp3", { diagnosticSettings: [{ name: "AML-events-to-log-analytics", storageAccountResourceId: STORAGE }] }), /name "AML-events-to-log-analytics" is the name monitoring gives its own settings/);
  });

  it("another workspace passes, and the plan's settings then pass the pack's sink policy", async () => {
    composite("diagcomp4", { diagnosticSettings: [{ workspaceResourceId: OTHER_LAW }] });
    const violations = await checkResources(fromMockedResources(await registered("diagcomp4")));
    assert.deepStrictEqual(violations.filter((v) => v.policyName === POLICY), []);
  });

  it("components declared apart can't see each other: the pack refuses their plan (mandatory)", async () => {
    const email = new EmailAlerts("diagapart-email", { workspace: { workspaceId: workspaceId("diagapart"), ...place }, recipients: ["ops@example.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }], diagnosticSettings: [{ workspaceResourceId: LAW }] });
    new Observability("diagapart-obs", { ...place, recipients: ["ops@example.com"], logAnalytics: { workspaceId: FORGED_LAW }, workflows: [{ label: "email", id: email.workflowId }] });
    const violations = (await checkResources(fromMockedResources(await registered("diagapart")))).filter((v) => v.policyName === POLICY);
    assert.strictEqual(violations.length, 1, violations.map((v) => v.message).join("\n"));
    assert.strictEqual(violations[0].enforcementLevel, "mandatory");
    assert.match(violations[0].message, /diagapart-email-diag-0 \(setting "diagapart-email-diag-0"\) and diagapart-obs-diag-email \(setting "aml-events-to-log-analytics"\) both send/);
  });
});

describe("diagnostic destinations: the pack on forged and preview inputs", () => {
  const TOPIC = `${RG}/providers/Microsoft.EventGrid/systemTopics/mlw-events`;
  const only = () => policies.filter((p) => p.name === POLICY);
  const diag = (name: string, props: Record<string, unknown>, dependencies: string[] = []): PolicyResourceInput => ({
    type: "azure-native:monitor:DiagnosticSetting",
    name,
    props: { name, resourceUri: TOPIC, logs: [{ category: "DeliveryFailures", enabled: true }], ...props },
    dependencies,
  });
  const messages = async (rs: PolicyResourceInput[]) => (await analyzeResources(only(), rs)).violations.map((v) => v.message);

  it("same category in odd case, same workspace in odd spelling: refused", async () => {
    const ms = await messages([diag("a", { workspaceId: LAW }), diag("b", { resourceUri: `${TOPIC.toUpperCase()}/`, workspaceId: SLASHED_LAW, logs: [{ category: "deliveryfailures", enabled: true }] })]);
    assert.strictEqual(ms.length, 1, ms.join("\n"));
    assert.match(ms[0], /a \(setting "a"\) and b \(setting "b"\) both send category "DeliveryFailures"/);
  });

  it("a disabled entry, another category or another workspace: accepted", async () => {
    assert.deepStrictEqual(await messages([diag("a", { workspaceId: LAW }), diag("b", { workspaceId: LAW, logs: [{ category: "DeliveryFailures", enabled: false }] })]), []);
    assert.deepStrictEqual(await messages([diag("a", { workspaceId: LAW }), diag("b", { workspaceId: OTHER_LAW })]), []);
  });

  it("one rule with two hubs, six settings, one name twice: refused", async () => {
    assert.strictEqual((await messages([diag("a", { eventHubAuthorizationRuleId: RULE, eventHubName: "x" }), diag("b", { eventHubAuthorizationRuleId: RULE, eventHubName: "y" })])).length, 1);
    const six = Array.from({ length: 6 }, (_, i) => diag(`s${i}`, { workspaceId: `${LAW}${i}` }));
    assert.match((await messages(six)).join("\n"), /would get 6 diagnostic settings/);
    assert.match((await messages([diag("a", { name: "same", workspaceId: LAW }), diag("b", { name: "SAME", storageAccountId: STORAGE })])).join("\n"), /both named "SAME".*the second overwrites the first/);
  });

  it("in preview, two settings on the same not-yet-known resource id still clash", async () => {
    const topicUrn = "urn:pulumi:offline::aml-event-workflows::azure-native:eventgrid:SystemTopic::t";
    const topic: PolicyResourceInput = { type: "azure-native:eventgrid:SystemTopic", name: "t", props: {}, urn: topicUrn };
    const ms = await messages([topic, diag("a", { resourceUri: UNKNOWN_VALUE, workspaceId: LAW }, [topicUrn]), diag("b", { resourceUri: UNKNOWN_VALUE, workspaceId: LAW }, [topicUrn])]);
    assert.strictEqual(ms.length, 1, ms.join("\n"));
    assert.match(ms[0], new RegExp(`output of ${topicUrn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });
});

describe("diagnostic destinations: Application Insights and the workspace it is based on", () => {
  /** A deployer whose Application Insights is based on LAW. */
  const deployer = (name: string, diagnosticSettings: DiagnosticSetting[]) =>
    new ModelDeployer(name, { workspace: { workspaceId: workspaceId(name), ...place }, rules: [{ models: ["m"], tags: { stage: ["prod"] }, endpointName: "contoso-credit-prod" }], ...place, packagePath: PACKAGE, logAnalyticsWorkspaceId: LAW, diagnosticSettings });
  const insightsSettings = async (name: string) =>
    (await registered(name)).filter((r) => r.type === "azure-native:monitor:DiagnosticSetting" && String(r.name).endsWith("-insights")).map((r) => r.inputs);

  it("a deployer on a brought workspace sends nothing to it from Application Insights (forged spelling too), and still sends the other resources' logs there", async () => {
    deployer("diagaiown", [{ workspaceResourceId: FORGED_LAW }]);
    assert.deepStrictEqual(await insightsSettings("diagaiown"), []);
    const all = (await registered("diagaiown")).filter((r) => r.type === "azure-native:monitor:DiagnosticSetting");
    assert.ok(all.length >= 2 && all.every((r) => r.inputs.workspaceId === FORGED_LAW), JSON.stringify(all.map((r) => r.name)));
  });

  it("with a storage destination beside it, Application Insights keeps the storage one only; another workspace is kept", async () => {
    deployer("diagaimix", [{ workspaceResourceId: LAW, storageAccountResourceId: STORAGE, logAnalyticsDestinationType: "Dedicated" }, { name: "sec", workspaceResourceId: OTHER_LAW }]);
    const got = (await insightsSettings("diagaimix")).map((i) => ({ workspaceId: i.workspaceId, storageAccountId: i.storageAccountId, type: i.logAnalyticsDestinationType }));
    assert.deepStrictEqual(got, [{ workspaceId: undefined, storageAccountId: STORAGE, type: undefined }, { workspaceId: OTHER_LAW, storageAccountId: undefined, type: undefined }]);
  });
});
