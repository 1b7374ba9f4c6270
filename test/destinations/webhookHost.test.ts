/** Webhook hosts: IP literals (every spelling), loopback, link-local and private ranges refused at construction. */
import * as assert from "node:assert";
import { WebhookDestination } from "../../lib/destinations/webhook";
import { webhookHostProblem } from "../../lib/destinations/webhookHost";

const REFUSED: [string, RegExp][] = [
  ["https://169.254.169.254/metadata/instance", /169\.254\.169\.254 \(link-local/],
  ["https://127.0.0.1/hook", /127\.0\.0\.1 \(loopback\)/],
  ["https://2130706433/hook", /127\.0\.0\.1 \(loopback\)/],
  ["https://0x7f.0.0.1/hook", /127\.0\.0\.1 \(loopback\)/],
  ["https://0177.0.0.1/hook", /127\.0\.0\.1 \(loopback\)/],
  ["https://0xa9fea9fe/", /169\.254\.169\.254/],
  ["https://10.0.0.5/hook", /private range/],
  ["https://172.31.255.1/hook", /private range/],
  ["https://192.168.0.10:8443/hook", /private range/],
  ["https://0.0.0.0/hook", /unspecified/],
  ["https://[::1]/hook", /\[::1\] \(loopback\)/],
  ["https://[fe80::1]/hook", /link-local/],
  ["https://[fc00::1]/hook", /unique local/],
  ["https://[::ffff:169.254.169.254]/hook", /IPv4-mapped/],
  ["https://203.0.113.7/hook", /IPv4 literal 203\.0\.113\.7$/],
];

describe("webhook hosts", () => {
  for (const [url, why] of REFUSED) {
    it(`refuses ${url} at construction, naming the argument and the fix`, () => {
      assert.match(webhookHostProblem(url) ?? "", why);
      const problems = new WebhookDestination({ endpointUrl: url }).validate();
      assert.ok(problems.some((p) => p.startsWith("endpointUrl host ") && /use the handler's https:\/\/ host name/.test(p)), problems.join("\n"));
    });
  }

  it("accepts DNS names, including ones that merely look numeric", () => {
    for (const url of ["https://hooks.contoso.com/aml", "https://10-0-0-5.hooks.contoso.com/", "https://prod-00.westeurope.logic.azure.com/workflows/x"]) {
      assert.strictEqual(webhookHostProblem(url), undefined, url);
      assert.deepStrictEqual(new WebhookDestination({ endpointUrl: url }).validate(), []);
    }
  });
});
