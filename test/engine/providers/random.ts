/**
 * A provider plugin that stands in for @pulumi/random in the real-engine tests: RandomString,
 * RandomId and RandomPet with values derived from the URN and inputs (deterministic, so a second
 * preview shows no change). Other random types fail with their token.
 */
import { createHash } from "node:crypto";
import * as provider from "@pulumi/pulumi/provider";
import { diffInputs, packageVersion, typeAndName, type Props } from "./urn";

function bytes(seed: string, n: number): Buffer {
  let out = Buffer.alloc(0);
  for (let i = 0; out.length < n; i++) out = Buffer.concat([out, createHash("sha256").update(`${seed}#${i}`).digest()]);
  return out.subarray(0, n);
}

function randomString(seed: string, inputs: Props): string {
  const special = inputs.special === false ? "" : String(inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?");
  const alphabet = [inputs.lower === false ? "" : "abcdefghijklmnopqrstuvwxyz", inputs.upper === false ? "" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    inputs.numeric === false ? "" : "0123456789", special].join("");
  const length = Number(inputs.length);
  return [...bytes(seed, length)].map((b) => alphabet[b % alphabet.length]).join("");
}

const PETS = ["heron", "otter", "lynx", "ibis", "marten", "gecko", "tapir", "okapi"];
const ADJECTIVES = ["calm", "brisk", "lucid", "mellow", "nimble", "quiet", "sturdy", "witty"];

function outputsFor(type: string, seed: string, inputs: Props): { id: string; outs: Props } {
  switch (type) {
    case "random:index/randomString:RandomString": {
      const result = randomString(seed, inputs);
      return { id: result, outs: { ...inputs, result } };
    }
    case "random:index/randomId:RandomId": {
      const raw = bytes(seed, Number(inputs.byteLength));
      const prefix = String(inputs.prefix ?? "");
      const hex = prefix + raw.toString("hex");
      return { id: raw.toString("base64url"), outs: { ...inputs, hex, b64Url: prefix + raw.toString("base64url"), b64Std: prefix + raw.toString("base64"), dec: prefix + BigInt(`0x${raw.toString("hex")}`).toString() } };
    }
    case "random:index/randomPet:RandomPet": {
      const b = bytes(seed, 8);
      const words = [...Array(Number(inputs.length ?? 2)).keys()].map((i, _, all) => (i === all.length - 1 ? PETS : ADJECTIVES)[b[i] % 8]);
      const id = [inputs.prefix, ...words].filter((w) => w !== undefined && w !== "").join(String(inputs.separator ?? "-"));
      return { id, outs: { ...inputs, id } };
    }
    default:
      throw new Error(`the offline random provider does not implement '${type}'; add it to test/engine/providers/random.ts`);
  }
}

export const random: provider.Provider = {
  version: packageVersion("@pulumi/random"),
  async check(_urn, _olds, news) {
    return { inputs: news };
  },
  async diff(_id, _urn, olds, news) {
    const changed = diffInputs(olds as Props, news as Props);
    // Every input of these resources (keepers included) forces a new value, as in the real provider.
    return { changes: changed.length > 0, replaces: changed };
  },
  async create(urn, inputs) {
    const { type } = typeAndName(urn);
    return outputsFor(type, `${urn}|${JSON.stringify(inputs)}`, inputs as Props);
  },
  async read(id, _urn, props) {
    return { id, props };
  },
};

// Started by the engine as the plugin executable (see PulumiEnv.installProviders).
if (require.main === module) void provider.main(random, process.argv.slice(2));
