/**
 * Run-time checks for argument names. TypeScript rejects an unknown property in an object literal, but
 * JavaScript callers (and objects built elsewhere, then passed) reach a component unchecked: a typo such
 * as `maxDeliveryAttempt` would silently keep the default. Each component declares its argument names
 * as a key table typed `satisfies ArgKeys<XArgs>`, so the table can't drift from the interface: a
 * missing or extra key is a compile error.
 */
import { editDistance } from "../filters/normalize";

/** Every key of `T`, across the members of a union (`keyof (A | B)` keeps only the shared keys). */
export type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/** A table naming every argument of `T` (each `true`): build it with `{…} satisfies ArgKeys<T>`. */
export type ArgKeys<T> = { readonly [K in KeysOfUnion<T>]: true };

/** A key table as the checks read it. */
export type KeyTable = Readonly<Record<string, true>>;

/** The table without `omitted` (for option objects declared as `Omit<XArgs, …>`). */
export function omitKeys<T extends KeyTable, K extends keyof T & string>(table: T, omitted: readonly K[]): Omit<T, K> {
  const out: Record<string, true> = {};
  for (const k of Object.keys(table)) if (!(omitted as readonly string[]).includes(k)) out[k] = true;
  return out as Omit<T, K>;
}

/** The known name closest to `name` (ignoring case, a few typos), or undefined when none is close. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (bestDistance <= Math.max(2, Math.floor(lower.length / 4))) return best;
  // A shortened name (`pipeline` for `pipelineName`): a unique known name it begins.
  const prefixed = lower.length >= 4 ? known.filter((k) => k.toLowerCase().startsWith(lower)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/**
 * One message per property of `value` that `keys` doesn't name: `unknown argument 'x'; did you mean
 * 'y'?`, or the list of valid names when none is close. `path` prefixes nested names (`eventHub.`).
 * Anything but a plain object yields no message (type checks belong to the validators).
 */
export function unknownArgumentProblems(value: unknown, keys: KeyTable, path = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const known = Object.keys(keys);
  return Object.keys(value)
    .filter((k) => !Object.prototype.hasOwnProperty.call(keys, k))
    .map((k) => {
      const close = closestName(k, known);
      const hint = close !== undefined ? `did you mean '${path}${close}'?` : `the arguments${path ? ` of ${path.replace(/\.$/, "")}` : ""} are ${known.join(", ")}.`;
      return `unknown argument '${path}${k}'; ${hint}`;
    });
}

/** {@link unknownArgumentProblems} for each element of an array of option objects (`alerts[0].`). */
export function unknownArgumentProblemsInList(list: unknown, keys: KeyTable, path: string, only: (item: unknown) => boolean = () => true): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i) => (only(item) ? unknownArgumentProblems(item, keys, `${path}[${i}].`) : []));
}
