import * as assert from "assert";
import { analyzeWithPack, deployReadiness, formatReadiness, policies } from "../../policy/api";
import { functionApp, subscription } from "./fixtures";

describe("deploy readiness (shown by the offline plan)", () => {
  const flexOk = functionApp("flex-ok", { functionAppConfig: { runtime: { name: "node", version: "20" } }, siteConfig: { minTlsVersion: "1.2" } });
  const flexBad = functionApp("flex-bad", { functionAppConfig: { runtime: { name: "node", version: "20" } }, siteConfig: { netFrameworkVersion: "v4.6" } });
  const placeholder = subscription("placeholder", { destination: { endpointType: "WebHook", endpointUrl: "https://example.com/hook" } });

  it("lists each pitfall a resource hits with its level, and each one it avoids", async () => {
    const resources = [flexOk, flexBad, placeholder];
    const items = deployReadiness(policies, resources, await analyzeWithPack(resources));
    const of = (name: string) => items.filter((i) => i.resourceName === name).map((i) => `${i.status} ${i.policyName}${i.level ? ` ${i.level}` : ""}`);
    assert.deepStrictEqual(of("flex-ok"), ["avoids deploy-flex-site-config", "avoids deploy-global-name-suffix"]);
    assert.deepStrictEqual(of("flex-bad"), ["hits deploy-flex-site-config mandatory", "avoids deploy-global-name-suffix"]);
    assert.ok(of("placeholder").includes("hits deploy-webhook-validatable-host mandatory"));
    assert.ok(of("placeholder").includes("avoids filter-v1-drift-retired"));
    const text = formatReadiness(items);
    assert.match(text, /^Deploy readiness \(2 pitfall\(s\) hit, \d+ avoided\)/);
    assert.match(text, /\n {2}✗ \[mandatory\] flex-bad {2}deploy-flex-site-config: Flex Consumption app flex-bad sets siteConfig\.netFrameworkVersion/);
  });

  it("a resource no deploy-readiness policy applies to gets no line", async () => {
    const role = { type: "azure-native:datafactory:Factory", name: "adf", props: { identity: { type: "SystemAssigned" } } };
    assert.deepStrictEqual(deployReadiness(policies, [role], await analyzeWithPack([role])), []);
  });
});
