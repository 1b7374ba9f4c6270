/**
 * The workflow definition language's function library, as documented in Microsoft's "Reference
 * guide to workflow expression functions". Simulator choices (documented in the README):
 * - `guid()` is deterministic: the n-th call in a run returns a fixed GUID derived from n.
 * - `rand(min, max)` returns `min`.
 * - `utcNow()` reads `context.now` when given.
 * - Float results of add/sub/mul/div are rounded to 15 significant digits (`sub(10.3, .3)` is `10`).
 * - `and`, `or` and `if` evaluate all their arguments (no short-circuit), so a definition that
 *   works here doesn't depend on evaluation order.
 * - Time zone conversions, XML, form-data and multipart functions are not simulated: they fail with
 *   an error saying so.
 */
import type { ExprNode } from "./expression";
import type { ActionResult, ExpressionContext } from "./context";
import { addTime, formatTimestamp, parseTimestamp, startOf, ticksOf, Timestamp } from "./datetime";
import { isObject, toText, typeName } from "./values";
import { deterministicGuid } from "../rbac/guid";

/** One function call being evaluated. */
export interface FunctionCall {
  readonly name: string;
  readonly args: readonly unknown[];
  readonly argNodes: readonly ExprNode[];
  readonly context: ExpressionContext;
}

type Impl = (call: FunctionCall) => unknown;
interface FunctionSpec {
  readonly min: number;
  readonly max: number;
  readonly impl: Impl;
}

function str(call: FunctionCall, i: number): string {
  const v = call.args[i];
  if (typeof v !== "string") {
    throw new Error(`expects parameter ${i + 1} to be a string, but the provided value is of type '${typeName(v)}'`);
  }
  return v;
}

function num(call: FunctionCall, i: number): number {
  const v = call.args[i];
  if (typeof v !== "number") {
    throw new Error(`expects parameter ${i + 1} to be a number (Integer or Float), but the provided value is of type '${typeName(v)}'`);
  }
  return v;
}

function int(call: FunctionCall, i: number): number {
  const v = num(call, i);
  if (!Number.isInteger(v)) throw new Error(`expects parameter ${i + 1} to be an integer, got ${v}`);
  return v;
}

function bool(call: FunctionCall, i: number): boolean {
  const v = call.args[i];
  if (typeof v !== "boolean") throw new Error(`expects parameter ${i + 1} to be a boolean, but the provided value is of type '${typeName(v)}'`);
  return v;
}

function arr(call: FunctionCall, i: number): unknown[] {
  const v = call.args[i];
  if (!Array.isArray(v)) throw new Error(`expects parameter ${i + 1} to be an array, but the provided value is of type '${typeName(v)}'`);
  return v;
}

/** True when the argument is a float in the definition language's typing (literal `5.0`, `float()`, or a fractional value). */
function isFloatArg(call: FunctionCall, i: number): boolean {
  const v = call.args[i];
  const node = call.argNodes[i];
  if (typeof v === "number" && !Number.isInteger(v)) return true;
  if (node?.kind === "number") return node.isFloat;
  if (node?.kind === "call" && node.name.toLowerCase() === "float") return true;
  return false;
}

const round15 = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(15)) : x);

/** Deep equality with the definition language's conversions: null equals "", booleans equal 1/0. */
export function looseEquals(a: unknown, b: unknown): boolean {
  const na = a === undefined || a === null ? "" : a;
  const nb = b === undefined || b === null ? "" : b;
  if (typeof na === "boolean" && typeof nb === "number") return (nb !== 0) === na;
  if (typeof na === "number" && typeof nb === "boolean") return (na !== 0) === nb;
  if (Array.isArray(na) && Array.isArray(nb)) return na.length === nb.length && na.every((x, i) => looseEquals(x, nb[i]));
  if (isObject(na) && isObject(nb)) {
    const ka = Object.keys(na);
    const kb = Object.keys(nb);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(nb, k) && looseEquals(na[k], nb[k]));
  }
  return na === nb;
}

function compare(call: FunctionCall): number {
  const [a, b] = call.args.map((v) => (v === null || v === undefined ? "" : v));
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`expects two numbers or two strings, got '${typeName(a)}' and '${typeName(b)}'`);
}

function now(ctx: ExpressionContext): Timestamp {
  const n = ctx.now;
  const iso = n === undefined ? new Date().toISOString() : typeof n === "string" ? n : n.toISOString();
  return { ...parseTimestamp(iso), kind: "utc" };
}

function ts(call: FunctionCall, i: number): Timestamp {
  return parseTimestamp(str(call, i));
}

function optFormat(call: FunctionCall, i: number): string | undefined {
  return call.args.length > i ? str(call, i) : undefined;
}

function actionResult(call: FunctionCall): ActionResult {
  const name = str(call, 0);
  const actions = call.context.actions ?? {};
  const r = actions[name];
  if (r === undefined) {
    throw new Error(`the action '${name}' is not defined in the workflow or hasn't run yet; actions that ran: '${Object.keys(actions).join(", ")}'`);
  }
  return r;
}

function lookup(map: Readonly<Record<string, unknown>> | undefined, name: string, what: string): unknown {
  if (map === undefined || !Object.prototype.hasOwnProperty.call(map, name)) {
    throw new Error(`the ${what} '${name}' doesn't exist; defined: '${Object.keys(map ?? {}).join(", ")}'`);
  }
  const v = map[name];
  return v === undefined ? null : v;
}

function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseUri(s: string): URL {
  try {
    return new URL(s);
  } catch {
    throw new Error(`'${s}' is not an absolute URI`);
  }
}

function toInt(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v)) return Number(v);
  throw new Error(`could not convert ${JSON.stringify(v)} to an integer`);
}

function toFloat(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw new Error(`could not convert ${JSON.stringify(v)} to a float`);
}

function formatNumber(value: number, format: string, locale: string): string {
  if (locale.toLowerCase() !== "en-us") throw new Error(`the simulator formats numbers for the 'en-us' locale only, got '${locale}'`);
  const std = /^([CcDdEeFfGgNnPpXx])(\d{0,2})$/.exec(format);
  const grouped = (x: number, decimals: number): string =>
    x.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  if (std) {
    const [, spec, digits] = std;
    const p = digits === "" ? undefined : Number(digits);
    switch (spec.toUpperCase()) {
      case "C":
        return value < 0 ? `($${grouped(-value, p ?? 2)})` : `$${grouped(value, p ?? 2)}`;
      case "D":
        if (!Number.isInteger(value)) throw new Error("the 'D' format needs an integer");
        return (value < 0 ? "-" : "") + String(Math.abs(value)).padStart(p ?? 0, "0");
      case "F":
        return value.toFixed(p ?? 2);
      case "N":
        return grouped(value, p ?? 2);
      case "P":
        return `${grouped(value * 100, p ?? 2)}%`;
      case "X": {
        if (!Number.isInteger(value)) throw new Error("the 'X' format needs an integer");
        const hex = value.toString(16).padStart(p ?? 0, "0");
        return spec === "X" ? hex.toUpperCase() : hex;
      }
      case "G":
        return String(value);
      case "E": {
        const e = value.toExponential(p ?? 6).replace(/e([+-])(\d)$/, "e$10$2").replace(/e([+-])(\d\d)$/, "e$10$2");
        return spec === "E" ? e.toUpperCase() : e;
      }
      default:
        break;
    }
  }
  const custom = /^([#0,]*)(?:\.([0#]*))?$/.exec(format);
  if (custom) {
    const [, intPart, frac = ""] = custom;
    const minDecimals = (frac.match(/0/g) ?? []).length;
    const maxDecimals = frac.length;
    const useGrouping = intPart.includes(",");
    const minInt = Math.max(1, (intPart.replace(/,/g, "").match(/0/g) ?? []).length);
    return value.toLocaleString("en-US", {
      minimumFractionDigits: minDecimals,
      maximumFractionDigits: maxDecimals,
      useGrouping,
      minimumIntegerDigits: minInt,
    });
  }
  throw new Error(`the simulator doesn't support the number format '${format}'; use a standard format (N2, F2, C2, P0, D5) or a pattern like '0,0.00'`);
}

const UNSUPPORTED = new Set<string>();
const unsupported = (name: string): FunctionSpec => {
  UNSUPPORTED.add(name.toLowerCase());
  return {
    min: 0,
    max: Infinity,
    impl: () => {
      throw new Error(`'${name}' is a real workflow function that this simulator does not implement`);
    },
  };
};

const dateAdd =
  (unit: string): Impl =>
  (c) =>
    formatTimestamp(addTime(ts(c, 0), int(c, 1), unit), optFormat(c, 2));

const F: Record<string, FunctionSpec> = {
  // ---- string
  concat: { min: 1, max: Infinity, impl: (c) => c.args.map(toText).join("") },
  substring: {
    min: 2,
    max: 3,
    impl: (c) => {
      const s = str(c, 0);
      const start = int(c, 1);
      const len = c.args.length > 2 ? int(c, 2) : s.length - start;
      if (start < 0 || len < 0 || start + len > s.length) {
        throw new Error(`startIndex ${start} plus length ${len} must be within the string's length ${s.length}`);
      }
      return s.substr(start, len);
    },
  },
  slice: {
    min: 2,
    max: 3,
    impl: (c) => str(c, 0).slice(int(c, 1), c.args.length > 2 ? int(c, 2) : undefined),
  },
  replace: { min: 3, max: 3, impl: (c) => (str(c, 1) === "" ? str(c, 0) : str(c, 0).split(str(c, 1)).join(str(c, 2))) },
  tolower: { min: 1, max: 1, impl: (c) => str(c, 0).toLowerCase() },
  toupper: { min: 1, max: 1, impl: (c) => str(c, 0).toUpperCase() },
  trim: { min: 1, max: 1, impl: (c) => str(c, 0).trim() },
  indexof: { min: 2, max: 2, impl: (c) => str(c, 0).toLowerCase().indexOf(str(c, 1).toLowerCase()) },
  lastindexof: {
    min: 2,
    max: 2,
    impl: (c) => {
      const s = str(c, 0);
      const find = str(c, 1);
      if (s === "") return find === "" ? 0 : -1;
      if (find === "") return s.length - 1;
      return s.toLowerCase().lastIndexOf(find.toLowerCase());
    },
  },
  nthindexof: {
    min: 3,
    max: 3,
    impl: (c) => {
      const s = str(c, 0).toLowerCase();
      const find = str(c, 1).toLowerCase();
      const n = int(c, 2);
      let at = -1;
      for (let k = 0; k < Math.abs(n); k++) {
        at = n > 0 ? s.indexOf(find, at + 1) : s.lastIndexOf(find, at === -1 ? undefined : at - 1);
        if (at < 0) return -1;
      }
      return at;
    },
  },
  startswith: { min: 2, max: 2, impl: (c) => str(c, 0).toLowerCase().startsWith(str(c, 1).toLowerCase()) },
  endswith: { min: 2, max: 2, impl: (c) => str(c, 0).toLowerCase().endsWith(str(c, 1).toLowerCase()) },
  split: { min: 2, max: 2, impl: (c) => str(c, 0).split(str(c, 1)) },
  guid: {
    min: 0,
    max: 1,
    impl: (c) => {
      const state = c.context.guidState;
      const n = state ? state.next++ : 0;
      const g = deterministicGuid("simulated-guid", String(n));
      const format = c.args.length > 0 ? str(c, 0) : "D";
      switch (format.toUpperCase()) {
        case "N":
          return g.replace(/-/g, "");
        case "D":
          return g;
        case "B":
          return `{${g}}`;
        case "P":
          return `(${g})`;
        default:
          throw new Error(`'${format}' is not a GUID format; use N, D, B or P`);
      }
    },
  },
  formatnumber: { min: 2, max: 3, impl: (c) => formatNumber(num(c, 0), str(c, 1), c.args.length > 2 ? str(c, 2) : "en-us") },
  isint: { min: 1, max: 1, impl: (c) => /^\s*[-+]?\d+\s*$/.test(str(c, 0)) },
  isfloat: { min: 1, max: 2, impl: (c) => str(c, 0).trim() !== "" && Number.isFinite(Number(str(c, 0))) },
  // ---- collection
  contains: {
    min: 2,
    max: 2,
    impl: (c) => {
      const coll = c.args[0];
      const v = c.args[1];
      if (typeof coll === "string") return coll.includes(toText(v));
      if (Array.isArray(coll)) return coll.some((x) => looseEquals(x, v));
      if (isObject(coll)) return typeof v === "string" && Object.prototype.hasOwnProperty.call(coll, v);
      throw new Error(`expects a string, array or object, but the provided value is of type '${typeName(coll)}'`);
    },
  },
  length: {
    min: 1,
    max: 1,
    impl: (c) => {
      const v = c.args[0];
      if (typeof v === "string" || Array.isArray(v)) return v.length;
      throw new Error(`expects a string or an array, but the provided value is of type '${typeName(v)}'`);
    },
  },
  empty: {
    min: 1,
    max: 1,
    impl: (c) => {
      const v = c.args[0];
      if (v === null || v === undefined) return true;
      if (typeof v === "string" || Array.isArray(v)) return v.length === 0;
      if (isObject(v)) return Object.keys(v).length === 0;
      throw new Error(`expects a string, array or object, but the provided value is of type '${typeName(v)}'`);
    },
  },
  first: {
    min: 1,
    max: 1,
    impl: (c) => {
      const v = c.args[0];
      if (typeof v === "string") return v.length > 0 ? v[0] : "";
      if (Array.isArray(v)) return v.length > 0 ? v[0] : null;
      throw new Error(`expects a string or an array, but the provided value is of type '${typeName(v)}'`);
    },
  },
  last: {
    min: 1,
    max: 1,
    impl: (c) => {
      const v = c.args[0];
      if (typeof v === "string") return v.length > 0 ? v[v.length - 1] : "";
      if (Array.isArray(v)) return v.length > 0 ? v[v.length - 1] : null;
      throw new Error(`expects a string or an array, but the provided value is of type '${typeName(v)}'`);
    },
  },
  skip: { min: 2, max: 2, impl: (c) => arr(c, 0).slice(Math.max(0, int(c, 1))) },
  take: {
    min: 2,
    max: 2,
    impl: (c) => {
      const v = c.args[0];
      const n = Math.max(0, int(c, 1));
      if (typeof v === "string" || Array.isArray(v)) return v.slice(0, n);
      throw new Error(`expects a string or an array, but the provided value is of type '${typeName(v)}'`);
    },
  },
  join: { min: 2, max: 2, impl: (c) => arr(c, 0).map(toText).join(str(c, 1)) },
  union: {
    min: 1,
    max: Infinity,
    impl: (c) => {
      if (c.args.every(isObject)) return Object.assign({}, ...(c.args as Record<string, unknown>[]));
      const out: unknown[] = [];
      c.args.forEach((_, i) => arr(c, i).forEach((x) => !out.some((y) => looseEquals(x, y)) && out.push(x)));
      return out;
    },
  },
  intersection: {
    min: 1,
    max: Infinity,
    impl: (c) => {
      if (c.args.every(isObject)) {
        const objs = c.args as Record<string, unknown>[];
        const last = objs[objs.length - 1];
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(last)) if (objs.every((o) => Object.prototype.hasOwnProperty.call(o, k) && looseEquals(o[k], last[k]))) out[k] = last[k];
        return out;
      }
      const lists = c.args.map((_, i) => arr(c, i));
      const out: unknown[] = [];
      for (const x of lists[0]) if (lists.every((l) => l.some((y) => looseEquals(x, y))) && !out.some((y) => looseEquals(x, y))) out.push(x);
      return out;
    },
  },
  // Microsoft's reference ("Reference guide to workflow expression functions", createArray) requires at
  // least one item; an empty array is written json('[]').
  // https://learn.microsoft.com/azure/logic-apps/workflow-definition-language-functions-reference#createArray
  createarray: { min: 1, max: Infinity, impl: (c) => [...c.args] },
  coalesce: { min: 1, max: Infinity, impl: (c) => c.args.find((v) => v !== null && v !== undefined) ?? null },
  range: {
    min: 2,
    max: 2,
    impl: (c) => {
      const count = int(c, 1);
      if (count < 0 || count > 100_000) throw new Error(`count must be between 0 and 100000, got ${count}`);
      return Array.from({ length: count }, (_, k) => int(c, 0) + k);
    },
  },
  // ---- logical
  and: { min: 1, max: Infinity, impl: (c) => c.args.map((_, i) => bool(c, i)).every(Boolean) },
  or: { min: 1, max: Infinity, impl: (c) => c.args.map((_, i) => bool(c, i)).some(Boolean) },
  not: { min: 1, max: 1, impl: (c) => !bool(c, 0) },
  if: { min: 3, max: 3, impl: (c) => (bool(c, 0) ? c.args[1] : c.args[2]) },
  equals: { min: 2, max: 2, impl: (c) => looseEquals(c.args[0], c.args[1]) },
  greater: { min: 2, max: 2, impl: (c) => compare(c) > 0 },
  greaterorequals: { min: 2, max: 2, impl: (c) => compare(c) >= 0 },
  less: { min: 2, max: 2, impl: (c) => compare(c) < 0 },
  lessorequals: { min: 2, max: 2, impl: (c) => compare(c) <= 0 },
  // ---- conversion
  string: { min: 1, max: 1, impl: (c) => toText(c.args[0]) },
  int: { min: 1, max: 1, impl: (c) => toInt(c.args[0]) },
  float: { min: 1, max: 2, impl: (c) => toFloat(c.args[0]) },
  bool: {
    min: 1,
    max: 1,
    impl: (c) => {
      const v = c.args[0];
      if (typeof v === "boolean") return v;
      if (typeof v === "number") return v !== 0;
      if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
      throw new Error(`could not convert ${JSON.stringify(v)} to a boolean`);
    },
  },
  json: {
    min: 1,
    max: 1,
    impl: (c) => {
      const v = c.args[0];
      if (v === null || v === undefined) return {};
      if (typeof v !== "string") return v;
      try {
        return JSON.parse(v) as unknown;
      } catch (e) {
        throw new Error(`the string is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  },
  array: { min: 1, max: 1, impl: (c) => [c.args[0]] },
  base64: { min: 1, max: 1, impl: (c) => Buffer.from(toText(c.args[0]), "utf8").toString("base64") },
  base64tostring: { min: 1, max: 1, impl: (c) => Buffer.from(str(c, 0), "base64").toString("utf8") },
  decodebase64: { min: 1, max: 1, impl: (c) => Buffer.from(str(c, 0), "base64").toString("utf8") },
  datauri: { min: 1, max: 1, impl: (c) => `data:text/plain;charset=utf-8;base64,${Buffer.from(toText(c.args[0]), "utf8").toString("base64")}` },
  datauritostring: {
    min: 1,
    max: 1,
    impl: (c) => {
      const m = /^data:[^,]*?(;base64)?,(.*)$/s.exec(str(c, 0));
      if (!m) throw new Error("expects a data URI");
      return m[1] ? Buffer.from(m[2], "base64").toString("utf8") : decodeURIComponent(m[2]);
    },
  },
  uricomponent: { min: 1, max: 1, impl: (c) => uriEncode(toText(c.args[0])) },
  encodeuricomponent: { min: 1, max: 1, impl: (c) => uriEncode(toText(c.args[0])) },
  uricomponenttostring: { min: 1, max: 1, impl: (c) => decodeURIComponent(str(c, 0)) },
  decodeuricomponent: { min: 1, max: 1, impl: (c) => decodeURIComponent(str(c, 0)) },
  // ---- manipulation
  addproperty: {
    min: 3,
    max: 3,
    impl: (c) => {
      const o = c.args[0];
      const k = str(c, 1);
      if (!isObject(o)) throw new Error(`expects an object, got '${typeName(o)}'`);
      if (Object.prototype.hasOwnProperty.call(o, k)) throw new Error(`the property '${k}' already exists; use setProperty()`);
      return { ...o, [k]: c.args[2] };
    },
  },
  setproperty: {
    min: 3,
    max: 3,
    impl: (c) => {
      const o = c.args[0];
      if (!isObject(o)) throw new Error(`expects an object, got '${typeName(o)}'`);
      return { ...o, [str(c, 1)]: c.args[2] };
    },
  },
  removeproperty: {
    min: 2,
    max: 2,
    impl: (c) => {
      const o = c.args[0];
      if (!isObject(o)) throw new Error(`expects an object, got '${typeName(o)}'`);
      const k = str(c, 1);
      return Object.fromEntries(Object.entries(o).filter(([key]) => key !== k));
    },
  },
  // ---- math
  add: {
    min: 2,
    max: 2,
    impl: (c) => (isFloatArg(c, 0) || isFloatArg(c, 1) ? round15(num(c, 0) + num(c, 1)) : num(c, 0) + num(c, 1)),
  },
  sub: {
    min: 2,
    max: 2,
    impl: (c) => (isFloatArg(c, 0) || isFloatArg(c, 1) ? round15(num(c, 0) - num(c, 1)) : num(c, 0) - num(c, 1)),
  },
  mul: {
    min: 2,
    max: 2,
    impl: (c) => (isFloatArg(c, 0) || isFloatArg(c, 1) ? round15(num(c, 0) * num(c, 1)) : num(c, 0) * num(c, 1)),
  },
  div: {
    min: 2,
    max: 2,
    impl: (c) => {
      if (num(c, 1) === 0) throw new Error("attempted to divide by zero");
      return isFloatArg(c, 0) || isFloatArg(c, 1) ? round15(num(c, 0) / num(c, 1)) : Math.trunc(num(c, 0) / num(c, 1));
    },
  },
  mod: {
    min: 2,
    max: 2,
    impl: (c) => {
      if (num(c, 1) === 0) throw new Error("attempted to divide by zero");
      return num(c, 0) % num(c, 1);
    },
  },
  min: {
    min: 1,
    max: Infinity,
    impl: (c) => {
      const list = c.args.length === 1 && Array.isArray(c.args[0]) ? c.args[0] : c.args;
      return Math.min(...list.map((v, i) => (typeof v === "number" ? v : num({ ...c, args: list }, i))));
    },
  },
  max: {
    min: 1,
    max: Infinity,
    impl: (c) => {
      const list = c.args.length === 1 && Array.isArray(c.args[0]) ? c.args[0] : c.args;
      return Math.max(...list.map((v, i) => (typeof v === "number" ? v : num({ ...c, args: list }, i))));
    },
  },
  rand: { min: 2, max: 2, impl: (c) => int(c, 0) },
  // ---- date and time
  utcnow: { min: 0, max: 1, impl: (c) => formatTimestamp(now(c.context), optFormat(c, 0)) },
  formatdatetime: { min: 1, max: 3, impl: (c) => formatTimestamp(ts(c, 0), optFormat(c, 1)) },
  adddays: { min: 2, max: 3, impl: dateAdd("Day") },
  addhours: { min: 2, max: 3, impl: dateAdd("Hour") },
  addminutes: { min: 2, max: 3, impl: dateAdd("Minute") },
  addseconds: { min: 2, max: 3, impl: dateAdd("Second") },
  addtotime: { min: 3, max: 4, impl: (c) => formatTimestamp(addTime(ts(c, 0), int(c, 1), str(c, 2)), optFormat(c, 3)) },
  subtractfromtime: { min: 3, max: 4, impl: (c) => formatTimestamp(addTime(ts(c, 0), -int(c, 1), str(c, 2)), optFormat(c, 3)) },
  getfuturetime: { min: 2, max: 3, impl: (c) => formatTimestamp(addTime(now(c.context), int(c, 0), str(c, 1)), optFormat(c, 2)) },
  getpasttime: { min: 2, max: 3, impl: (c) => formatTimestamp(addTime(now(c.context), -int(c, 0), str(c, 1)), optFormat(c, 2)) },
  startofday: { min: 1, max: 2, impl: (c) => formatTimestamp(startOf(ts(c, 0), "day"), optFormat(c, 1)) },
  startofhour: { min: 1, max: 2, impl: (c) => formatTimestamp(startOf(ts(c, 0), "hour"), optFormat(c, 1)) },
  startofmonth: { min: 1, max: 2, impl: (c) => formatTimestamp(startOf(ts(c, 0), "month"), optFormat(c, 1)) },
  dayofmonth: { min: 1, max: 1, impl: (c) => new Date(ts(c, 0).epochMs).getUTCDate() },
  dayofweek: { min: 1, max: 1, impl: (c) => new Date(ts(c, 0).epochMs).getUTCDay() },
  dayofyear: {
    min: 1,
    max: 1,
    impl: (c) => {
      const d = new Date(ts(c, 0).epochMs);
      return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    },
  },
  ticks: { min: 1, max: 1, impl: (c) => ticksOf(ts(c, 0)) },
  // ---- URI parsing
  urihost: { min: 1, max: 1, impl: (c) => parseUri(str(c, 0)).hostname },
  uripath: { min: 1, max: 1, impl: (c) => parseUri(str(c, 0)).pathname || "/" },
  uripathandquery: { min: 1, max: 1, impl: (c) => (parseUri(str(c, 0)).pathname || "/") + parseUri(str(c, 0)).search },
  uriport: {
    min: 1,
    max: 1,
    impl: (c) => {
      const u = parseUri(str(c, 0));
      if (u.port !== "") return Number(u.port);
      return u.protocol === "https:" ? 443 : u.protocol === "http:" ? 80 : -1;
    },
  },
  uriquery: { min: 1, max: 1, impl: (c) => parseUri(str(c, 0)).search },
  urischeme: { min: 1, max: 1, impl: (c) => parseUri(str(c, 0)).protocol.replace(/:$/, "") },
  // ---- workflow
  triggerbody: { min: 0, max: 0, impl: (c) => c.context.triggerBody ?? c.context.triggerOutputs?.body ?? null },
  triggeroutputs: { min: 0, max: 0, impl: (c) => c.context.triggerOutputs ?? { headers: {}, body: c.context.triggerBody ?? null } },
  trigger: {
    min: 0,
    max: 0,
    impl: (c) => ({ outputs: c.context.triggerOutputs ?? { headers: {}, body: c.context.triggerBody ?? null }, status: "Succeeded" }),
  },
  parameters: { min: 1, max: 1, impl: (c) => lookup(c.context.parameters, str(c, 0), "workflow parameter") },
  variables: { min: 1, max: 1, impl: (c) => lookup(c.context.variables, str(c, 0), "variable") },
  item: {
    min: 0,
    max: 0,
    impl: (c) => {
      if (!("item" in c.context)) throw new Error("item() can only be used inside a Foreach loop");
      return c.context.item ?? null;
    },
  },
  items: { min: 1, max: 1, impl: (c) => lookup(c.context.items, str(c, 0), "Foreach loop (for items())") },
  actions: { min: 1, max: 1, impl: (c) => ({ name: str(c, 0), ...actionResult(c) }) },
  outputs: { min: 1, max: 1, impl: (c) => actionResult(c).outputs ?? null },
  actionoutputs: { min: 1, max: 1, impl: (c) => actionResult(c).outputs ?? null },
  body: {
    min: 1,
    max: 1,
    impl: (c) => {
      const r = actionResult(c);
      const out = r.outputs;
      if (isObject(out) && "body" in out) return out.body ?? null;
      return r.body ?? null;
    },
  },
  actionbody: { min: 1, max: 1, impl: (c) => F.body.impl(c) },
  result: { min: 1, max: 1, impl: (c) => lookup(c.context.results, str(c, 0), "scoped action (for result())") },
  workflow: { min: 0, max: 0, impl: (c) => c.context.workflow ?? { name: "simulated-workflow", run: { name: "simulated-run" } } },
  // ---- real functions not simulated
  convertfromutc: unsupported("convertFromUtc"),
  converttimezone: unsupported("convertTimeZone"),
  converttoutc: unsupported("convertToUtc"),
  xml: unsupported("xml"),
  xpath: unsupported("xpath"),
  binary: unsupported("binary"),
  base64tobinary: unsupported("base64ToBinary"),
  datauritobinary: unsupported("dataUriToBinary"),
  decodedatauri: unsupported("decodeDataUri"),
  uricomponenttobinary: unsupported("uriComponentToBinary"),
  formdatamultivalues: unsupported("formDataMultiValues"),
  formdatavalue: unsupported("formDataValue"),
  triggerformdatavalue: unsupported("triggerFormDataValue"),
  triggerformdatamultivalues: unsupported("triggerFormDataMultiValues"),
  triggermultipartbody: unsupported("triggerMultipartBody"),
  multipartbody: unsupported("multipartBody"),
  listcallbackurl: unsupported("listCallbackUrl"),
  iterationindexes: unsupported("iterationIndexes"),
  action: unsupported("action"),
  chunk: unsupported("chunk"),
  datedifference: unsupported("dateDifference"),
};

/** True when `name` (any casing) is a workflow definition language function. */
export function isKnownFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(F, name.toLowerCase());
}

/** Names (lower case) of the functions the simulator implements. */
export function simulatedFunctionNames(): string[] {
  return Object.keys(F).filter((k) => !UNSUPPORTED.has(k));
}

/** Checks the argument count of a call; returns an error reason or undefined. */
export function checkArity(name: string, count: number): string | undefined {
  const spec = F[name.toLowerCase()];
  if (spec === undefined) return `unknown function '${name}'`;
  if (count < spec.min || count > spec.max) {
    const expected = spec.min === spec.max ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
    return `${name}() takes ${expected} argument${expected === "1" ? "" : "s"}, got ${count}`;
  }
  return undefined;
}

/** Calls a function (arity checked); throws a plain Error the evaluator wraps with the position. */
export function callFunction(call: FunctionCall): unknown {
  const reason = checkArity(call.name, call.args.length);
  if (reason !== undefined) throw new Error(reason);
  return F[call.name.toLowerCase()].impl(call);
}
