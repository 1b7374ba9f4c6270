/**
 * Every entry of the package schema other languages read (the reviewed snapshot of `pulumi package
 * get-schema plugin`, kept equal to the live schema by test/engine/multilang.test.ts) has a description:
 * each component, each of its inputs and outputs, each property of each type. Python, Go, .NET and YAML
 * users get these as their SDK's docs.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

interface Described { description?: string }
interface Schema {
  resources: Record<string, Described & { inputProperties?: Record<string, Described>; properties?: Record<string, Described> }>;
  types: Record<string, Described & { properties?: Record<string, Described> }>;
}

const SNAPSHOT = path.resolve(__dirname, "..", "..", "..", "test", "engine", "schemas", "aml-events.json");

/** Every schema entry that should be described, by its path in the schema. */
function undescribed(schema: Schema): string[] {
  const missing = (d: Described | undefined) => (d?.description ?? "").trim() === "";
  const out: string[] = [];
  for (const [token, r] of Object.entries(schema.resources)) {
    if (missing(r)) out.push(`resources.${token}`);
    for (const section of ["inputProperties", "properties"] as const) {
      for (const [name, p] of Object.entries(r[section] ?? {})) if (missing(p)) out.push(`resources.${token}.${section}.${name}`);
    }
  }
  for (const [token, t] of Object.entries(schema.types)) {
    for (const [name, p] of Object.entries(t.properties ?? {})) if (missing(p)) out.push(`types.${token}.properties.${name}`);
  }
  return out;
}

describe("package schema: descriptions", () => {
  it("every component, input, output and type property has a description", () => {
    const schema = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")) as Schema;
    assert.ok(Object.keys(schema.resources).length >= 6);
    const missing = undescribed(schema);
    assert.deepStrictEqual(missing, [], `add a doc comment to each (it becomes other languages' docs):\n${missing.join("\n")}`);
  });

  it("a missing description is caught, on a component and on a type property", () => {
    const schema: Schema = { resources: { "x:index:A": { description: "", inputProperties: { a: { description: "ok" } } } }, types: { "x:index:T": { properties: { b: {} } } } };
    assert.deepStrictEqual(undescribed(schema), ["resources.x:index:A", "types.x:index:T.properties.b"]);
  });
});
