import * as pulumi from "@pulumi/pulumi";

/**
 * An explicit instance of the dynamic-resource provider (`pulumi-nodejs`) with no inputs. The default
 * instance receives the whole stack configuration as its inputs, and the engine stores a provider's
 * inputs in the state (a plain `pulumi config set` value in plaintext); this one stores nothing.
 */
export class DynamicProviderWithoutConfig extends pulumi.ProviderResource {
  constructor(name: string, opts?: pulumi.ResourceOptions) {
    super("pulumi-nodejs", name, {}, opts);
  }
}
