/**
 * Can a subject prefix (or suffix) ever match an AML event type's subject format?
 * A format such as `models/{modelName}:{modelVersion}` is read as literal text and placeholders;
 * a placeholder stands for one or more characters other than `/` (names and ids never contain a
 * slash). Checking a prefix is a walk through that small automaton: the prefix is viable when some
 * state survives all of its characters. Suffixes are checked the same way on reversed text.
 */
import { SUBJECT_FORMATS, subjectParts } from "../events/subjects";
import { AmlEventTypeName } from "../events/types";

type Item = { readonly literal: string } | { readonly placeholder: true };

function items(format: string): Item[] {
  const out: Item[] = [];
  for (const part of subjectParts(format)) {
    if ("literal" in part) for (const ch of part.literal) out.push({ literal: ch });
    else out.push({ placeholder: true });
  }
  return out;
}

/**
 * How far `text` gets through the format before no subject can continue it: returns `text.length`
 * when `text` is a viable prefix of some subject, else the index of the first character that breaks it.
 */
function viableLength(format: readonly Item[], text: readonly string[], caseSensitive: boolean): number {
  const eq = caseSensitive ? (a: string, b: string) => a === b : (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  // A state is (item index, inside that placeholder having consumed at least one character).
  let states = new Set<string>(["0:0"]);
  for (let c = 0; c < text.length; c++) {
    const ch = text[c];
    const next = new Set<string>();
    for (const s of states) {
      const [iText, inText] = s.split(":");
      const i = Number(iText);
      const inside = inText === "1";
      const item = format[i];
      if (inside) {
        if (ch !== "/") next.add(`${i}:1`);
        const after = format[i + 1];
        if (after !== undefined) {
          if ("literal" in after && eq(ch, after.literal)) next.add(`${i + 2}:0`);
          if ("placeholder" in after && ch !== "/") next.add(`${i + 1}:1`);
        }
        continue;
      }
      if (item === undefined) continue;
      if ("literal" in item) {
        if (eq(ch, item.literal)) next.add(`${i + 1}:0`);
      } else if (ch !== "/") {
        next.add(`${i}:1`);
      }
    }
    if (next.size === 0) return c;
    states = next;
  }
  return text.length;
}

/** Where a prefix or suffix stops fitting a subject format: `undefined` when it fits. */
export interface SubjectMismatch {
  readonly eventType: AmlEventTypeName;
  readonly format: string;
  /** The part of the prefix (or suffix) that still fits. */
  readonly fits: string;
}

/** Whether `prefix` can begin some subject of `eventType`; if not, how much of it fits. */
export function prefixMismatch(eventType: AmlEventTypeName, prefix: string, caseSensitive = false): SubjectMismatch | undefined {
  const format = SUBJECT_FORMATS[eventType];
  const chars = [...prefix];
  const n = viableLength(items(format), chars, caseSensitive);
  return n === chars.length ? undefined : { eventType, format, fits: chars.slice(0, n).join("") };
}

/** Whether `suffix` can end some subject of `eventType`; if not, how much of its end fits. */
export function suffixMismatch(eventType: AmlEventTypeName, suffix: string, caseSensitive = false): SubjectMismatch | undefined {
  const format = SUBJECT_FORMATS[eventType];
  const reversed = items(format).reverse();
  const chars = [...suffix].reverse();
  const n = viableLength(reversed, chars, caseSensitive);
  return n === chars.length ? undefined : { eventType, format, fits: chars.slice(0, n).reverse().join("") };
}
