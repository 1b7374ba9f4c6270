// A stack with only the deployer's code publish and a secret in its config: `pulumi up` against the
// loopback Flex peer, then the test reads the exported state for the token and the secret.
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DEPLOYER_PACKAGE, FunctionCodePublish } from "../../../../lib/deployment";

const config = new pulumi.Config();
const peer = config.require("peer");
// A keyed URL the stack keeps as a secret; it must never appear in the state in plaintext.
export const hookConfigured = config.requireSecret("failureWebhookUrl").apply((u) => u.length > 0);

const code = new FunctionCodePublish("code", {
  functionAppId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fn/providers/Microsoft.Web/sites/md-app-1a2b3c4d",
  functionName: "deployOnModelRegistered",
  packagePath: DEFAULT_DEPLOYER_PACKAGE,
  armEndpoint: peer,
  scmUrl: peer,
  pollIntervalMs: 50,
});
export const functionId = code.functionId;
