/**
 * List prices for the operations estimate, kept in one dated table. Every price names the page it was
 * read from, its date and its region; a user replaces any of them with `--prices <file.json>` (same
 * keys, see {@link validatePriceOverrides}). The estimate multiplies counts by these unit prices and
 * applies no free grant per workspace (grants are per Azure subscription; the total shows them).
 */

/** One unit price. */
export interface Price {
  /** US dollars per `unit`. */
  readonly usd: number;
  /** What one unit is, e.g. "1,000,000 operations". */
  readonly unit: string;
  /** How many counted items make one unit (1,000,000 for a price per million). */
  readonly perUnits: number;
  /** Items free each month per Azure subscription. @default 0 */
  readonly freePerMonth?: number;
  /** The pricing page the figure was read from. */
  readonly source: string;
}

/** The priced meters. */
export interface Prices {
  /** Event Grid (basic tier) operations: event ingress, advanced match, delivery attempt, management call. */
  readonly eventGridOperations: Price;
  /** Logic Apps (Consumption) built-in trigger and action executions. */
  readonly logicAppActions: Price;
  /** Logic Apps (Consumption) standard connector action executions (e.g. Office 365 Outlook). */
  readonly logicAppConnectorActions: Price;
  /** Azure Functions (Flex Consumption, on demand) executions; execution time (GB-s) is not estimated. */
  readonly functionExecutions: Price;
  /** Azure Communication Services emails sent (the per-MB data charge is not estimated). */
  readonly emails: Price;
  /** Data Factory orchestration activity runs on the Azure integration runtime. */
  readonly dataFactoryActivityRuns: Price;
}

/** The dated table: when and where the prices were read. */
export interface PriceTable {
  /** The date the figures were taken (ISO 8601 date). */
  readonly asOf: string;
  /** The region and currency the figures are for. */
  readonly region: string;
  /** How the figures were obtained, and what a user should check. */
  readonly note: string;
  readonly prices: Prices;
}

/**
 * Pay-as-you-go list prices in US dollars. Sources (each price's `source`): the Azure pricing pages;
 * Event Grid's operation definition and its price also appear in Microsoft Learn's Event Grid overview
 * ("Operations are defined as event ingress, advanced match, delivery attempt, and management calls").
 * Prices change; check the pages before budgeting, and pass your own table (your agreement's prices).
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  asOf: "2026-12-07",
  region: "East US, USD, pay-as-you-go list prices",
  note: "published rates of each service's pricing page as quoted at that date; not your agreement's prices. Override with --prices <file.json>.",
  prices: {
    eventGridOperations: { usd: 0.6, unit: "1,000,000 operations", perUnits: 1_000_000, freePerMonth: 100_000, source: "https://azure.microsoft.com/pricing/details/event-grid/" },
    logicAppActions: { usd: 0.000025, unit: "built-in action execution", perUnits: 1, source: "https://azure.microsoft.com/pricing/details/logic-apps/" },
    logicAppConnectorActions: { usd: 0.000125, unit: "standard connector action execution", perUnits: 1, source: "https://azure.microsoft.com/pricing/details/logic-apps/" },
    functionExecutions: { usd: 0.4, unit: "1,000,000 executions", perUnits: 1_000_000, freePerMonth: 250_000, source: "https://azure.microsoft.com/pricing/details/functions/" },
    emails: { usd: 0.00025, unit: "email", perUnits: 1, source: "https://azure.microsoft.com/pricing/details/communication-services/" },
    dataFactoryActivityRuns: { usd: 1, unit: "1,000 activity runs", perUnits: 1000, source: "https://azure.microsoft.com/pricing/details/data-factory/data-pipeline/" },
  },
};

/** The meters of a price table, in table order. */
export const PRICE_KEYS = Object.keys(DEFAULT_PRICE_TABLE.prices) as (keyof Prices)[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function priceProblems(key: string, value: unknown): string[] {
  if (!isRecord(value)) return [`prices.${key} is ${JSON.stringify(value)}; expected an object like {"usd": 0.6, "perUnits": 1000000, "source": "https://…"}.`];
  const out: string[] = [];
  for (const field of Object.keys(value)) {
    if (!["usd", "unit", "perUnits", "freePerMonth", "source"].includes(field)) out.push(`prices.${key}.${field} is not a price field; use usd, unit, perUnits, freePerMonth or source.`);
  }
  for (const field of ["usd", "perUnits", "freePerMonth"] as const) {
    const n = value[field];
    if (n !== undefined && (typeof n !== "number" || !Number.isFinite(n) || n < 0 || (field === "perUnits" && n === 0))) {
      out.push(`prices.${key}.${field} is ${JSON.stringify(n)}; expected a finite number ≥ 0${field === "perUnits" ? " (and not 0)" : ""}.`);
    }
  }
  for (const field of ["unit", "source"] as const) {
    if (value[field] !== undefined && typeof value[field] !== "string") out.push(`prices.${key}.${field} is ${JSON.stringify(value[field])}; expected a string.`);
  }
  return out;
}

/**
 * Problems of a user's price file (pure): `{asOf?, region?, note?, prices: {meter: {usd?, unit?,
 * perUnits?, freePerMonth?, source?}}}`, meters among {@link PRICE_KEYS}. Empty when usable.
 */
export function validatePriceOverrides(input: unknown): string[] {
  if (!isRecord(input)) return [`the price file holds ${JSON.stringify(input)}; expected an object {"asOf": "2026-12-01", "region": "…", "prices": {"emails": {"usd": 0.0002}}}.`];
  const out: string[] = [];
  for (const key of Object.keys(input)) {
    if (!["asOf", "region", "note", "prices"].includes(key)) out.push(`price file key ${JSON.stringify(key)} is unknown; use asOf, region, note or prices.`);
    else if (key !== "prices" && typeof input[key] !== "string") out.push(`price file ${key} is ${JSON.stringify(input[key])}; expected a string.`);
  }
  if (input.prices === undefined) return out;
  if (!isRecord(input.prices)) return [...out, `prices is ${JSON.stringify(input.prices)}; expected an object keyed by meter (${PRICE_KEYS.join(", ")}).`];
  for (const [key, value] of Object.entries(input.prices)) {
    if (!(PRICE_KEYS as string[]).includes(key)) out.push(`prices.${key} is not a meter; use one of ${PRICE_KEYS.join(", ")}.`);
    else out.push(...priceProblems(key, value));
  }
  return out;
}

/** The default table with a user's overrides laid over it; throws with every problem when the file is unusable. */
export function priceTableWith(input: unknown): PriceTable {
  const problems = validatePriceOverrides(input);
  if (problems.length > 0) throw new Error(`--prices: ${problems.join(" ")}`);
  const o = input as Partial<Omit<PriceTable, "prices">> & { prices?: Partial<Record<keyof Prices, Partial<Price>>> };
  const prices = Object.fromEntries(PRICE_KEYS.map((k) => [k, { ...DEFAULT_PRICE_TABLE.prices[k], ...(o.prices?.[k] ?? {}) }])) as unknown as Prices;
  const changed = Object.keys(o.prices ?? {});
  return {
    asOf: o.asOf ?? DEFAULT_PRICE_TABLE.asOf,
    region: o.region ?? DEFAULT_PRICE_TABLE.region,
    note: o.note ?? (changed.length > 0 ? `${DEFAULT_PRICE_TABLE.note} Overridden by the user: ${changed.join(", ")}.` : DEFAULT_PRICE_TABLE.note),
    prices,
  };
}
