/**
 * Flattened unions: one plain interface with a `kind` and every kind's fields optional (a union would
 * not cross into Python, Go, .NET or YAML), checked here so each kind gets exactly its own fields.
 */

/** The fields each kind of a flattened union requires and accepts. */
export type KindFields = Readonly<Record<string, { readonly required?: readonly string[]; readonly optional?: readonly string[] }>>;

/** Which kinds take `field`, for a message that names where it belongs. */
function kindsOf(kinds: KindFields, field: string): string[] {
  return Object.keys(kinds).filter((k) => [...(kinds[k].required ?? []), ...(kinds[k].optional ?? [])].includes(field));
}

/**
 * Problems of a flattened union value at `where` (e.g. `email`): a kind that does not exist, a field that
 * belongs to another kind, a field its kind requires but is missing. Unknown names are checked elsewhere.
 */
export function kindProblems(where: string, value: object | undefined, kinds: KindFields): string[] {
  if (value === undefined || value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  const names = Object.keys(kinds).map((k) => JSON.stringify(k)).join(", ");
  if (typeof kind !== "string" || !(kind in kinds)) return [`${where}.kind ${JSON.stringify(kind)} is not supported; use one of ${names}.`];
  const own = kinds[kind];
  const problems: string[] = [];
  for (const field of Object.keys(record)) {
    if (field === "kind" || record[field] === undefined) continue;
    const belongs = kindsOf(kinds, field);
    if (belongs.length > 0 && !belongs.includes(kind)) {
      problems.push(`${where}.${field} is set but ${where}.kind is ${JSON.stringify(kind)}; ${field} belongs to kind ${belongs.map((k) => JSON.stringify(k)).join(" or ")}: drop it or change the kind.`);
    }
  }
  for (const field of own.required ?? []) {
    if (record[field] === undefined) problems.push(`${where}.${field} is required with ${where}.kind ${JSON.stringify(kind)}.`);
  }
  return problems;
}
