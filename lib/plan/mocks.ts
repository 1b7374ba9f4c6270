import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { createdState, invokeResult, mockArmId, MOCK_SUBSCRIPTION_ID, type Inputs } from "./armResponses";

export { MOCK_SUBSCRIPTION_ID, MOCK_TENANT_ID, REDACTED_SIG, mockArmId } from "./armResponses";

/** One resource the mock engine saw, in registration order. */
export interface MockedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** URN of the parent resource, if any (components and their children). */
  readonly parent?: string;
  /** Dotted paths of inputs that were marked secret (`destination.endpointUrl`). */
  readonly secretPaths: readonly string[];
  /** URNs this resource waited for (explicit `dependsOn` and the resources its inputs came from). */
  readonly dependencies: readonly string[];
  readonly custom: boolean;
  readonly id?: string;
  readonly inputs: Record<string, unknown>;
  readonly state: Record<string, unknown>;
}

/**
 * Pulumi mocks that answer like Azure Resource Manager would: ARM-shaped ids, principal ids for
 * system-assigned identities, callback URLs with a redacted `sig`, endpoints and host names.
 * They also record every registered resource (with its parent) for the offline plan and tests.
 */
export class AzureMocks implements pulumi.runtime.Mocks {
  readonly resources: MockedResource[] = [];
  private readonly parents = new Map<string, string>();
  /** Subscription id of each explicit azure-native provider, by the provider's id. */
  private readonly providerSubscriptions = new Map<string, string>();

  /**
   * The subscription a resource lives in: its explicit provider's `subscriptionId` when it has one
   * (a provider reference is `urn::id`), otherwise the default provider's, {@link MOCK_SUBSCRIPTION_ID}.
   */
  subscriptionOf(providerRef: string | undefined): string {
    const providerId = providerRef?.split("::").pop();
    return (providerId && this.providerSubscriptions.get(providerId)) || MOCK_SUBSCRIPTION_ID;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const unwrapped = unwrapSecrets(args.inputs ?? {});
    const inputs = unwrapped.value as Inputs;
    const secretPaths = unwrapped.secretPaths;
    if (args.custom === false) {
      this.record(args, undefined, inputs, inputs, secretPaths);
      return { id: undefined, state: inputs };
    }
    const id = args.id || mockArmId(args.type, args.name, inputs, this.subscriptionOf(args.provider));
    if (args.type === "pulumi:providers:azure-native" && typeof inputs.subscriptionId === "string" && inputs.subscriptionId !== "") {
      this.providerSubscriptions.set(id, inputs.subscriptionId);
    }
    const state = createdState(args.type, args.name, id, inputs);
    this.record(args, id, inputs, state, secretPaths);
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inputs = args.inputs as Inputs;
    return invokeResult(args.token, inputs) ?? inputs;
  }

  private readonly dependencies = new Map<string, string[]>();

  /** Called by the recording monitor with the parent URN of a registration. */
  noteParent(urn: string, parent: string): void {
    this.parents.set(urn, parent);
  }

  /** Called by the recording monitor with the URNs a registration depends on. */
  noteDependencies(urn: string, dependencies: string[]): void {
    this.dependencies.set(urn, dependencies);
  }


  private record(args: pulumi.runtime.MockResourceArgs, id: string | undefined, inputs: Inputs, state: Inputs, secretPaths: string[]): void {
    this.resources.push({ type: args.type, name: args.name, urn: "", custom: args.custom !== false, id, inputs, state, secretPaths, dependencies: [] });
  }

  /** Resources with URNs and parents filled in (resolved after registration completes). */
  snapshot(urns: ReadonlyMap<string, { type: string; name: string }>): MockedResource[] {
    const byKey = new Map<string, string[]>();
    for (const [urn, r] of urns) {
      const key = `${r.type}::${r.name}`;
      byKey.set(key, [...(byKey.get(key) ?? []), urn]);
    }
    const used = new Map<string, number>();
    return this.resources.map((r) => {
      const key = `${r.type}::${r.name}`;
      const i = used.get(key) ?? 0;
      used.set(key, i + 1);
      const urn = byKey.get(key)?.[i] ?? "";
      const parent = this.parents.get(urn);
      return { ...r, urn, ...(parent ? { parent } : {}), dependencies: this.dependencies.get(urn) ?? [] };
    });
  }
}

interface RegisterRequest {
  getParent(): string;
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
}

/** Pulumi's wire marker for a secret value. */
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

/**
 * Strips Pulumi's secret markers from mock inputs, returning the plain value and the dotted paths
 * that were secret (e.g. `destination`), so plans can redact exactly those.
 */
export function unwrapSecrets(value: unknown, path: string[] = [], secrets: string[] = []): { value: unknown; secretPaths: string[] } {
  if (Array.isArray(value)) {
    return { value: value.map((v, i) => unwrapSecrets(v, [...path, String(i)], secrets).value), secretPaths: secrets };
  }
  if (typeof value !== "object" || value === null) return { value, secretPaths: secrets };
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG.key] === SECRET_SIG.value) {
    secrets.push(path.join("."));
    return { value: unwrapSecrets(record.value, path, []).value, secretPaths: secrets };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = unwrapSecrets(v, [...path, k], secrets).value;
  return { value: out, secretPaths: secrets };
}

/** The URN the mock monitor gives a registration (same rule as Pulumi's own mock monitor). */
function mockUrn(parent: string, type: string, name: string): string {
  const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

/** A mock monitor that also remembers each resource's parent URN. */
class RecordingMonitor extends MockMonitor {
  readonly urns = new Map<string, { type: string; name: string }>();
  constructor(private readonly azure: AzureMocks) {
    super(azure);
  }
  override async registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void> {
    const urn = mockUrn(req.getParent(), req.getType(), req.getName());
    this.urns.set(urn, { type: req.getType(), name: req.getName() });
    if (req.getParent()) this.azure.noteParent(urn, req.getParent());
    this.azure.noteDependencies(urn, req.getDependenciesList());
    return super.registerResource(req, callback);
  }
}

/** The engine feature flags `setMocks` turns on; `getStore` is exported by the SDK at runtime but not typed. */
interface EngineStore {
  supportsSecrets: boolean;
  supportsResourceReferences: boolean;
  supportsOutputValues: boolean;
  supportsDeletedWith: boolean;
  supportsAliasSpecs: boolean;
}

function engineStore(): EngineStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const state = require("@pulumi/pulumi/runtime/state") as { getStore(): EngineStore };
  return state.getStore();
}

/** Installs {@link AzureMocks} as the Pulumi engine for this process and returns a handle to read what was registered. */
export function installAzureMocks(project = "aml-event-workflows", stack = "plan", preview = false): {
  mocks: AzureMocks;
  resources(): MockedResource[];
  /** Makes this engine the runtime's again (after another program ran on its own mocks in the same process). */
  reinstall(): void;
} {
  const mocks = new AzureMocks();
  const monitor = new RecordingMonitor(mocks);
  const install = (): void => {
    pulumi.runtime.setMockOptions(monitor, project, stack, preview);
    // The same engine features `pulumi.runtime.setMocks` turns on (secrets stay marked on the wire).
    const store = engineStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
    store.supportsOutputValues = false;
    store.supportsDeletedWith = true;
    store.supportsAliasSpecs = true;
  };
  install();
  return { mocks, resources: () => mocks.snapshot(monitor.urns), reinstall: install };
}
