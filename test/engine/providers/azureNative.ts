/**
 * A provider plugin that stands in for azure-native in the real-engine tests (`pulumi preview/up/
 * destroy` offline). Generic over every azure-native type token: Check echoes, Diff compares the new
 * inputs with the old state, Create/Update answer with a deterministic ARM-shaped id and the
 * output-only properties from lib/plan/armResponses (the table the offline plan's mocks use), and
 * Invoke answers the invokes the library calls; any other invoke fails with its token.
 */
import * as provider from "@pulumi/pulumi/provider";
import { createdState, invokeResult, mockArmId, ARM_IDS } from "../../../lib/plan/armResponses";
import { unwrapSecrets } from "../../../lib/plan/mocks";
import { forget, remember } from "./fakeArm";
import { diffInputs, packageVersion, typeAndName, type Props } from "./urn";

/** Inputs whose change means a new ARM resource: the path segments of its id. */
function idParams(type: string): string[] {
  const template = ARM_IDS[type] ?? "";
  return [...template.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => (m[1] === "rg" ? "resourceGroupName" : m[1]));
}

/** The state after create/update: the inputs as sent (secrets stay marked) plus Azure's outputs. */
function stateOf(type: string, name: string, id: string, inputs: Props): Props {
  const plain = unwrapSecrets(inputs).value as Props;
  const outputs = createdState(type, name, id, plain);
  for (const key of Object.keys(inputs)) delete outputs[key];
  return { ...inputs, ...outputs };
}

export const azureNative: provider.Provider = {
  version: packageVersion("@pulumi/azure-native"),
  async check(_urn, _olds, news) {
    return { inputs: news };
  },
  async diff(_id, urn, olds, news) {
    const { type } = typeAndName(urn);
    const changed = diffInputs(olds as Props, news as Props);
    const replaces = changed.filter((k) => idParams(type).includes(k));
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },
  async create(urn, inputs) {
    const { type, name } = typeAndName(urn);
    const plain = unwrapSecrets(inputs).value as Props;
    const id = mockArmId(type, name, plain);
    remember(id, type, typeof plain.scope === "string" ? plain.scope : undefined);
    return { id, outs: stateOf(type, name, id, inputs as Props) };
  },
  async read(id, _urn, props) {
    return { id, props };
  },
  async update(id, urn, _olds, news) {
    const { type, name } = typeAndName(urn);
    return { outs: stateOf(type, name, id, news as Props) };
  },
  async delete(id, urn) {
    forget(id, typeAndName(urn).type);
  },
  async invoke(token, inputs) {
    const result = invokeResult(token, unwrapSecrets(inputs).value as Props);
    if (result === undefined) {
      throw new Error(`the offline azure-native provider has no answer for invoke '${token}'; add it to invokeResult in lib/plan/armResponses.ts`);
    }
    return { outputs: result };
  },
};

// Started by the engine as the plugin executable (see PulumiEnv.installProviders).
if (require.main === module) void provider.main(azureNative, process.argv.slice(2));
