import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.resolve(__dirname, "..", "..", "..");

/** Every .ts source under `dir` (relative to the repository root, `/`-separated), declaration files left out. */
function sources(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === "node_modules" ? [] : sources(`${dir}/${e.name}`))
      : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [`${dir}/${e.name}`] : []);
}

/** The string literal a call like `require("./x")` or `import("./x")` names, if it names one. */
function calledModule(node: ts.CallExpression): string | undefined {
  const [first] = node.arguments;
  const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
  const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
  return (isRequire || isImport) && first !== undefined && ts.isStringLiteralLike(first) ? first.text : undefined;
}

/**
 * Every module specifier a file names: `import … from`, `import type … from`, `export … from`,
 * `import x = require()`, `require("…")`, `import("…")` calls and `typeof import("…")` types.
 * Type-only imports count: a cycle through types is still a cycle in the reading order.
 */
export function moduleSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteralLike(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node)) {
      const called = calledModule(node);
      if (called !== undefined) found.push(called);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteralLike(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The repository file a relative specifier resolves to (`./x` → `x.ts` or `x/index.ts`), if it is one of `files`. */
function resolve(from: string, specifier: string, files: Set<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.js$/, "");
  return [`${base}.ts`, `${base}/index.ts`].find((f) => files.has(f));
}

/** The relative-import graph of `files`: file → the files it names, sorted. */
export function importGraph(files: string[], read: (file: string) => string): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = moduleSpecifiers(file, read(file)).map((s) => resolve(file, s, known)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/**
 * Strongly connected components with more than one file (Tarjan). A file that names itself is left
 * out: lib/deployment/codePublish.ts types the copy of itself a dynamic provider loads at run time
 * (`typeof import("./codePublish")`), which orders nothing.
 */
function components(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strong = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { strong(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/** A shortest path of imports from `start` back to itself inside `members` (breadth first). */
function shortestLoop(graph: Map<string, string[]>, start: string, members: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const next of graph.get(queue[i]) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const between: string[] = [];
        for (let at = queue[i]; at !== start; at = previous.get(at)!) between.unshift(at);
        return [start, ...between, start];
      }
      if (!previous.has(next)) { previous.set(next, queue[i]); queue.push(next); }
    }
  }
  return [start];
}

/** A loop written from its alphabetically first file, so the same loop found from two files reads the same. */
function rotated(loop: readonly string[]): string[] {
  const ring = loop.slice(0, -1);
  const first = ring.indexOf([...ring].sort()[0]);
  const turned = [...ring.slice(first), ...ring.slice(0, first)];
  return [...turned, turned[0]];
}

/** One line per import cycle: the shortest loop through each file of every cycle, each loop once. */
export function importCycles(graph: Map<string, string[]>): string[] {
  return components(graph).flatMap((members) => {
    const loops = members.map((m) => rotated(shortestLoop(graph, m, new Set(members))).join(" -> "));
    return [...new Set(loops)].sort();
  });
}

describe("no import cycles in lib/ and policy/", () => {
  it("finds the imports of every kind, type-only ones included, and resolves ./x to x.ts or x/index.ts", () => {
    const files: Record<string, string> = {
      "lib/a.ts": [
        `import { b } from "./b";`,
        `import type { C } from "./c";`,
        `export * from "./d/index";`,
        `export { e } from "./e.js";`,
        `import f = require("./f");`,
        `const g = require("./g") as typeof import("./h");`,
        `void import("./d");`,
        `import * as fs from "fs";`,
        `// import { z } from "./z";`,
      ].join("\n"),
      "lib/b.ts": "", "lib/c.ts": "", "lib/d/index.ts": "", "lib/e.ts": "", "lib/f.ts": "", "lib/g.ts": "", "lib/h.ts": "", "lib/z.ts": "",
    };
    const graph = importGraph(Object.keys(files), (f) => files[f]);
    assert.deepStrictEqual(graph.get("lib/a.ts"), ["lib/b.ts", "lib/c.ts", "lib/d/index.ts", "lib/e.ts", "lib/f.ts", "lib/g.ts", "lib/h.ts"]);
  });

  it("names each cycle by the shortest loop through each of its files, type-only edges included; finds none in a tree or in a file typing itself", () => {
    const files: Record<string, string> = {
      "lib/x/a.ts": `import { b } from "./b";`,
      "lib/x/b.ts": `import type { A } from "./a";\nimport { c } from "../y/c";`,
      "lib/y/c.ts": `import { d } from "./d";`,
      "lib/y/d.ts": `export * from "./e";`,
      "lib/y/e.ts": `import { c } from "./c";\nimport { d } from "./d";`,
      "lib/z.ts": `const z = require("./z") as typeof import("./z");`,
      "lib/tree.ts": `import { a } from "./x/a";`,
    };
    assert.deepStrictEqual(importCycles(importGraph(Object.keys(files), (f) => files[f])), [
      "lib/x/a.ts -> lib/x/b.ts -> lib/x/a.ts",
      "lib/y/c.ts -> lib/y/d.ts -> lib/y/e.ts -> lib/y/c.ts",
      "lib/y/d.ts -> lib/y/e.ts -> lib/y/d.ts",
    ]);
    assert.deepStrictEqual(importCycles(importGraph(["lib/tree.ts", "lib/y/e.ts"], (f) => files[f])), []);
  });

  it("lib/**/*.ts and policy/**/*.ts import one another without a cycle", () => {
    const files = [...sources("lib"), ...sources("policy")];
    assert.ok(files.length > 100, `the sources are found (${files.length})`);
    const cycles = importCycles(importGraph(files, (f) => fs.readFileSync(path.join(root, f), "utf8")));
    assert.deepStrictEqual(cycles, [], `import cycles (move the shared piece into a module both can import):\n${cycles.join("\n")}`);
  });
});
