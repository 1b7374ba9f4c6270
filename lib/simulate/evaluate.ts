/**
 * Evaluator for the Logic Apps workflow definition language: `evaluateExpression(template, context)`.
 * Follows Microsoft's "Reference guide to workflow expression functions" (see FUNCTIONS for what
 * is implemented and the simulator-specific choices).
 */
import { ExprNode, ExpressionError, ParsedTemplate, parseTemplate } from "./expression";
import { callFunction, FunctionCall, isKnownFunction } from "./functions";
import { isObject, toText, typeName } from "./values";
import type { ExpressionContext } from "./context";

export { isObject, toText, typeName } from "./values";
export type { ActionResult, ExpressionContext } from "./context";

class Evaluator {
  constructor(
    readonly template: string,
    readonly context: ExpressionContext,
  ) {}

  fail(reason: string, pos: number): never {
    throw new ExpressionError(reason, this.template, pos);
  }

  eval(node: ExprNode): unknown {
    switch (node.kind) {
      case "string":
      case "number":
      case "bool":
        return node.value;
      case "null":
        return null;
      case "call": {
        const host = this.context.functions?.[node.name.toLowerCase()];
        if (host !== undefined) return this.callHost(node.name, host, node.args.map((a) => this.eval(a)), node.pos);
        if (!isKnownFunction(node.name)) this.fail(`unknown function '${node.name}'`, node.pos);
        const args = node.args.map((a) => this.eval(a));
        const call: FunctionCall = { name: node.name, args, argNodes: node.args, context: this.context };
        try {
          return callFunction(call);
        } catch (e) {
          if (e instanceof ExpressionError) throw e;
          return this.fail(`${node.name}(): ${e instanceof Error ? e.message : String(e)}`, node.pos);
        }
      }
      case "member": {
        const target = this.eval(node.target);
        const key = this.eval(node.key);
        return this.member(target, key, node.safe, node.pos);
      }
      default: {
        const never: never = node;
        return never;
      }
    }
  }

  callHost(name: string, fn: (args: readonly unknown[]) => unknown, args: readonly unknown[], pos: number): unknown {
    try {
      return fn(args);
    } catch (e) {
      return this.fail(`${name}(): ${e instanceof Error ? e.message : String(e)}`, pos);
    }
  }

  member(target: unknown, key: unknown, safe: boolean, pos: number): unknown {
    if (target === null || target === undefined) {
      if (safe) return null;
      this.fail(`cannot read property ${JSON.stringify(key)} of null; use '?[' to allow a missing value`, pos);
    }
    if (Array.isArray(target)) {
      if (typeof key !== "number" || !Number.isInteger(key)) this.fail(`an array index must be an integer, got ${typeName(key)}`, pos);
      if (key >= 0 && key < target.length) return target[key];
      if (safe) return null;
      this.fail(`index ${key} is outside the array of length ${target.length}`, pos);
    }
    if (isObject(target)) {
      if (typeof key !== "string") this.fail(`a property name must be a string, got ${typeName(key)}`, pos);
      if (Object.prototype.hasOwnProperty.call(target, key)) {
        const v = target[key];
        return v === undefined ? null : v;
      }
      if (safe) return null;
      const available = Object.keys(target);
      this.fail(
        `property '${key}' doesn't exist, available properties are '${available.join(", ")}'; use '?[' to allow a missing value`,
        pos,
      );
    }
    if (safe) return null;
    return this.fail(`cannot select property ${JSON.stringify(key)} of a ${typeName(target)} value`, pos);
  }
}

/** Evaluates an already parsed template (see {@link parseTemplate}). */
export function evaluateParsed(template: string, parsed: ParsedTemplate, context: ExpressionContext): unknown {
  const ev = new Evaluator(template, context);
  switch (parsed.kind) {
    case "literal":
      return parsed.text;
    case "expression": {
      const v = ev.eval(parsed.expr);
      return v === undefined ? null : v;
    }
    case "interpolation":
      return parsed.parts.map((p) => ("text" in p ? p.text : toText(ev.eval(p.expr)))).join("");
    default: {
      const never: never = parsed;
      return never;
    }
  }
}

/**
 * Evaluates a definition's JSON string value: `"@expr"` keeps the expression's JSON type,
 * `"… @{expr} …"` yields a string, `"@@x"` yields `"@x"`, anything else is returned as is.
 * Throws {@link ExpressionError} naming the problem (unknown function, bad argument, missing
 * property) and its character position in `template`.
 */
export function evaluateExpression(template: string, context: ExpressionContext = {}): unknown {
  return evaluateParsed(template, parseTemplate(template), context);
}

/** Deeply evaluates a definition value: strings as templates, arrays and objects member by member (keys in order). */
export function evaluateValue(value: unknown, context: ExpressionContext): unknown {
  if (typeof value === "string") return evaluateExpression(value, context);
  if (Array.isArray(value)) return value.map((v) => evaluateValue(v, context));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = evaluateValue(v, context);
    return out;
  }
  return value;
}
