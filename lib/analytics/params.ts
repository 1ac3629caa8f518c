/**
 * The analyses' URL parameters, shared by the pages and the JSON/CSV API:
 * `hours` and `until` (the window), `elasticity` (price), `category` and
 * `table` (demand), `segment`, `limit` and `offset` (the customers of the
 * RFM API). Each reader throws a RangeError naming the parameter and
 * its value; the web layer turns that into a 400.
 */
import { type AnalysisWindow, parseWindow } from "./window.ts";
import { checkElasticity, DEFAULT_ELASTICITY } from "./revenue_simulation.ts";
import { decimal, wholeNumber } from "../query.ts";
import { SEGMENT_RULES } from "./rfm.ts";

const SEGMENTS = SEGMENT_RULES.map((r) => r.name);

/** Default window per analysis, in hours. */
export const DEFAULT_HOURS = {
  funnel: 24,
  price: 168,
  rfm: 24 * 90,
  demand: 168,
} as const;
export type AnalysisName = keyof typeof DEFAULT_HOURS;

/** A request's query parameters: the value of `name`, or undefined when absent. */
export type Query = (name: string) => string | undefined;

/** The window of `analysis` from `query` (demand counts whole hours only). */
export function windowOf(
  query: Query,
  analysis: AnalysisName,
  now: Date = new Date(),
): AnalysisWindow {
  return parseWindow(
    { hours: query("hours"), until: query("until") },
    DEFAULT_HOURS[analysis],
    now,
    analysis === "demand",
  );
}

/**
 * "Now" for a live window (no `until`: the current, unfinished hour joins
 * the demand series), undefined for a window that ends at a given time.
 */
export function liveNow(query: Query): Date | undefined {
  return query("until") ? undefined : new Date();
}

/** The elasticity from `?elasticity=`, default −1.5. */
export function elasticityOf(query: Query): number {
  const raw = query("elasticity");
  if (raw === undefined || raw === "") return DEFAULT_ELASTICITY;
  return checkElasticity(decimal("elasticity", raw, "-1.5"));
}

/** Which demand table `?table=` asks for as CSV, default the hourly series. */
export function demandTableOf(query: Query): "hourly" | "stockout" {
  const table = query("table") ?? "hourly";
  if (table !== "hourly" && table !== "stockout") {
    throw new RangeError(
      `Parameter "table" is "${table}": expected "hourly" or "stockout"`,
    );
  }
  return table;
}

/**
 * The demand category from `?category=`; absent or empty means all
 * categories (undefined). A value must be one of `categories`.
 */
export function categoryOf(
  query: Query,
  categories: readonly string[],
): string | undefined {
  return choiceOf(query, "category", categories, "Cannot show category");
}

/** `?name=` when it is one of `choices`; absent or empty, undefined. */
function choiceOf(
  query: Query,
  name: string,
  choices: readonly string[],
  cannot: string,
): string | undefined {
  const value = query(name) || undefined;
  if (value && !choices.includes(value)) {
    throw new RangeError(
      `${cannot} "${value}": expected one of ${
        choices.map((x) => `"${x}"`).join(", ")
      }`,
    );
  }
  return value;
}

/** The query string that repeats `names` as the user set them (for download links). */
export function keptQuery(query: Query, names: readonly string[]): string {
  const q = new URLSearchParams();
  for (const n of names) {
    const v = query(n);
    if (v) q.set(n, v);
  }
  return q.toString();
}

/** The {@linkcode Query} of a request (Hono's `c.req`, or anything with `query(name)`). */
export function queryOf(
  req: { query(name: string): string | undefined },
): Query {
  return (name) => req.query(name);
}

/** Customers per page of `/api/analytics/rfm` unless `?limit=` says otherwise. */
export const DEFAULT_CUSTOMER_LIMIT = 1_000;
/** The most customers one page of `/api/analytics/rfm` holds (the CSV holds all). */
export const MAX_CUSTOMER_LIMIT = 10_000;

/** Which customers of the RFM report one answer lists. */
export interface CustomerPage {
  /** Only this segment's customers; undefined for all. */
  segment: string | undefined;
  offset: number;
  limit: number;
}

/**
 * The page of customers `?segment=`, `?offset=` and `?limit=` ask for. A
 * segment must be one of SEGMENT_RULES's; limit is 1 to MAX_CUSTOMER_LIMIT
 * (default DEFAULT_CUSTOMER_LIMIT), offset 0 or more.
 */
export function customerPageOf(query: Query): CustomerPage {
  const whole = (name: string, absent: number, min: number, max: number) => {
    const raw = query(name);
    return raw ? wholeNumber(name, raw, { min, max }) : absent;
  };
  return {
    segment: choiceOf(query, "segment", SEGMENTS, "Cannot list segment"),
    limit: whole("limit", DEFAULT_CUSTOMER_LIMIT, 1, MAX_CUSTOMER_LIMIT),
    offset: whole("offset", 0, 0, Number.MAX_SAFE_INTEGER),
  };
}
