/** The evasion corpus through checkResources with the shipped config: every case is a mandatory violation. */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkResources, UNKNOWN_VALUE } from "../../policy/api";
import { BuiltInRole } from "../../lib/rbac/roles";
import { DEFAULT_ALLOWED_ROLES } from "../../policy/policies/rbac-allowed-roles-per-target";
import { evasions } from "./evasions";

const CONFIG = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "policy", "policy-config.json"), "utf8")) as Record<string, unknown>;

describe("policy pack: evasion corpus (checkResources, shipped config)", () => {
  for (const e of evasions()) {
    it(`${e.id}: ${e.what}`, async () => {
      const violations = await checkResources(e.resources, CONFIG);
      const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName} ${v.resourceName}`);
      for (const x of e.expect) assert.ok(mandatory.includes(x), `missing mandatory ${x}; got:\n${violations.map((v) => `[${v.enforcementLevel}] ${v.policyName} ${v.resourceName}: ${v.message}`).join("\n")}`);
      const cantRun = violations.filter((v) => v.message.startsWith("can't run") && e.expect.some((x) => x.startsWith(`${v.policyName} `)));
      assert.deepStrictEqual(cantRun, [], "an expected policy gave up during preview");
    });
  }
});

describe("rbac-no-privileged-roles: explicit exceptions only", () => {
  const web = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.Web/sites/func";
  const grant = (scope: string) => ({
    type: "azure-native:authorization:RoleAssignment",
    name: "site-deployer",
    props: { principalId: "5f1c8e0a-3b7d-4c2e-9a61-2d4b8f0e7c13", principalType: "ServicePrincipal", roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/{DE139F84-1756-47AE-9BE6-808FBBE84772}", scope },
  });
  const levels = async (scope: string, config: Record<string, unknown>) =>
    (await checkResources([grant(scope)], config)).filter((v) => v.policyName === "rbac-no-privileged-roles").map((v) => v.enforcementLevel);

  it("Website Contributor (braced, upper-case id) is reported, with the escalating actions named", async () => {
    const [v] = (await checkResources([grant(web)])).filter((x) => x.policyName === "rbac-no-privileged-roles");
    assert.match(v.message, /Role WebsiteContributor \(de139f84-1756-47ae-9be6-808fbbe84772\) is privileged.*writes code or config \(Microsoft\.Web\/sites\/write via "Microsoft\.Web\/sites\/\*"\)/);
  });

  it("allowedOnTargets accepts it on a known site only; an unknown scope is never exempted", async () => {
    const config = { "rbac-no-privileged-roles": { allowedOnTargets: { "Microsoft.Web/sites": ["WebsiteContributor"] } } };
    assert.deepStrictEqual(await levels(web, config), []);
    assert.deepStrictEqual(await levels(`${web.replace("/providers/Microsoft.Web/sites/func", "/providers/Microsoft.Storage/storageAccounts/st")}`, config), ["mandatory"]);
    assert.deepStrictEqual(await levels(UNKNOWN_VALUE, config), ["mandatory"]);
  });
});

describe("rbac-allowed-roles-per-target: EventGrid EventSubscription Contributor is not a default", () => {
  it("is absent from the defaults and, on a system topic, a mandatory violation of rbac-no-privileged-roles", async () => {
    assert.ok(!Object.values(DEFAULT_ALLOWED_ROLES).some((roles) => roles.includes("EventGridEventSubscriptionContributor")));
    const topic = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.EventGrid/systemTopics/t";
    const violations = await checkResources([
      { type: "azure-native:authorization:RoleAssignment", name: "eg-sub", props: { principalId: "5f1c8e0a-3b7d-4c2e-9a61-2d4b8f0e7c13", principalType: "ServicePrincipal", roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${BuiltInRole.EventGridEventSubscriptionContributor}`, scope: topic } },
    ], CONFIG);
    const by = (name: string) => violations.filter((v) => v.policyName === name).map((v) => v.enforcementLevel);
    assert.deepStrictEqual(by("rbac-no-privileged-roles"), ["mandatory"]);
    assert.deepStrictEqual(by("rbac-allowed-roles-per-target"), [], "system topics are no longer a listed target type (denyUnlistedTargets is off by default)");
    assert.match(violations.find((v) => v.policyName === "rbac-no-privileged-roles")?.message ?? "", /getFullUrl/);
  });
});
