/** Value helpers shared by the evaluator and the function library. */

/** True for plain JSON objects. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A short type name as Logic Apps error messages spell them (`String`, `Integer`, `Object`, …). */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return "Null";
  if (typeof v === "string") return "String";
  if (typeof v === "boolean") return "Boolean";
  if (typeof v === "number") return Number.isInteger(v) ? "Integer" : "Float";
  if (Array.isArray(v)) return "Array";
  return "Object";
}

/** How interpolation (`@{…}`) and `string()` turn a value into text: null → "", booleans `True`/`False` (.NET), objects as compact JSON. */
export function toText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  return JSON.stringify(v);
}
