import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  analyzeResources,
  checkResources,
  describePolicies,
  POLICY_PACK_NAME,
  POLICY_PACK_VERSION,
  PolicyConfigError,
  policies,
  resolvePolicyConfig,
  UNKNOWN_VALUE,
} from "../../policy/api";
import { badStack } from "./bad-stack";
import { roleAssignment, SUB, subscription, topic } from "./fixtures";

const repo = path.resolve(__dirname, "../../..");

/** A tiny untyped policy that records what the harness hands it. */
function probe(seen: unknown[]): ResourceValidationPolicy {
  return {
    name: "probe-policy",
    description: "Records its inputs.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { limit: { type: "integer", minimum: 1, default: 3 }, names: { type: "array", items: { type: "string" }, default: ["a"] } } },
    validateResource: (args, report) => {
      seen.push({ config: args.getConfig(), name: args.name, type: args.type });
      if (args.props.fail === true) report("failing as asked");
    },
  };
}

describe("policy harness: config like the Pulumi CLI", () => {
  it("fills schema defaults, then applies `all`, then per-policy levels and knobs", () => {
    const resolved = resolvePolicyConfig(policies, {
      all: "advisory",
      "delivery-retry-policy-bounded": { enforcementLevel: "mandatory", maxDeliveryAttempts: 10 },
      "function-app-min-tls": "disabled",
    });
    assert.deepStrictEqual(resolved["delivery-retry-policy-bounded"], { enforcementLevel: "mandatory", properties: { maxDeliveryAttempts: 10, maxEventTimeToLiveInMinutes: 1440 } });
    assert.deepStrictEqual(resolved["function-app-min-tls"], { enforcementLevel: "disabled", properties: { minimumTlsVersion: "1.2" } });
    assert.deepStrictEqual(resolved["rbac-no-privileged-roles"], { enforcementLevel: "advisory", properties: { allowedOnTargets: {}, allowedRoles: [], exemptPrincipalIds: [] } });
    assert.deepStrictEqual(resolved["delivery-webhook-https"], { enforcementLevel: "advisory", properties: {} });
  });

  it("rejects knobs that don't match the schema, naming the policy, the knob and the rule", () => {
    assert.throws(
      () => resolvePolicyConfig(policies, { "delivery-retry-policy-bounded": { maxDeliveryAttempts: 31 }, "rbac-no-privileged-roles": { allowedRoles: "Owner" } }),
      (e: unknown) =>
        e instanceof PolicyConfigError &&
        e.errors.includes("rbac-no-privileged-roles: allowedRoles: must be array") &&
        e.errors.includes("delivery-retry-policy-bounded: maxDeliveryAttempts: must be <= 30") &&
        /Fix the entries above/.test(e.message),
    );
  });

  it("rejects unknown enforcement levels and values that are neither level nor object", () => {
    assert.throws(() => resolvePolicyConfig(policies, { "delivery-webhook-https": "warn" }), /delivery-webhook-https: enforcement level "warn" is not one of advisory, mandatory, remediate, disabled/);
    assert.throws(() => resolvePolicyConfig(policies, { "delivery-webhook-https": 3 }), /must be an enforcement level string or an object/);
  });

  it("checkResources refuses an invalid config before running anything", async () => {
    await assert.rejects(checkResources(badStack(), { "function-app-min-tls": { minimumTlsVersion: "1.1" } }), PolicyConfigError);
  });

  it("the sample policy-config.json is valid and the good stack passes under it", async () => {
    const config = JSON.parse(fs.readFileSync(path.join(repo, "policy/policy-config.json"), "utf8")) as Record<string, unknown>;
    assert.doesNotThrow(() => resolvePolicyConfig(policies, config));
    for (const name of Object.keys(config)) assert.ok(policies.some((p) => p.name === name), `${name} is a policy`);
  });

  it("policies get their merged config through getConfig, and a policy level of remediate reports as mandatory", async () => {
    const seen: unknown[] = [];
    const pack: Policies = [{ ...probe(seen), enforcementLevel: "remediate" }];
    const { violations } = await analyzeResources(pack, [{ name: "r", props: { fail: true }, type: "x:y:Z" }], { config: { "probe-policy": { limit: 5 } } });
    assert.deepStrictEqual(seen, [{ config: { limit: 5, names: ["a"] }, name: "r", type: "x:y:Z" }]);
    assert.deepStrictEqual(violations.map((v) => [v.enforcementLevel, v.message]), [["mandatory", "failing as asked"]]);
  });
});

describe("policy harness: engine behaviour", () => {
  it("disabled policies don't run", async () => {
    const all = await checkResources(badStack(), { all: "disabled" });
    assert.deepStrictEqual(all, []);
    const one = await checkResources(badStack(), { "rbac-no-privileged-roles": "disabled" });
    assert.ok(!one.some((v) => v.policyName === "rbac-no-privileged-roles"));
    assert.ok(one.some((v) => v.policyName === "rbac-single-resource-scope"));
  });

  it("the type fast path marks other types not applicable without calling the policy", async () => {
    const result = await analyzeResources(policies, [topic("t")]);
    const na = result.notApplicable.find((n) => n.policyName === "rbac-no-privileged-roles");
    assert.deepStrictEqual(na, { policyName: "rbac-no-privileged-roles", reason: "Policy only applies to resources of type 'azure-native:authorization:RoleAssignment'", resourceName: "t" });
  });

  it("undefined props are dropped like the engine's deserializer, so `in` and spreads see what a policy would", async () => {
    const seen: string[][] = [];
    const pack: Policies = [{ description: "Keys.", enforcementLevel: "advisory", name: "keys-policy", validateResource: (args) => void seen.push(Object.keys(args.props)) }];
    await analyzeResources(pack, [{ name: "r", props: { a: 1, b: undefined }, type: "x:y:Z" }]);
    assert.deepStrictEqual(seen, [["a"]]);
  });

  it("an unknown value read through the proxy becomes the engine's advisory diagnostic", async () => {
    const pack: Policies = [{ description: "Reads scope.", enforcementLevel: "mandatory", name: "reads-scope", validateResource: (args, report) => report(`scope ${String(args.props.scope)}`) }];
    const { violations } = await analyzeResources(pack, [roleAssignment("r", "Owner", UNKNOWN_VALUE)]);
    assert.deepStrictEqual(violations.map((v) => [v.policyName, v.enforcementLevel]), [["reads-scope", "advisory"]]);
    assert.strictEqual(
      violations[0].message,
      `can't run policy 'reads-scope' from policy pack '${POLICY_PACK_NAME}@v${POLICY_PACK_VERSION}' during preview: string value at .scope can't be known during preview`,
    );
  });

  it("the RBAC policies decide on the role they know: Owner with an unknown scope is mandatory, never 'can't run'", async () => {
    const violations = await checkResources([roleAssignment("r", "Owner", UNKNOWN_VALUE)]);
    assert.deepStrictEqual(
      violations.map((v) => [v.policyName, v.enforcementLevel]),
      [
        ["rbac-no-privileged-roles", "mandatory"],
        ["rbac-single-resource-scope", "mandatory"],
      ],
    );
    assert.ok(violations.every((v) => !v.message.includes(UNKNOWN_VALUE)), "messages never carry the unknown sentinel");
    assert.match(violations[1].message, /scope is unknown during preview/);
  });

  it("a policy that throws fails the run, like the engine fails the preview", async () => {
    const pack: Policies = [{ description: "Throws.", name: "throwing-policy", validateResource: () => { throw new Error("boom"); } }];
    await assert.rejects(analyzeResources(pack, [{ name: "r", props: {}, type: "x:y:Z" }]), /Error validating resource with policy 'throwing-policy' from policy pack 'aml-event-workflows@v0\.1\.0': boom/);
  });

  it("stack policies see parents and report against the resource whose URN they name", async () => {
    const parents: (string | undefined)[] = [];
    const stack: StackValidationPolicy = {
      description: "Parents.",
      enforcementLevel: "mandatory",
      name: "parents-policy",
      validateStack: (args, report) => {
        for (const r of args.resources) parents.push(r.parent?.name);
        report("child is wrong", args.resources[1].urn);
        report("stack is wrong");
      },
    };
    const { violations } = await analyzeResources([stack], [
      { name: "events", props: {}, type: "aml-events:workspace:WorkspaceEvents", urn: "urn:pulumi:s::p::aml-events:workspace:WorkspaceEvents::events" },
      { name: "sub", parent: "urn:pulumi:s::p::aml-events:workspace:WorkspaceEvents::events", props: {}, type: "azure-native:eventgrid:SystemTopicEventSubscription" },
    ]);
    assert.deepStrictEqual(parents, [undefined, "events"]);
    assert.deepStrictEqual(violations.map((v) => v.resourceName), ["sub", "(stack)"]);
  });

  it("policy/package.json and PulumiPolicy.yaml match what the harness reports and the CLI runs", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, "policy/package.json"), "utf8")) as { version: string; main: string };
    assert.strictEqual(pkg.version, POLICY_PACK_VERSION);
    assert.ok(fs.existsSync(path.resolve(repo, "policy", pkg.main)), `${pkg.main} exists after the build`);
    assert.match(fs.readFileSync(path.join(repo, "policy/PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
  });

  it("describePolicies lists levels and knobs for the README table", () => {
    const rows = describePolicies();
    assert.strictEqual(rows.length, policies.length);
    assert.deepStrictEqual(rows.find((r) => r.name === "eventgrid-one-system-topic-per-source"), {
      description: policies.find((p) => p.name === "eventgrid-one-system-topic-per-source")?.description,
      enforcementLevel: "mandatory",
      kind: "stack",
      knobs: {},
      name: "eventgrid-one-system-topic-per-source",
    });
    assert.strictEqual(rows.filter((r) => r.enforcementLevel === "mandatory").length >= 10, true);
  });

  it("owner at subscription scope is reported whether or not the assignment is in the stack with others", async () => {
    const alone = await checkResources([roleAssignment("ci-owner", "Owner", `/subscriptions/${SUB}`)]);
    const together = await checkResources([subscription("s"), roleAssignment("ci-owner", "Owner", `/subscriptions/${SUB}`)]);
    assert.deepStrictEqual(alone.map((v) => v.policyName), together.filter((v) => v.resourceName === "ci-owner").map((v) => v.policyName));
  });
});
