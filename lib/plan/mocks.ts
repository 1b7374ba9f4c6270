import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { deterministicGuid } from "../rbac/guid";

/** The subscription id the mock engine puts in every ARM id. */
export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
/** The tenant id the mock engine reports for managed identities. */
export const MOCK_TENANT_ID = "11111111-1111-1111-1111-111111111111";
/** Placeholder the mock engine uses for the `sig` of Logic App callback URLs. */
export const REDACTED_SIG = "REDACTED";

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

type Inputs = Record<string, unknown>;
const text = (v: unknown, fallback: string): string => (typeof v === "string" && v !== "" ? v : fallback);

/** ARM id templates per azure-native type; `{x}` reads input `x`, `{$name}` the resource's own name. */
const ARM_IDS: Readonly<Record<string, string>> = {
  "azure-native:resources:ResourceGroup": "/subscriptions/{$sub}/resourceGroups/{$name}",
  "azure-native:eventgrid:SystemTopic": "{rg}/providers/Microsoft.EventGrid/systemTopics/{systemTopicName}",
  "azure-native:eventgrid:SystemTopicEventSubscription":
    "{rg}/providers/Microsoft.EventGrid/systemTopics/{systemTopicName}/eventSubscriptions/{eventSubscriptionName}",
  "azure-native:storage:StorageAccount": "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}",
  "azure-native:storage:BlobContainer": "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}",
  "azure-native:storage:Queue": "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/queueServices/default/queues/{queueName}",
  "azure-native:eventhub:Namespace": "{rg}/providers/Microsoft.EventHub/namespaces/{namespaceName}",
  "azure-native:eventhub:EventHub": "{rg}/providers/Microsoft.EventHub/namespaces/{namespaceName}/eventhubs/{eventHubName}",
  "azure-native:servicebus:Namespace": "{rg}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}",
  "azure-native:servicebus:Queue": "{rg}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}/queues/{queueName}",
  "azure-native:servicebus:Topic": "{rg}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}/topics/{topicName}",
  "azure-native:logic:Workflow": "{rg}/providers/Microsoft.Logic/workflows/{workflowName}",
  "azure-native:web:AppServicePlan": "{rg}/providers/Microsoft.Web/serverfarms/{name}",
  "azure-native:web:WebApp": "{rg}/providers/Microsoft.Web/sites/{name}",
  "azure-native:web:Connection": "{rg}/providers/Microsoft.Web/connections/{connectionName}",
  "azure-native:insights:Component": "{rg}/providers/Microsoft.Insights/components/{resourceName}",
  "azure-native:applicationinsights:Component": "{rg}/providers/Microsoft.Insights/components/{resourceName}",
  "azure-native:operationalinsights:Workspace": "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}",
  "azure-native:datafactory:Factory": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}",
  "azure-native:datafactory:LinkedService": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}/linkedservices/{linkedServiceName}",
  "azure-native:datafactory:Pipeline": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}/pipelines/{pipelineName}",
  "azure-native:datafactory:Dataset": "{rg}/providers/Microsoft.DataFactory/factories/{factoryName}/datasets/{datasetName}",
  "azure-native:communication:CommunicationService": "{rg}/providers/Microsoft.Communication/communicationServices/{communicationServiceName}",
  "azure-native:communication:EmailService": "{rg}/providers/Microsoft.Communication/emailServices/{emailServiceName}",
  "azure-native:communication:Domain": "{rg}/providers/Microsoft.Communication/emailServices/{emailServiceName}/domains/{domainName}",
  "azure-native:machinelearningservices:Workspace": "{rg}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}",
  "azure-native:managedidentity:UserAssignedIdentity": "{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
  "azure-native:authorization:RoleAssignment": "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
  "azure-native:authorization:RoleDefinition": "{scope}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}",
  "azure-native:authorization:ManagementLockByScope": "{scope}/providers/Microsoft.Authorization/locks/{lockName}",
};

/** The resource-name input of each type (what Azure calls the resource), for auto-naming under mocks. */
function nameInput(template: string): string | undefined {
  const names = [...template.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).filter((n) => n !== "rg" && n !== "scope");
  return names[names.length - 1];
}

/** Builds a realistic ARM id for a mocked resource. */
export function mockArmId(type: string, name: string, inputs: Inputs): string {
  const template = ARM_IDS[type];
  const rg = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${text(inputs.resourceGroupName, "rg-mock")}`;
  if (template === undefined) {
    const [, mod, kind] = type.split(":");
    return `${rg}/providers/Microsoft.${mod}/${kind}/${name}`;
  }
  const own = nameInput(template);
  return template
    .replace("{rg}", rg)
    .replace("{$sub}", MOCK_SUBSCRIPTION_ID)
    .replace("{$name}", text(inputs.resourceGroupName, name))
    .replace(/\{([A-Za-z]+)\}/g, (_, key: string) => text(inputs[key], key === own ? name : `${key}-unset`));
}

function identityOutputs(inputs: Inputs, seed: string): Inputs {
  const identity = inputs.identity;
  if (typeof identity !== "object" || identity === null) return {};
  const type = String((identity as Inputs).type ?? "");
  if (!/SystemAssigned/i.test(type)) return { identity };
  return { identity: { ...(identity as Inputs), principalId: deterministicGuid("principal", seed), tenantId: MOCK_TENANT_ID } };
}

/** Output-only properties Azure would return, per type. */
function typeOutputs(type: string, name: string, id: string, inputs: Inputs): Inputs {
  switch (type) {
    case "azure-native:storage:StorageAccount": {
      const account = text(inputs.accountName, name);
      return {
        primaryEndpoints: {
          blob: `https://${account}.blob.core.windows.net/`,
          queue: `https://${account}.queue.core.windows.net/`,
          table: `https://${account}.table.core.windows.net/`,
        },
      };
    }
    case "azure-native:logic:Workflow":
      return { accessEndpoint: `https://prod-00.westeurope.logic.azure.com:443/workflows/${deterministicGuid(id).replace(/-/g, "")}` };
    case "azure-native:communication:CommunicationService":
      return { hostName: `${text(inputs.communicationServiceName, name)}.europe.communication.azure.com` };
    case "azure-native:communication:Domain":
      return { fromSenderDomain: `${deterministicGuid("domain", id)}.azurecomm.net`, mailFromSenderDomain: `${deterministicGuid("domain", id)}.azurecomm.net` };
    case "azure-native:web:WebApp":
      return { defaultHostName: `${text(inputs.name, name)}.azurewebsites.net` };
    case "azure-native:insights:Component":
    case "azure-native:applicationinsights:Component":
      return {
        connectionString: `InstrumentationKey=${deterministicGuid("ikey", id)};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`,
        instrumentationKey: deterministicGuid("ikey", id),
      };
    case "random:index/randomString:RandomString": {
      // A deterministic stand-in for the random provider: lowercase letters and digits of the asked length.
      const length = typeof inputs.length === "number" ? inputs.length : 8;
      return { result: deterministicGuid("random", name).replace(/-/g, "").slice(0, length) };
    }
    case "azure-native:eventhub:Namespace":
      return { serviceBusEndpoint: `https://${text(inputs.namespaceName, name)}.servicebus.windows.net:443/` };
    default:
      return {};
  }
}

/**
 * Pulumi mocks that answer like Azure Resource Manager would: ARM-shaped ids, principal ids for
 * system-assigned identities, callback URLs with a redacted `sig`, endpoints and host names.
 * They also record every registered resource (with its parent) for the offline plan and tests.
 */
export class AzureMocks implements pulumi.runtime.Mocks {
  readonly resources: MockedResource[] = [];
  private readonly parents = new Map<string, string>();

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const unwrapped = unwrapSecrets(args.inputs ?? {});
    const inputs = unwrapped.value as Inputs;
    const secretPaths = unwrapped.secretPaths;
    if (args.custom === false) {
      this.record(args, undefined, inputs, inputs, secretPaths);
      return { id: undefined, state: inputs };
    }
    const id = args.id || mockArmId(args.type, args.name, inputs);
    const template = ARM_IDS[args.type];
    const own = template === undefined ? undefined : nameInput(template);
    const azureName = own !== undefined ? text(inputs[own], args.name) : args.name;
    const state: Inputs = {
      ...inputs,
      ...(own !== undefined && inputs[own] === undefined ? { [own]: azureName } : {}),
      name: text(inputs.name, azureName),
      ...identityOutputs(inputs, id),
      ...typeOutputs(args.type, args.name, id, inputs),
    };
    this.record(args, id, inputs, state, secretPaths);
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inputs = args.inputs as Inputs;
    switch (args.token) {
      case "azure-native:logic:listWorkflowTriggerCallbackUrl": {
        const workflow = text(inputs.workflowName, "workflow");
        const trigger = text(inputs.triggerName, "manual");
        const base = `https://prod-00.westeurope.logic.azure.com/workflows/${deterministicGuid(workflow).replace(/-/g, "")}/triggers/${trigger}/paths/invoke`;
        return {
          value: `${base}?api-version=2019-05-01&sp=%2Ftriggers%2F${trigger}%2Frun&sv=1.0&sig=${REDACTED_SIG}`,
          basePath: base,
          method: "POST",
          queries: { apiVersion: "2019-05-01", sp: `/triggers/${trigger}/run`, sv: "1.0", sig: REDACTED_SIG },
        };
      }
      case "azure-native:authorization:getClientToken":
        return { token: "mock-arm-token" };
      case "azure-native:authorization:getClientConfig":
        return { clientId: deterministicGuid("client"), objectId: deterministicGuid("object"), subscriptionId: MOCK_SUBSCRIPTION_ID, tenantId: MOCK_TENANT_ID };
      default:
        return this.readExisting(args.token, inputs) ?? inputs;
    }
  }

  /** Answers `get<Type>` invokes for types with a known ARM id, as if the resource existed. */
  private readExisting(token: string, inputs: Inputs): Inputs | undefined {
    const m = /^(azure-native:[a-z]+:)get([A-Za-z]+)$/.exec(token);
    const type = m ? `${m[1]}${m[2]}` : "";
    const template = ARM_IDS[type];
    if (template === undefined) return undefined;
    const own = nameInput(template) ?? "name";
    const name = text(inputs[own], "existing");
    const id = mockArmId(type, name, inputs);
    return { ...inputs, id, name, identity: { type: "SystemAssigned", principalId: deterministicGuid("principal", id), tenantId: MOCK_TENANT_ID } };
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
} {
  const mocks = new AzureMocks();
  const monitor = new RecordingMonitor(mocks);
  pulumi.runtime.setMockOptions(monitor, project, stack, preview);
  // The same engine features `pulumi.runtime.setMocks` turns on (secrets stay marked on the wire).
  const store = engineStore();
  store.supportsSecrets = true;
  store.supportsResourceReferences = true;
  store.supportsOutputValues = false;
  store.supportsDeletedWith = true;
  store.supportsAliasSpecs = true;
  return { mocks, resources: () => mocks.snapshot(monitor.urns) };
}
