import { ExpressionError, isTemplate, parseTemplate, ParsedTemplate, TemplateReference, templateExpressions, templateReferences, walk } from "./expression";
import { checkArity } from "./functions";

/** Result of {@link validateTemplate}. */
export interface TemplateValidation {
  /** True when the template parses and every function exists with a valid argument count. */
  readonly ok: boolean;
  /** What is wrong, e.g. `unknown function 'toLowr'`. */
  readonly error?: string;
  /** 0-based character position of the problem in the template. */
  readonly position?: number;
  /** Property paths the template reads from its data sources (see {@link templateReferences}). */
  readonly references?: readonly TemplateReference[];
  /** The parsed template, when `ok`. */
  readonly parsed?: ParsedTemplate;
}

/**
 * Checks a definition string value without evaluating it: syntax, function names, argument counts.
 * Builders call it to fail at construction with the template and the position of the problem.
 */
export function validateTemplate(template: string): TemplateValidation {
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(template);
  } catch (e) {
    if (e instanceof ExpressionError) return { ok: false, error: e.reason, position: e.position };
    throw e;
  }
  for (const expr of templateExpressions(parsed)) {
    let problem: { error: string; position: number } | undefined;
    walk(expr, (n) => {
      if (problem === undefined && n.kind === "call") {
        const reason = checkArity(n.name, n.args.length);
        if (reason !== undefined) problem = { error: reason, position: n.pos };
      }
    });
    if (problem !== undefined) return { ok: false, ...problem };
  }
  return { ok: true, references: templateReferences(parsed), parsed };
}

/** A template problem found in a definition, with the JSON path of the string that holds it. */
export interface DefinitionProblem {
  /** JSON path of the value, e.g. `actions.Send_email.inputs.body.content.subject`. */
  readonly path: string;
  readonly template: string;
  readonly error: string;
  readonly position: number;
}

/** Validates every template string inside a definition fragment (any JSON value), depth first, keys in order. */
export function validateTemplates(value: unknown, path = ""): DefinitionProblem[] {
  if (typeof value === "string") {
    if (!isTemplate(value)) return [];
    const v = validateTemplate(value);
    return v.ok ? [] : [{ path, template: value, error: v.error ?? "invalid template", position: v.position ?? 0 }];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => validateTemplates(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => validateTemplates(v, path === "" ? k : `${path}.${k}`));
  }
  return [];
}

/** Formats a problem as one line: where, what, and the position in the template. */
export function describeProblem(p: DefinitionProblem): string {
  return `${p.path}: ${p.error} at position ${p.position} in template ${JSON.stringify(p.template)}`;
}
