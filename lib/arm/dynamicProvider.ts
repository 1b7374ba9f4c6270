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

const SHARED = Symbol.for("aml-event-workflows.sharedDynamicProviders");

/** Used as the key when the SDK has no stack resource (unit tests under mocks). */
const NO_STACK: object = {};

/**
 * The {@link DynamicProviderWithoutConfig} of the program run `run` (the run's stack resource), created
 * on first use at the stack's root. The engine starts one plugin process per provider instance (each a
 * Node.js process of its own), so one instance per component made a 50-workspace preview start some two
 * hundred of them; one instance a run is enough, because none of our dynamic providers takes
 * configuration. Keyed by the run, not global: an Automation API inline program runs several times in one
 * Node.js process (preview, then up), and a provider registered by an earlier run is unknown to the
 * next one's engine. The map lives on `globalThis`, so two copies of the library in one program share
 * the instance rather than registering the same name twice.
 */
export function dynamicProviderOf(run: object): DynamicProviderWithoutConfig {
  const holder = globalThis as { [SHARED]?: WeakMap<object, DynamicProviderWithoutConfig> };
  const byRun = (holder[SHARED] ??= new WeakMap());
  let provider = byRun.get(run);
  if (provider === undefined) {
    provider = new DynamicProviderWithoutConfig(SHARED_DYNAMIC_PROVIDER_NAME);
    byRun.set(run, provider);
  }
  return provider;
}

/** The shared provider of the current program run (see {@link dynamicProviderOf}). */
export function sharedDynamicProvider(): DynamicProviderWithoutConfig {
  return dynamicProviderOf(pulumi.runtime.getStackResource() ?? NO_STACK);
}
