/**
 * Email subject/body templates: plain text with `{placeholder}` fields (and, for advanced use,
 * raw `@{expression}` interpolations), compiled into Logic Apps interpolation strings that read the
 * current event of the per-event loop. Fields are checked against the AML event catalog at
 * construction; errors name the template and the character position.
 */
import { AmlEventType, AmlEventTypeName, EVENT_DESCRIPTIONS, PAYLOAD_FIELDS } from "../events";
import { validateTemplate } from "../simulate/validate";
import { BREACH_TAG } from "../monitoring/breachTag";
import { dataFieldExpr, EVENT_LOOP_NAME, eventExpr, literal } from "../workflows";

/** Envelope fields every event has. */
export const ENVELOPE_FIELDS = ["id", "topic", "subject", "eventType", "eventTime", "dataVersion"] as const;

/** Computed fields: `eventTypeShort` (`RunCompleted`), `workspaceName` (last segment of the topic), `studioLink`, `description`. */
export const COMPUTED_FIELDS = ["eventTypeShort", "workspaceName", "studioLink", "description"] as const;

/**
 * Model monitoring (v2) breach fields, RunStatusChanged only, read from the
 * `azureml_modelmonitor_threshold_breached` run tag: `breachSignal` (`<monitor>_<signal>`, the text
 * between `The signal '` and `'`) and `breachFeatures` (one line per breaching row:
 * `- <feature>: value <v> (<metric>, threshold <t>)`). Both are empty for a run without the tag.
 */
export const BREACH_FIELDS = ["breachSignal", "breachFeatures"] as const;

/** Map-valued data fields whose keys are user-defined (`{data.modelTags.stage}`). */
const MAP_FIELDS = new Set(["runTags", "runProperties", "modelTags", "modelProperties", "serviceTags", "serviceProperties"]);

/** A template problem: which template, what, where. */
export interface TemplateProblem {
  readonly message: string;
  readonly position: number;
}

const studioBase = "https://ml.azure.com";
const topic = eventExpr(["topic"]);

/**
 * The ML studio link for an event type: runs and drift runs → `/runs/{runId}`, registered models →
 * `/model/{name}:{version}/details`, deployments → the endpoints list; `wsid` is the workspace ARM id.
 */
export function studioLinkTemplate(eventType: AmlEventTypeName): string {
  const ws = `?wsid=@{${topic}}`;
  switch (eventType) {
    case AmlEventType.RunCompleted:
    case AmlEventType.RunStatusChanged:
    case AmlEventType.DatasetDriftDetected:
      return `${studioBase}/runs/@{${dataFieldExpr("runId")}}${ws}`;
    case AmlEventType.ModelRegistered:
      return `${studioBase}/model/@{${dataFieldExpr("modelName")}}:@{${dataFieldExpr("modelVersion")}}/details${ws}`;
    case AmlEventType.ModelDeployed:
      return `${studioBase}/endpoints${ws}`;
    default: {
      const never: never = eventType;
      return never;
    }
  }
}

/** The breach tag's text (without `@`), in either payload casing; '' when absent. */
const breachTagText = `string(${dataFieldExpr("runTags", [BREACH_TAG])})`;

/** `<monitor>_<signal>` from the breach tag (without `@`): the text between `The signal '` and the next `'`. */
export const BREACH_SIGNAL_EXPRESSION = `first(split(last(split(${breachTagText}, ${literal("The signal '")})), ${literal("'")}))`;

/**
 * The breaching rows of the tag as lines (without `@`). azureml-assets writes them as a Python list of
 * JSON objects `['{"group":…,"metric_value":…,"metric_name":…,"threshold_value":…}', …]` (see
 * lib/monitoring/breachTag.ts); the definition language has no loop over text, so the rows are
 * rewritten with `replace`. A row in another layout stays as the tag wrote it.
 */
export const BREACH_FEATURES_EXPRESSION = ((): string => {
  const nl = "decodeUriComponent('%0A')";
  let e = `substring(${breachTagText}, add(indexOf(${breachTagText}, '['), 1))`;
  const steps: [string, string][] = [
    [literal(`}', '{"group":"`), `concat(')', ${nl}, '- ')`],
    [literal(`'{"group":"`), "'- '"],
    [literal(`}']`), "')'"],
    [literal(`","metric_value":`), "': value '"],
    [literal(`,"metric_name":"`), "' ('"],
    [literal(`","threshold_value":`), "', threshold '"],
  ];
  for (const [from, to] of steps) e = `replace(${e}, ${from}, ${to})`;
  return `trim(${e})`;
})();

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Escapes literal text for a Logic Apps string: `@{` must not start an interpolation. */
function escapeText(text: string): string {
  return text.replace(/@\{/g, "@@{");
}

/** HTML-escapes literal template text (the template is plain text: its `<`, `&`, quotes are shown, not parsed). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Wraps an expression (without `@{ }`) so that its value is HTML-encoded text: `string()` (objects and arrays as
 * JSON, null as empty), then `&`, `<`, `>`, `"`, `'` replaced by entities (`&` first) and line breaks by `<br>`.
 * Only `string`, `replace` and `decodeUriComponent` are used: functions of the workflow definition language
 * ("Reference guide to workflow expression functions", Microsoft Learn,
 * https://learn.microsoft.com/azure/logic-apps/workflow-definition-language-functions-reference), which the
 * simulator implements (lib/simulate/functions.ts). The language has no HTML-encoding function of its own.
 */
export function htmlEncodeExpression(expression: string): string {
  const steps: [string, string][] = [
    ["'&'", "'&amp;'"],
    ["'<'", "'&lt;'"],
    ["'>'", "'&gt;'"],
    [`'"'`, "'&quot;'"],
    ["''''", "'&#39;'"],
    ["decodeUriComponent('%0D%0A')", "'<br>'"],
    ["decodeUriComponent('%0A')", "'<br>'"],
  ];
  let e = `string(${expression})`;
  for (const [from, to] of steps) e = `replace(${e}, ${from}, ${to})`;
  return e;
}

type Piece = { readonly literal: string } | { readonly expression: string };

/** Index of the `}` closing an `@{` expression that starts at `from`, skipping quoted literals; `text.length` if none. */
function closingBrace(text: string, from: number): number {
  let j = from;
  let inString = false;
  while (j < text.length && (inString || text[j] !== "}")) {
    if (text[j] === "'") inString = !inString;
    j++;
  }
  return j;
}

/** Splits compiled interpolation text into literal runs and `@{…}` expressions (quotes respected, `@@` kept literal). */
function splitInterpolations(piece: string): Piece[] {
  const parts: Piece[] = [];
  let lit = "";
  let i = 0;
  while (i < piece.length) {
    if (piece.startsWith("@@", i)) {
      lit += "@@";
      i += 2;
    } else if (piece.startsWith("@{", i)) {
      const j = closingBrace(piece, i + 2);
      if (lit !== "") parts.push({ literal: lit });
      lit = "";
      parts.push({ expression: piece.slice(i + 2, j) });
      i = j + 1;
    } else {
      lit += piece[i];
      i++;
    }
  }
  if (lit !== "") parts.push({ literal: lit });
  return parts;
}

/** The HTML form of a compiled piece: literal runs escaped, every interpolated value HTML-encoded in the workflow. */
function htmlPiece(piece: string): string {
  return splitInterpolations(piece)
    .map((p) => ("literal" in p ? escapeHtml(p.literal).replace(/\n/g, "<br>") : `@{${htmlEncodeExpression(p.expression)}}`))
    .join("");
}

/** Resolves one `{field}` placeholder to interpolation text for `eventType`, or a problem. */
function resolveField(field: string, eventType: AmlEventTypeName): { text: string } | { problem: string } {
  if ((ENVELOPE_FIELDS as readonly string[]).includes(field)) return { text: `@{${eventExpr([field])}}` };
  switch (field) {
    case "eventTypeShort":
      return { text: `@{last(split(string(${eventExpr(["eventType"])}), '.'))}` };
    case "workspaceName":
      return { text: `@{last(split(string(${topic}), '/'))}` };
    case "studioLink":
      return { text: studioLinkTemplate(eventType) };
    case "description":
      return { text: escapeText(capitalize(EVENT_DESCRIPTIONS[eventType])) };
    case "breachSignal":
    case "breachFeatures":
      if (eventType !== AmlEventType.RunStatusChanged) return { problem: `'${field}' reads the model monitor breach tag of RunStatusChanged events only, not ${eventType}` };
      return { text: `@{${field === "breachSignal" ? BREACH_SIGNAL_EXPRESSION : BREACH_FEATURES_EXPRESSION}}` };
    default:
      break;
  }
  const fields = PAYLOAD_FIELDS[eventType];
  const m = /^data\.([A-Za-z][A-Za-z0-9]*)(?:\.(.+))?$/.exec(field);
  if (m) {
    const known = Object.keys(fields).find((k) => k.toLowerCase() === m[1].toLowerCase());
    if (known === undefined) {
      return { problem: `unknown field '${field}' for ${eventType}; its data fields are ${Object.keys(fields).map((f) => `data.${f}`).join(", ")}` };
    }
    if (m[2] !== undefined) {
      if (!MAP_FIELDS.has(known)) return { problem: `'data.${known}' is not a map, so '${field}' can't read a key from it` };
      return { text: `@{${dataFieldExpr(known, [m[2]])}}` };
    }
    return { text: `@{${dataFieldExpr(known)}}` };
  }
  return {
    problem:
      `unknown field '${field}'; use one of ${[...ENVELOPE_FIELDS, ...COMPUTED_FIELDS].join(", ")} ` +
      `or data.<field> (${eventType}: ${Object.keys(fields).join(", ")})`,
  };
}

/** Checks what a raw `@{…}` expression reads from the current event against the catalog. */
function checkExpressionReferences(expression: string, eventType: AmlEventTypeName, offset: number): TemplateProblem[] {
  const v = validateTemplate(expression);
  if (!v.ok) return [{ message: v.error ?? "invalid expression", position: offset + (v.position ?? 0) }];
  const problems: TemplateProblem[] = [];
  for (const ref of v.references ?? []) {
    const isEvent = ref.root === `items('${EVENT_LOOP_NAME}')` || ref.root === "item()";
    if (!isEvent) {
      if (ref.root.startsWith("triggerbody") || ref.root.startsWith("items(")) {
        problems.push({ message: `expressions in email templates read the current event with items('${EVENT_LOOP_NAME}'), not ${ref.root}`, position: offset + ref.position });
      }
      continue;
    }
    const [first, second] = ref.path;
    if (first === undefined) continue;
    if (first === "data") {
      if (typeof second !== "string") continue;
      const known = Object.keys(PAYLOAD_FIELDS[eventType]).some((k) => k.toLowerCase() === second.toLowerCase());
      if (!known) {
        problems.push({
          message: `unknown field 'data.${second}' for ${eventType}; its data fields are ${Object.keys(PAYLOAD_FIELDS[eventType]).join(", ")}`,
          position: offset + ref.position,
        });
      }
    } else if (!(ENVELOPE_FIELDS as readonly (string | number)[]).includes(first)) {
      problems.push({ message: `unknown event field '${String(first)}'; envelope fields are ${ENVELOPE_FIELDS.join(", ")}`, position: offset + ref.position });
    }
  }
  return problems;
}

/** Options of {@link compileTemplate}. */
export interface CompileOptions {
  /** Replaces each line break of the template's literal text (plain-text bodies). @default - line breaks kept */
  readonly newline?: string;
  /**
   * The result is an HTML body (Office 365 Outlook): literal text is HTML-escaped with `<br>` for line breaks, and
   * every event value is HTML-encoded by the workflow's own expressions when the mail is sent, so names from
   * events (experiment names, tags) show as text and can never add links, images or markup. @default false
   */
  readonly html?: boolean;
}

/** Result of {@link compileTemplate}. */
export type CompiledTemplate = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problems: readonly TemplateProblem[] };

/**
 * Compiles a user template for one event type. `{field}` placeholders (see {@link ENVELOPE_FIELDS},
 * {@link COMPUTED_FIELDS}, `data.<field>`, `data.<map>.<key>`), `{{`/`}}` for literal braces, and raw
 * `@{expression}` interpolations reading `items('For_each_event')`. Positions are 0-based offsets in `template`.
 */
export function compileTemplate(template: string, eventType: AmlEventTypeName, options: CompileOptions = {}): CompiledTemplate {
  const problems: TemplateProblem[] = [];
  let out = "";
  let i = 0;
  const text = (t: string): void => {
    if (options.html) out += escapeText(escapeHtml(t).replace(/\n/g, "<br>"));
    else out += escapeText(options.newline === undefined ? t : t.replace(/\n/g, options.newline));
  };
  /** A compiled field or raw expression: HTML-encoded in the workflow when the body is HTML. */
  const interpolated = (piece: string): void => {
    out += options.html ? htmlPiece(piece) : piece;
  };
  while (i < template.length) {
    const c = template[i];
    if (template.startsWith("{{", i)) {
      text("{");
      i += 2;
    } else if (template.startsWith("}}", i)) {
      text("}");
      i += 2;
    } else if (template.startsWith("@{", i)) {
      const j = closingBrace(template, i + 2);
      if (j >= template.length) {
        problems.push({ message: "unclosed '@{': expected '}'", position: i });
        break;
      }
      const raw = template.slice(i, j + 1);
      const found = checkExpressionReferences(raw, eventType, i);
      problems.push(...found);
      interpolated(raw);
      i = j + 1;
    } else if (c === "{") {
      const end = template.indexOf("}", i + 1);
      if (end < 0) {
        problems.push({ message: "unclosed '{': expected '}' (write '{{' for a literal brace)", position: i });
        break;
      }
      const field = template.slice(i + 1, end).trim();
      const r = resolveField(field, eventType);
      if ("problem" in r) problems.push({ message: r.problem, position: i });
      else interpolated(r.text);
      i = end + 1;
    } else if (c === "}") {
      problems.push({ message: "unmatched '}' (write '}}' for a literal brace)", position: i });
      i++;
    } else {
      text(c);
      i++;
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  // A value starting with '@' (not '@{') would be read as one expression: put the '@' in an interpolation.
  if (out.startsWith("@") && !out.startsWith("@{")) out = `@{'@'}${out.slice(1)}`;
  if (out.startsWith("@@{")) out = `@{'@'}${out.slice(1)}`;
  const check = validateTemplate(out);
  if (!check.ok) return { ok: false, problems: [{ message: `compiled template is invalid: ${check.error}`, position: 0 }] };
  return { ok: true, value: out };
}

/** The default subject: event type, workspace and subject. */
export const DEFAULT_SUBJECT_TEMPLATE = "[Azure ML] {eventTypeShort} in {workspaceName}: {subject}";

const DETAILS: Readonly<Record<AmlEventTypeName, string>> = {
  [AmlEventType.RunCompleted]: "Experiment: {data.experimentName}\nRun: {data.runId}",
  [AmlEventType.RunStatusChanged]: "Experiment: {data.experimentName}\nRun: {data.runId}\nStatus: {data.runStatus}",
  [AmlEventType.ModelRegistered]: "Model: {data.modelName} version {data.modelVersion}\nTags: {data.modelTags}",
  [AmlEventType.ModelDeployed]: "Service: {data.serviceName} ({data.serviceComputeType})\nModels: {data.modelIds}",
  [AmlEventType.DatasetDriftDetected]:
    "Monitor: {data.dataDriftName}\nDrift coefficient: {data.driftCoefficient}\nWindow: {data.startTime} to {data.endTime}\nRun: {data.runId}",
};

/** The default subject of model monitor breach alerts. */
export const DEFAULT_BREACH_SUBJECT_TEMPLATE = "[Azure ML] Model monitor breach in {workspaceName}: {breachSignal}";

/** The default body of model monitor breach alerts: the signal, the breaching features, the monitor run and its studio link. */
export const DEFAULT_BREACH_BODY_TEMPLATE = [
  "A model monitor signal breached its thresholds in workspace {workspaceName}.",
  "",
  "Signal: {breachSignal}",
  "Breaching features:",
  "{breachFeatures}",
  "",
  "Monitor run: {data.runId} ({data.runStatus})",
  "Time: {eventTime}",
  "Workspace: {topic}",
  "",
  "Open the monitor run in Azure Machine Learning studio: {studioLink}",
  "",
  "Event id: {id}",
].join("\n");

/** The default body for an event type: what happened, the event envelope, details and the studio link. */
export function defaultBodyTemplate(eventType: AmlEventTypeName): string {
  return [
    "{description} in workspace {workspaceName}.",
    "",
    "Event type: {eventType}",
    "Subject: {subject}",
    "Time: {eventTime}",
    "Workspace: {topic}",
    DETAILS[eventType],
    "",
    "Open in Azure Machine Learning studio: {studioLink}",
    "",
    `Event id: {id}`,
  ].join("\n");
}

