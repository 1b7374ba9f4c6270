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

/** Name of the one provider instance every dynamic resource of this library uses in a program. */
export const SHARED_DYNAMIC_PROVIDER_NAME = "aml-events-dynamic";

const SHARED = Symbol.for("aml-event-workflows.sharedDynamicProvider");

/**
 * The program's one {@link DynamicProviderWithoutConfig}, created on first use at the stack's root. The
 * engine starts one plugin process per provider instance (each a Node.js process of its own), so one
 * instance per component made a 50-workspace preview start some two hundred of them; one instance is
 * enough, because none of our dynamic providers takes configuration. Kept on `globalThis` so two copies
 * of the library in one program share it rather than registering the same name twice.
 */
export function sharedDynamicProvider(): DynamicProviderWithoutConfig {
  const holder = globalThis as { [SHARED]?: DynamicProviderWithoutConfig };
  return (holder[SHARED] ??= new DynamicProviderWithoutConfig(SHARED_DYNAMIC_PROVIDER_NAME));
}
