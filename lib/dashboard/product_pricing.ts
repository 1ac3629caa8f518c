/**
 * One product's pricing, for /pricing/:id and `GET /api/pricing/:id`: the
 * catalog facts (cost, MAP, bounds), the current recommendation with its
 * observations and waterfall as stored, the strategy in force and where each
 * of its levels comes from, recent recommendations with their fate, our
 * applied price changes, and our price against the competitors' over a range.
 */
import type { Sql } from "../db/mod.ts";
import { loadStrategies } from "../pricing/strategies.ts";
import type {
  ExcludedObservation,
  Observation,
  Strategy,
  StrategyOverride,
} from "../pricing/types.ts";
import {
  type RecommendationView,
  toView,
  VIEW_COLUMNS,
  type ViewRecord,
} from "./pricing.ts";

/** The date ranges the product page offers. */
export const RANGES = { "24h": 24, "7d": 168, "30d": 720 } as const;
export type Range = keyof typeof RANGES;

export interface PricePoint {
  at: string;
  price: number;
}

export interface PriceChangeView {
  change_id: number;
  old_price: number;
  new_price: number;
  changed_at: string;
  changed_by: string;
  source: string;
  recommendation_id: number | null;
}

export interface ProductPricing {
  product: {
    product_id: string;
    product_name: string;
    category: string;
    list_price: number;
    our_price: number;
    unit_cost: number;
    map_price: number | null;
    min_price: number | null;
    max_price: number | null;
  };
  /** The current recommendation; null before the first run. */
  recommendation:
    | (RecommendationView & {
      observations: { used: Observation[]; excluded: ExcludedObservation[] };
    })
    | null;
  strategy: {
    resolved: Strategy;
    /** The stored levels that apply, default first. */
    layers: { scope: string; key: string; fields: StrategyOverride }[];
  };
  history: RecommendationView[];
  price_changes: PriceChangeView[];
  range: Range;
  /** Our price over the range as steps (from the applied changes). */
  ours: PricePoint[];
  competitors: Record<string, PricePoint[]>;
}

const n = (v: string | null) => (v === null ? null : Number(v));

/** Everything about one product's pricing; null when the product does not exist. */
export async function productPricing(
  sql: Sql,
  id: string,
  range: Range = "7d",
): Promise<ProductPricing | null> {
  const [p] = await sql<
    {
      product_id: string;
      product_name: string;
      category: string;
      base_price: string;
      current_price: string;
      unit_cost: string;
      map_price: string | null;
      min_price: string | null;
      max_price: string | null;
    }[]
  >`
    select product_id, product_name, category, base_price::text, current_price::text, unit_cost::text,
           map_price::text, min_price::text, max_price::text
    from products where product_id = ${id}`;
  if (!p) return null;
  const since = new Date(Date.now() - RANGES[range] * 3_600_000);
  const [current, history, changes, observed, strategy] = await Promise.all([
    currentRecommendation(sql, id),
    recentRecommendations(sql, id),
    priceChanges(sql, id),
    competitorSeries(sql, id, since),
    strategyOf(sql, p.category, id),
  ]);
  return {
    product: {
      product_id: p.product_id,
      product_name: p.product_name,
      category: p.category,
      list_price: Number(p.base_price),
      our_price: Number(p.current_price),
      unit_cost: Number(p.unit_cost),
      map_price: n(p.map_price),
      min_price: n(p.min_price),
      max_price: n(p.max_price),
    },
    recommendation: current,
    strategy,
    history,
    price_changes: changes,
    range,
    ours: ourSeries(Number(p.current_price), changes, since),
    competitors: observed,
  };
}

async function currentRecommendation(sql: Sql, id: string) {
  const [r] = await sql<ViewRecord[]>`
    select ${sql.unsafe(VIEW_COLUMNS)}
    from pricing_recommendations r
    join pricing_recommendation_history h using (recommendation_id)
    join products p on p.product_id = r.product_id
    where r.product_id = ${id}`;
  if (!r) return null;
  const observations = r.observations as unknown as {
    used: Observation[];
    excluded: ExcludedObservation[];
  };
  return { ...toView(r), observations };
}

async function recentRecommendations(sql: Sql, id: string, limit = 20) {
  const rows = await sql<ViewRecord[]>`
    select ${sql.unsafe(VIEW_COLUMNS)}
    from pricing_recommendation_history h
    join products p on p.product_id = h.product_id
    where h.product_id = ${id}
    order by h.recommendation_id desc limit ${limit}`;
  return rows.map(toView);
}

async function priceChanges(
  sql: Sql,
  id: string,
  limit = 200,
): Promise<PriceChangeView[]> {
  const rows = await sql<
    {
      change_id: string;
      old_price: string;
      new_price: string;
      changed_at: Date;
      changed_by: string;
      source: string;
      recommendation_id: string | null;
    }[]
  >`
    select change_id::text, old_price::text, new_price::text, changed_at, changed_by, source,
           recommendation_id::text
    from price_changes where product_id = ${id}
    order by changed_at desc, change_id desc limit ${limit}`;
  return rows.map((r) => ({
    change_id: Number(r.change_id),
    old_price: Number(r.old_price),
    new_price: Number(r.new_price),
    changed_at: r.changed_at.toISOString(),
    changed_by: r.changed_by,
    source: r.source,
    recommendation_id: n(r.recommendation_id),
  }));
}

/** Our price as steps over the range: the price before the first change in it, then each change. */
function ourSeries(
  now: number,
  changesNewestFirst: readonly PriceChangeView[],
  since: Date,
): PricePoint[] {
  const inRange = changesNewestFirst
    .filter((c) => Date.parse(c.changed_at) >= since.getTime())
    .reverse();
  const start = inRange[0]?.old_price ?? now;
  return [
    { at: since.toISOString(), price: start },
    ...inRange.map((c) => ({ at: c.changed_at, price: c.new_price })),
    { at: new Date().toISOString(), price: now },
  ];
}

async function competitorSeries(
  sql: Sql,
  id: string,
  since: Date,
): Promise<Record<string, PricePoint[]>> {
  const rows = await sql<{ c: string; at: Date; price: string }[]>`
    select competitor_name as c, "timestamp" as at, competitor_price::text as price
    from competitor_price_history
    where product_id = ${id} and "timestamp" >= ${since}
    order by "timestamp", event_id
    limit 5000`;
  const out: Record<string, PricePoint[]> = {};
  for (const r of rows) {
    (out[r.c] ??= []).push({ at: r.at.toISOString(), price: Number(r.price) });
  }
  return out;
}

async function strategyOf(sql: Sql, category: string, id: string) {
  const all = await loadStrategies(sql);
  const layers = all.rows
    .filter((r) =>
      r.scope === "default" || (r.scope === "category" && r.key === category) ||
      (r.scope === "product" && r.key === id)
    )
    .map((r) => ({ scope: r.scope, key: r.key, fields: r.strategy }));
  return { resolved: all.forProduct(category, id), layers };
}
