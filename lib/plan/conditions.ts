/**
 * Workflow `If` conditions in plain words, and which one stopped an event: the plan reads the
 * conditions from the deployed definition itself (no second description that could drift from it).
 */
import { EventGridEvent } from "../events/types";
import { evaluateExpression, ExpressionContext } from "../simulate/evaluate";
import { ExprNode, parseTemplate } from "../simulate/expression";
import { EVENT_LOOP_NAME } from "../workflows/builders";

/** The `and(…)` parts of an `If` expression, nested `and`s flattened (one part when it is not an `and`); empty when it can't be parsed. */
export function conjuncts(expression: string): ExprNode[] {
  try {
    const parsed = parseTemplate(expression);
    if (parsed.kind !== "expression") return [];
    const flatten = (e: ExprNode): ExprNode[] => (e.kind === "call" && e.name.toLowerCase() === "and" ? e.args.flatMap(flatten) : [e]);
    return flatten(parsed.expr);
  } catch {
    return [];
  }
}

/** An expression node back in the definition language (without the leading `@`). */
export function printExpr(n: ExprNode): string {
  switch (n.kind) {
    case "string":
      return `'${n.value.replace(/'/g, "''")}'`;
    case "number":
      return String(n.value);
    case "bool":
      return String(n.value);
    case "null":
      return "null";
    case "call":
      return `${n.name}(${n.args.map(printExpr).join(", ")})`;
    case "member":
      return `${printExpr(n.target)}${n.safe ? "?" : ""}[${printExpr(n.key)}]`;
    default: {
      const never: never = n;
      return String(never);
    }
  }
}

const WRAPPERS = new Set(["string", "tolower", "toupper", "trim", "float", "int"]);

const COMPARISONS: Readonly<Record<string, string>> = { greater: ">", greaterorequals: "≥", less: "<", lessorequals: "≤" };

/** The event field a node reads (`data.runStatus`), seeing through `string()`, `toLower()` and the casing `coalesce`. */
export function eventField(n: ExprNode): string | undefined {
  if (n.kind === "call" && WRAPPERS.has(n.name.toLowerCase()) && n.args.length === 1) return eventField(n.args[0]);
  if (n.kind === "call" && n.name.toLowerCase() === "coalesce" && n.args.length > 0) return eventField(n.args[0]);
  const keys: string[] = [];
  let at: ExprNode = n;
  while (at.kind === "member") {
    if (at.key.kind !== "string") return undefined;
    keys.unshift(at.key.value);
    at = at.target;
  }
  const loop = at.kind === "call" && at.name.toLowerCase() === "items" && at.args[0]?.kind === "string" && at.args[0].value === EVENT_LOOP_NAME;
  return loop && keys.length > 0 ? keys.join(".") : undefined;
}

function literals(n: ExprNode): string[] | undefined {
  if (n.kind !== "call" || n.name.toLowerCase() !== "createarray") return undefined;
  const out = n.args.map((a) => (a.kind === "string" ? a.value : undefined));
  return out.every((v): v is string => v !== undefined) ? out : undefined;
}

function short(eventType: string): string {
  return eventType.replace("Microsoft.MachineLearningServices.", "");
}

function variableName(x: ExprNode | undefined): string | undefined {
  return x?.kind === "call" && x.name.toLowerCase() === "variables" && x.args[0]?.kind === "string" ? x.args[0].value : undefined;
}

function lowerCased(x: ExprNode): boolean {
  return x.kind === "call" && WRAPPERS.has(x.name.toLowerCase()) && x.args.length === 1 && (x.name.toLowerCase() === "tolower" || lowerCased(x.args[0]));
}

/** One operand in words: an event field's path, `variable x`, a literal as JSON; the expression otherwise. */
function operand(x: ExprNode): string {
  const field = eventField(x);
  if (field !== undefined) return field;
  if (x.kind === "call" && WRAPPERS.has(x.name.toLowerCase()) && x.args.length === 1) return operand(x.args[0]);
  if (variableName(x) !== undefined) return `variable ${variableName(x)}`;
  if (x.kind === "string") return JSON.stringify(x.value);
  if (x.kind === "number" || x.kind === "bool") return String(x.value);
  if (x.kind === "call" && x.name.toLowerCase() === "length" && x.args.length === 1) return `the length of ${operand(x.args[0])}`;
  if (x.kind === "call" && x.name.toLowerCase() === "uricomponent" && x.args.length === 1) return `${operand(x.args[0])} URI-encoded`;
  if (x.kind === "call" && x.name.toLowerCase() === "concat" && x.args.length > 0) return `the text "${x.args.map(concatPart).join("")}"`;
  return printExpr(x);
}

/** Whether an operand reads as words (an event field, a variable, a literal, a length of one), not as the raw expression. */
function phrased(x: ExprNode): boolean {
  if (x.kind === "call" && x.name.toLowerCase() === "length" && x.args.length === 1) return phrased(x.args[0]);
  return operand(x) !== printExpr(x) || x.kind === "string" || x.kind === "number" || x.kind === "bool";
}

/** A part of a `concat(…)` in a quoted text: literals as they are, anything else as `{…}` in words. */
function concatPart(x: ExprNode): string {
  return x.kind === "string" ? JSON.stringify(x.value).slice(1, -1) : `{${operand(x)}}`;
}

/** The generic forms (equals, contains, empty and their negations) in words, or undefined. */
function genericWords(name: string, a: ExprNode | undefined, b: ExprNode | undefined): string | undefined {
  if (name === "equals" && a && b) return `${operand(a)} equals ${operand(b)}`;
  if (name === "contains" && a && b) return `${operand(a)} contains ${operand(b)}${lowerCased(a) ? " (ignoring case)" : ""}`;
  if (name === "empty" && a) return `${operand(a)} is empty`;
  if ((name === "startswith" || name === "endswith") && a && b) return `${operand(a)} ${name === "startswith" ? "begins" : "ends"} with ${operand(b)}${lowerCased(a) ? " (ignoring case)" : ""}`;
  if (name in COMPARISONS && a && b && phrased(a) && phrased(b)) return `${operand(a)} ${COMPARISONS[name]} ${operand(b)}`;
  if (name === "not" && a?.kind === "call" && a.name.toLowerCase() === "empty" && a.args[0]) return `${operand(a.args[0])} is set`;
  return undefined;
}

/** One condition in words, e.g. `data.experimentName begins with "churn-"`; the expression itself when no pattern fits. */
export function conditionWords(n: ExprNode): string {
  if (n.kind === "call") {
    const name = n.name.toLowerCase();
    const [a, b] = n.args;
    if (name === "equals" && a && b?.kind === "string" && eventField(a) === "eventType") return `event type is ${short(b.value)}`;
    if (name === "equals" && a && b?.kind === "string" && eventField(a)) return `${eventField(a)} equals ${JSON.stringify(b.value)}${lowerCased(a) ? " (ignoring case)" : ""}`;
    if (name === "contains" && a && b && literals(a) && eventField(b)) {
      const values = literals(a) ?? [];
      const field = eventField(b) ?? "";
      if (field === "eventType") return `event type is one of ${values.map(short).join(", ")}`;
      return `${field} is one of ${JSON.stringify(values)}${b.kind === "call" && b.name.toLowerCase() === "tolower" ? " (ignoring case)" : ""}`;
    }
    if ((name === "startswith" || name === "endswith") && a && b?.kind === "string" && eventField(a)) {
      return `${eventField(a)} ${name === "startswith" ? "begins" : "ends"} with ${JSON.stringify(b.value)} (ignoring case)`;
    }
    if (name === "not" && a && !(a.kind === "call" && a.name.toLowerCase() === "empty")) return `not (${conditionWords(a)})`;
    if (name in COMPARISONS && a && b?.kind === "number" && eventField(a)) return `${eventField(a)} ${COMPARISONS[name]} ${b.value}`;
    const generic = genericWords(name, a, b);
    if (generic !== undefined) return generic;
  }
  return printExpr(n);
}

/** The event types an `If` expression requires (`equals(eventType, …)`), or none when it doesn't test the type. */
export function conditionEventTypes(expression: string): string[] {
  return conjuncts(expression).flatMap((n) => {
    if (n.kind !== "call" || n.name.toLowerCase() !== "equals") return [];
    const [a, b] = n.args;
    return a && b?.kind === "string" && eventField(a) === "eventType" ? [b.value] : [];
  });
}

/** Every part of an `If` expression in words. */
export function conditionsInWords(expression: string): string[] {
  const parts = conjuncts(expression);
  return parts.length > 0 ? parts.map(conditionWords) : [expression];
}

/** What the plan knows when re-reading a condition: the event, the definition parameters, the clock. */
export interface ConditionContext {
  readonly event: EventGridEvent;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly now: string;
}

/**
 * The first part of an `If` expression that is false for the event, in words with the value the event
 * carries (`data.experimentName begins with "churn-" (ignoring case) — the event has "fraud-weekly"`);
 * undefined when every part holds or none can be evaluated on the event alone.
 */
export function failedCondition(expression: string, ctx: ConditionContext): string | undefined {
  const context: ExpressionContext = { items: { [EVENT_LOOP_NAME]: ctx.event }, parameters: ctx.parameters, now: ctx.now };
  for (const part of conjuncts(expression)) {
    let value: unknown;
    try {
      value = evaluateExpression(`@${printExpr(part)}`, context);
    } catch {
      continue; // reads run state (variables, earlier actions): not decidable from the event alone
    }
    if (value !== false) continue;
    const field = fieldOf(part);
    const actual = field === undefined ? undefined : readField(field.node, context);
    const has = field === undefined ? "" : actual === null || actual === undefined ? ` — the event has no ${field.path}` : ` — the event has ${field.path} ${JSON.stringify(actual)}`;
    return `${conditionWords(part)}${has}`;
  }
  return undefined;
}

function fieldOf(n: ExprNode): { path: string; node: ExprNode } | undefined {
  if (n.kind !== "call") return undefined;
  for (const a of n.args) {
    const path = eventField(a);
    if (path !== undefined && path !== "eventType") return { path, node: unwrap(a) };
  }
  return undefined;
}

function unwrap(n: ExprNode): ExprNode {
  return n.kind === "call" && WRAPPERS.has(n.name.toLowerCase()) && n.args.length === 1 ? unwrap(n.args[0]) : n;
}

function readField(n: ExprNode, context: ExpressionContext): unknown {
  try {
    return evaluateExpression(`@${printExpr(n)}`, context);
  } catch {
    return undefined;
  }
}
