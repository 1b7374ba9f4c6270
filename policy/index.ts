/**
 * The policy pack the Pulumi CLI runs (`pulumi preview --policy-pack policy`). This file only
 * constructs the PolicyPack — constructing it starts the analyzer's gRPC server, and a second pack
 * in one process exits it — so code and tests import `./api` instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME } from "./harness";
import { policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
  policies,
  description: "RBAC, event-filter, delivery and handler-hardening rules for Azure Machine Learning event workflows on Event Grid.",
  displayName: "AML event workflows",
  enforcementLevel: "advisory",
  provider: "azure-native",
  tags: ["azure", "eventgrid", "machine-learning", "rbac"],
});
