/**
 * Parser for the Logic Apps workflow definition language: templates (JSON string values that may
 * hold `@expression`, `@{interpolation}` or `@@` escapes) and the expressions inside them.
 * Every node carries its character position in the template so errors can point at it.
 */

/** A parsed expression node. `pos` is the 0-based character offset in the template. */
export type ExprNode =
  | { readonly kind: "string"; readonly value: string; readonly pos: number }
  | { readonly kind: "number"; readonly value: number; readonly isFloat: boolean; readonly pos: number }
  | { readonly kind: "bool"; readonly value: boolean; readonly pos: number }
  | { readonly kind: "null"; readonly pos: number }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly ExprNode[]; readonly pos: number }
  | { readonly kind: "member"; readonly target: ExprNode; readonly key: ExprNode; readonly safe: boolean; readonly pos: number };

/** One piece of an interpolated string: literal text or an embedded expression. */
export type TemplatePart = { readonly text: string } | { readonly expr: ExprNode };

/** A parsed template. */
export type ParsedTemplate =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "expression"; readonly expr: ExprNode }
  | { readonly kind: "interpolation"; readonly parts: readonly TemplatePart[] };

/** A template or expression that cannot be parsed or evaluated; `position` points into `template`. */
export class ExpressionError extends Error {
  constructor(
    readonly reason: string,
    readonly template: string,
    readonly position: number,
  ) {
    super(`${reason} at position ${position} in template ${JSON.stringify(template)}`);
    this.name = "ExpressionError";
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

class Parser {
  constructor(
    private readonly src: string,
    public i: number,
  ) {}

  fail(reason: string, at = this.i): never {
    throw new ExpressionError(reason, this.src, at);
  }

  ws(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i])) this.i++;
  }

  peek(): string {
    return this.src[this.i] ?? "";
  }

  expect(ch: string): void {
    this.ws();
    if (this.src[this.i] !== ch) {
      this.fail(this.i >= this.src.length ? `expected '${ch}' but the template ended` : `expected '${ch}' but found '${this.src[this.i]}'`);
    }
    this.i++;
  }

  expression(): ExprNode {
    this.ws();
    let node = this.primary();
    for (;;) {
      this.ws();
      const c = this.peek();
      const start = this.i;
      if (c === "?") {
        this.i++;
        if (this.peek() === "[") {
          this.i++;
          const key = this.expression();
          this.expect("]");
          node = { kind: "member", target: node, key, safe: true, pos: start };
        } else if (this.peek() === ".") {
          this.i++;
          node = { kind: "member", target: node, key: this.name(), safe: true, pos: start };
        } else {
          this.fail("expected '[' or '.' after '?'");
        }
      } else if (c === "[") {
        this.i++;
        const key = this.expression();
        this.expect("]");
        node = { kind: "member", target: node, key, safe: false, pos: start };
      } else if (c === ".") {
        this.i++;
        node = { kind: "member", target: node, key: this.name(), safe: false, pos: start };
      } else {
        return node;
      }
    }
  }

  private name(): ExprNode {
    const start = this.i;
    if (!IDENT_START.test(this.peek())) this.fail("expected a property name after '.'");
    while (this.i < this.src.length && IDENT.test(this.src[this.i])) this.i++;
    return { kind: "string", value: this.src.slice(start, this.i), pos: start };
  }

  private primary(): ExprNode {
    const start = this.i;
    const c = this.peek();
    if (c === "") this.fail("expected an expression but the template ended");
    if (c === "'") {
      let value = "";
      this.i++;
      for (;;) {
        if (this.i >= this.src.length) this.fail("unterminated string literal (missing closing ')", start);
        const ch = this.src[this.i];
        if (ch === "'") {
          if (this.src[this.i + 1] === "'") {
            value += "'";
            this.i += 2;
            continue;
          }
          this.i++;
          break;
        }
        value += ch;
        this.i++;
      }
      return { kind: "string", value, pos: start };
    }
    if (/[0-9.-]/.test(c)) {
      const m = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.src.slice(this.i));
      if (!m) this.fail(`unexpected character '${c}'`);
      this.i += m[0].length;
      return { kind: "number", value: Number(m[0]), isFloat: /[.eE]/.test(m[0]), pos: start };
    }
    if (IDENT_START.test(c)) {
      while (this.i < this.src.length && IDENT.test(this.src[this.i])) this.i++;
      const word = this.src.slice(start, this.i);
      this.ws();
      if (this.peek() !== "(") {
        const lower = word.toLowerCase();
        if (lower === "true" || lower === "false") return { kind: "bool", value: lower === "true", pos: start };
        if (lower === "null") return { kind: "null", pos: start };
        this.fail(`'${word}' is not a function call or literal; functions need parentheses, e.g. ${word}()`, start);
      }
      this.i++;
      const args: ExprNode[] = [];
      this.ws();
      if (this.peek() === ")") {
        this.i++;
      } else {
        for (;;) {
          args.push(this.expression());
          this.ws();
          if (this.peek() === ",") {
            this.i++;
            continue;
          }
          if (this.peek() === ")") {
            this.i++;
            break;
          }
          this.fail(this.i >= this.src.length ? `unclosed call to '${word}': expected ')'` : `expected ',' or ')' in call to '${word}' but found '${this.peek()}'`);
        }
      }
      return { kind: "call", name: word, args, pos: start };
    }
    return this.fail(`unexpected character '${c}'`);
  }
}

/** Finds the `}` closing an interpolation that starts at `from`, skipping quoted literals. */
function parseInterpolation(template: string, from: number): { expr: ExprNode; end: number } {
  const p = new Parser(template, from);
  const expr = p.expression();
  p.ws();
  if (p.peek() !== "}") {
    p.fail(p.i >= template.length ? "unclosed '@{': expected '}'" : `expected '}' to close '@{' but found '${p.peek()}'`);
  }
  return { expr, end: p.i + 1 };
}

/**
 * Parses a template as a definition's JSON string value: `@expr` (keeps its type), `@{…}`
 * interpolation (always a string), `@@` at the start (a literal `@`), or plain text.
 * Throws {@link ExpressionError} with the position of the problem.
 */
export function parseTemplate(template: string): ParsedTemplate {
  if (template.startsWith("@@")) return { kind: "literal", text: template.slice(1) };
  if (template.startsWith("@") && !template.startsWith("@{")) {
    const p = new Parser(template, 1);
    const expr = p.expression();
    p.ws();
    if (p.i < template.length) p.fail(`unexpected '${template[p.i]}' after the end of the expression`);
    return { kind: "expression", expr };
  }
  if (!template.includes("@{")) return { kind: "literal", text: template };
  const parts: TemplatePart[] = [];
  let text = "";
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("@@{", i)) {
      text += "@{";
      i += 3;
      continue;
    }
    if (template.startsWith("@{", i)) {
      if (text !== "") parts.push({ text });
      text = "";
      const { expr, end } = parseInterpolation(template, i + 2);
      parts.push({ expr });
      i = end;
      continue;
    }
    text += template[i];
    i++;
  }
  if (text !== "") parts.push({ text });
  return { kind: "interpolation", parts };
}

/** Parses a bare expression (no leading `@`), e.g. `triggerBody()?['id']`. */
export function parseExpression(expression: string): ExprNode {
  const p = new Parser(expression, 0);
  const expr = p.expression();
  p.ws();
  if (p.i < expression.length) p.fail(`unexpected '${expression[p.i]}' after the end of the expression`);
  return expr;
}

/** True when a JSON string value in a definition is evaluated (holds an expression or interpolation). */
export function isTemplate(value: string): boolean {
  return value.startsWith("@") || value.includes("@{");
}

/** Every expression node of a parsed template, outermost first. */
export function templateExpressions(parsed: ParsedTemplate): ExprNode[] {
  switch (parsed.kind) {
    case "literal":
      return [];
    case "expression":
      return [parsed.expr];
    case "interpolation":
      return parsed.parts.flatMap((p) => ("expr" in p ? [p.expr] : []));
    default: {
      const never: never = parsed;
      return never;
    }
  }
}

/** Visits every node of an expression tree, depth first. */
export function walk(node: ExprNode, visit: (n: ExprNode) => void): void {
  visit(node);
  if (node.kind === "call") node.args.forEach((a) => walk(a, visit));
  if (node.kind === "member") {
    walk(node.target, visit);
    walk(node.key, visit);
  }
}

/**
 * A property path read from a data source: `root` is the source call as written in lower case
 * with its literal argument (`triggerbody()`, `item()`, `items('For_each')`, `parameters('x')`,
 * `body('Action')`, …) and `path` the constant keys read from it, in order.
 */
export interface TemplateReference {
  readonly root: string;
  readonly path: readonly (string | number)[];
  /** Position of the source call in the template. */
  readonly position: number;
}

const SOURCES = new Set(["triggerbody", "triggeroutputs", "trigger", "item", "items", "parameters", "variables", "body", "outputs", "actions", "result"]);

function rootName(node: ExprNode): string | undefined {
  if (node.kind !== "call") return undefined;
  const name = node.name.toLowerCase();
  if (!SOURCES.has(name)) return undefined;
  const arg = node.args[0];
  if (node.args.length === 0) return `${name}()`;
  if (node.args.length === 1 && arg.kind === "string") return `${name}('${arg.value}')`;
  return undefined;
}

/**
 * Lists the property paths a template reads from its data sources (trigger body, loop items,
 * parameters, action outputs), longest chain only: `item()?['data']?['runId']` gives one reference
 * `{root: "item()", path: ["data", "runId"]}`. Dynamic keys end the path.
 */
export function templateReferences(parsed: ParsedTemplate): TemplateReference[] {
  const refs: TemplateReference[] = [];
  const visitChain = (node: ExprNode): void => {
    // Collect the member chain from the outermost access.
    const keys: (string | number)[] = [];
    let cur: ExprNode = node;
    const pending: ExprNode[] = [];
    while (cur.kind === "member") {
      const k = cur.key;
      if (k.kind === "string" || k.kind === "number") keys.unshift(k.value);
      else {
        keys.length = 0;
        pending.push(k);
      }
      cur = cur.target;
    }
    const root = rootName(cur);
    if (root !== undefined) refs.push({ root, path: keys, position: cur.pos });
    else if (cur.kind === "call") cur.args.forEach(visit);
    pending.forEach(visit);
  };
  const visit = (node: ExprNode): void => {
    if (node.kind === "member" || node.kind === "call") visitChain(node);
  };
  for (const e of templateExpressions(parsed)) visit(e);
  return refs;
}
