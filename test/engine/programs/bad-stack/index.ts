/**
 * A deliberately bad Pulumi program for the real-engine tests: the resources of the policy pack's
 * bad stack (Owner at subscription scope, an http webhook, 26 filters, ...), registered as plain
 * azure-native custom resources so that `pulumi preview --policy-pack policy` must fail.
 */
import * as pulumi from "@pulumi/pulumi";
import { badStack } from "../../../policy/bad-stack";
import { packageVersion } from "../../providers/urn";

/** Any azure-native resource by type token (the provider plugin answers for every token). */
class AzureResource extends pulumi.CustomResource {}

const version = packageVersion("@pulumi/azure-native");
for (const r of badStack()) {
  new AzureResource(r.type, r.name, r.props, { version });
}
