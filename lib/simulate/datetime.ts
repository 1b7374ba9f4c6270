/**
 * Timestamps as the workflow definition language sees them: .NET `DateTime` values with 100 ns
 * precision, formatted with .NET standard and custom format strings (en-US culture).
 */

/** A parsed timestamp: wall-clock time (as if UTC) with 100 ns precision and its kind. */
export interface Timestamp {
  /** Milliseconds since 1970-01-01T00:00:00 of the wall-clock time (UTC when `kind` is `utc`). */
  readonly epochMs: number;
  /** 100-nanosecond units within the millisecond (0–9999). */
  readonly subMs: number;
  /** `utc` for inputs with `Z` or an offset (converted to UTC), `unspecified` for inputs without a zone. */
  readonly kind: "utc" | "unspecified";
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;

/** Parses the timestamp formats Logic Apps accepts in practice (ISO 8601 and en-US `M/d/yyyy H:mm:ss`). */
export function parseTimestamp(text: string): Timestamp {
  const iso = ISO.exec(text.trim());
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
    const fraction = (frac ?? "").padEnd(7, "0");
    const ms = Number(fraction.slice(0, 3));
    const subMs = Number(fraction.slice(3));
    let epochMs = base + ms;
    if (zone !== undefined && zone.toUpperCase() !== "Z") {
      const sign = zone.startsWith("-") ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
      epochMs -= offset * 60_000;
    }
    if (!Number.isFinite(epochMs)) throw new Error(`'${text}' is not a valid timestamp`);
    return { epochMs, subMs, kind: zone === undefined ? "unspecified" : "utc" };
  }
  const us = US.exec(text.trim());
  if (us) {
    const [, mo, d, y, h, mi, s, ampm] = us;
    let hour = Number(h ?? 0);
    if (ampm !== undefined) hour = (hour % 12) + (ampm.toUpperCase() === "PM" ? 12 : 0);
    const epochMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi ?? 0), Number(s ?? 0));
    return { epochMs, subMs: 0, kind: "unspecified" };
  }
  throw new Error(`'${text}' is not a valid timestamp; expected ISO 8601 such as '2018-03-15T13:00:00Z'`);
}

/** Time units accepted by `addToTime`, `getFutureTime` and friends. */
export type TimeUnit = "Second" | "Minute" | "Hour" | "Day" | "Week" | "Month" | "Year";

/** Adds `amount` units to a timestamp (calendar arithmetic for months and years, like .NET). */
export function addTime(ts: Timestamp, amount: number, unit: string): Timestamp {
  const u = unit.toLowerCase();
  const simple: Record<string, number> = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };
  if (u in simple) return { ...ts, epochMs: ts.epochMs + amount * simple[u] };
  if (u === "month" || u === "year") {
    const months = u === "year" ? amount * 12 : amount;
    const d = new Date(ts.epochMs);
    const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const day = Math.min(d.getUTCDate(), lastDay);
    const ms = Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
    return { ...ts, epochMs: ms };
  }
  throw new Error(`'${unit}' is not a time unit; expected one of Second, Minute, Hour, Day, Week, Month, Year`);
}

/** Truncates a timestamp to the start of its day, hour or month. */
export function startOf(ts: Timestamp, unit: "day" | "hour" | "month"): Timestamp {
  const d = new Date(ts.epochMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const epochMs =
    unit === "month" ? Date.UTC(y, m, 1) : unit === "day" ? Date.UTC(y, m, d.getUTCDate()) : Date.UTC(y, m, d.getUTCDate(), d.getUTCHours());
  return { epochMs, subMs: 0, kind: ts.kind };
}

/** .NET ticks (100 ns since 0001-01-01). Values above 2^53 lose precision as JavaScript numbers. */
export function ticksOf(ts: Timestamp): number {
  return (ts.epochMs + 62_135_596_800_000) * 10_000 + ts.subMs;
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const STANDARD: Readonly<Record<string, string>> = {
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  d: "M/d/yyyy",
  D: "dddd, MMMM d, yyyy",
  t: "h:mm tt",
  T: "h:mm:ss tt",
  f: "dddd, MMMM d, yyyy h:mm tt",
  F: "dddd, MMMM d, yyyy h:mm:ss tt",
  g: "M/d/yyyy h:mm tt",
  G: "M/d/yyyy h:mm:ss tt",
  M: "MMMM d",
  m: "MMMM d",
  Y: "MMMM yyyy",
  y: "MMMM yyyy",
};

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/**
 * Formats a timestamp with a .NET standard (`o`, `s`, `u`, `D`, `d`, `g`, …) or custom
 * (`yyyy-MM-dd HH:mm`, `dddd`, `fffffff`, `tt`, `K`, quoted literals, `\` escapes) format string, en-US.
 */
export function formatTimestamp(ts: Timestamp, format = "o"): string {
  const pattern = format.length === 1 ? STANDARD[format] : format;
  if (pattern === undefined) throw new Error(`'${format}' is not a supported standard date and time format specifier`);
  const d = new Date(ts.epochMs);
  const fraction = pad(d.getUTCMilliseconds(), 3) + pad(ts.subMs, 4);
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'" || c === '"') {
      const end = pattern.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated quoted literal in date format '${format}'`);
      out += pattern.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === "\\") {
      out += pattern[i + 1] ?? "";
      i += 2;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case "y":
        out += n === 1 ? String(d.getUTCFullYear() % 100) : n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), n);
        break;
      case "M":
        out += n === 1 ? String(d.getUTCMonth() + 1) : n === 2 ? pad(d.getUTCMonth() + 1, 2) : n === 3 ? MONTHS[d.getUTCMonth()].slice(0, 3) : MONTHS[d.getUTCMonth()];
        break;
      case "d":
        out += n === 1 ? String(d.getUTCDate()) : n === 2 ? pad(d.getUTCDate(), 2) : n === 3 ? DAYS[d.getUTCDay()].slice(0, 3) : DAYS[d.getUTCDay()];
        break;
      case "H":
        out += n === 1 ? String(d.getUTCHours()) : pad(d.getUTCHours(), 2);
        break;
      case "h": {
        const h12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
        out += n === 1 ? String(h12) : pad(h12, 2);
        break;
      }
      case "m":
        out += n === 1 ? String(d.getUTCMinutes()) : pad(d.getUTCMinutes(), 2);
        break;
      case "s":
        out += n === 1 ? String(d.getUTCSeconds()) : pad(d.getUTCSeconds(), 2);
        break;
      case "f":
        out += fraction.slice(0, Math.min(n, 7));
        break;
      case "F":
        out += fraction.slice(0, Math.min(n, 7)).replace(/0+$/, "");
        break;
      case "t":
        out += (d.getUTCHours() < 12 ? "AM" : "PM").slice(0, n === 1 ? 1 : 2);
        break;
      case "K":
        out += ts.kind === "utc" ? "Z" : "";
        break;
      case "z":
        out += n === 1 ? "+0" : n === 2 ? "+00" : "+00:00";
        break;
      default:
        out += c.repeat(n);
    }
  }
  return out;
}
