/**
 * Everything one pricing run reads, set-based: one query for the products
 * (price, cost, bounds, stock, sales, last change, current recommendation),
 * one for the competitors' latest prices, one for our recent price changes
 * and one for the competitor history of the few products that recently cut.
 * No query per product, so a run over a million products is a handful of
 * scans.
 */
import type { Sql } from "../db/mod.ts";
import type { Action } from "./action.ts";
import type { Observation, PriceChange, ProductInput } from "./types.ts";

/** The recommendation a product has now, to tell a new decision from the same one. */
export interface CurrentRecommendation {
  id: number;
  status: string;
  action: Action;
  currentPrice: number;
  recommendedPrice: number;
  holdReason: string | null;
  flags: string[];
}

/** One product as a run sees it. */
export interface PricingRow {
  input: ProductInput;
  current: CurrentRecommendation | null;
}

interface ProductRecord {
  product_id: string;
  category: string;
  base_price: string;
  current_price: string;
  unit_cost: string;
  map_price: string | null;
  min_price: string | null;
  max_price: string | null;
  stock: number;
  sold_day: number;
  sold_hour: number;
  sales_window_h: number;
  last_changed_at: Date | null;
  rec_id: string | null;
  rec_status: string | null;
  rec_action: Action | null;
  rec_current: string | null;
  rec_price: string | null;
  rec_hold: string | null;
  rec_flags: string[] | null;
}

const num = (s: string | null) => (s === null ? null : Number(s));

/**
 * Reads the inputs of every product. `warHours` is the longest price-war
 * window of any strategy: our changes and competitor history that old are
 * read; nothing older is.
 */
export async function loadInputs(
  sql: Sql,
  now: Date,
  warHours: number,
): Promise<PricingRow[]> {
  const since = new Date(now.getTime() - warHours * 3_600_000);
  const [products, observations, changes] = await Promise.all([
    readProducts(sql, now),
    readObservations(sql),
    readChanges(sql, since),
  ]);
  const history = await readCompetitorHistory(sql, since, changes);
  return products.map((p) => ({
    input: toInput(p, observations, changes, history),
    current: currentOf(p),
  }));
}

/**
 * Products with stock, sales and their current recommendation. Sales per day
 * are purchases over the last 24 h, scaled from the hours the clickstream
 * actually covers (at least one), so a fresh start does not read as "no
 * sales" and every product as overstocked.
 */
function readProducts(sql: Sql, now: Date) {
  return sql<ProductRecord[]>`
    with sales as (
      select product_id,
             count(*)::int as sold_day,
             (count(*) filter (where "timestamp" > ${now}::timestamptz - interval '1 hour'))::int as sold_hour
      from clickstream_events
      where event_type = 'purchase' and "timestamp" > ${now}::timestamptz - interval '24 hours'
        and "timestamp" <= ${now}::timestamptz
      group by product_id
    ), span as (
      select greatest(1, least(24, extract(epoch from ${now}::timestamptz - min("timestamp")) / 3600))::float8 as hours
      from clickstream_events where "timestamp" > ${now}::timestamptz - interval '24 hours'
    ), stock as (
      select product_id, sum(current_stock)::int as units from inventory_state group by product_id
    ), last_change as (
      select product_id, max(changed_at) as at from price_changes group by product_id
    )
    select p.product_id, p.category, p.base_price::text, p.current_price::text, p.unit_cost::text,
           p.map_price::text, p.min_price::text, p.max_price::text,
           coalesce(st.units, 0) as stock, coalesce(s.sold_day, 0) as sold_day,
           coalesce(s.sold_hour, 0) as sold_hour, coalesce((select hours from span), 24) as sales_window_h,
           lc.at as last_changed_at,
           r.recommendation_id::text as rec_id, h.status as rec_status, r.recommendation as rec_action,
           r.current_price::text as rec_current, r.recommended_price::text as rec_price,
           r.hold_reason as rec_hold, r.flags as rec_flags
    from products p
    left join sales s on s.product_id = p.product_id
    left join stock st on st.product_id = p.product_id
    left join last_change lc on lc.product_id = p.product_id
    left join pricing_recommendations r on r.product_id = p.product_id
    left join pricing_recommendation_history h on h.recommendation_id = r.recommendation_id
    order by p.product_id`;
}

type ByProduct<T> = Map<string, T[]>;

function push<T>(m: ByProduct<T>, key: string, value: T): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}

/** The latest price of every competitor for every product. */
async function readObservations(sql: Sql): Promise<ByProduct<Observation>> {
  const rows = await sql<
    { p: string; c: string; price: string; at: Date; id: string }[]
  >`
    select product_id as p, competitor_name as c, competitor_price::text as price,
           "timestamp" as at, event_id::text as id
    from competitor_prices`;
  const out: ByProduct<Observation> = new Map();
  for (const r of rows) {
    push(out, r.p, {
      source: r.c,
      price: Number(r.price),
      observedAt: r.at.getTime(),
      eventId: r.id,
    });
  }
  return out;
}

/** Our applied changes since `since`, oldest first per product. */
async function readChanges(
  sql: Sql,
  since: Date,
): Promise<ByProduct<PriceChange>> {
  const rows = await sql<
    { p: string; at: Date; old: string; new: string }[]
  >`
    select product_id as p, changed_at as at, old_price::text as old, new_price::text as new
    from price_changes where changed_at > ${since}
    order by product_id, changed_at, change_id`;
  const out: ByProduct<PriceChange> = new Map();
  for (const r of rows) {
    push(out, r.p, {
      at: r.at.getTime(),
      oldPrice: Number(r.old),
      newPrice: Number(r.new),
    });
  }
  return out;
}

/** Competitor observations since `since`, only for products we cut in that time. */
async function readCompetitorHistory(
  sql: Sql,
  since: Date,
  changes: ByProduct<PriceChange>,
): Promise<ByProduct<Observation>> {
  const cut = [...changes].filter(([, list]) =>
    list.some((c) => c.newPrice < c.oldPrice)
  ).map(([p]) => p);
  const out: ByProduct<Observation> = new Map();
  if (cut.length === 0) return out;
  const rows = await sql<
    { p: string; c: string; price: string; at: Date; id: string }[]
  >`
    select product_id as p, competitor_name as c, competitor_price::text as price,
           "timestamp" as at, event_id::text as id
    from competitor_price_history
    where product_id = any(${cut}::text[]) and "timestamp" > ${since}
    order by product_id, "timestamp", event_id`;
  for (const r of rows) {
    push(out, r.p, {
      source: r.c,
      price: Number(r.price),
      observedAt: r.at.getTime(),
      eventId: r.id,
    });
  }
  return out;
}

function toInput(
  p: ProductRecord,
  observations: ByProduct<Observation>,
  changes: ByProduct<PriceChange>,
  history: ByProduct<Observation>,
): ProductInput {
  return {
    productId: p.product_id,
    category: p.category,
    listPrice: Number(p.base_price),
    currentPrice: Number(p.current_price),
    unitCost: Number(p.unit_cost),
    mapPrice: num(p.map_price),
    minPrice: num(p.min_price),
    maxPrice: num(p.max_price),
    observations: observations.get(p.product_id) ?? [],
    stockUnits: p.stock,
    salesPerDay: Math.round((p.sold_day / p.sales_window_h) * 24 * 100) / 100,
    purchasesLastHour: p.sold_hour,
    lastAppliedAt: p.last_changed_at?.getTime() ?? null,
    recentChanges: changes.get(p.product_id) ?? [],
    competitorHistory: history.get(p.product_id) ?? [],
  };
}

function currentOf(p: ProductRecord): CurrentRecommendation | null {
  if (p.rec_id === null) return null;
  return {
    id: Number(p.rec_id),
    status: p.rec_status ?? "no_change",
    action: p.rec_action!,
    currentPrice: Number(p.rec_current),
    recommendedPrice: Number(p.rec_price),
    holdReason: p.rec_hold,
    flags: p.rec_flags ?? [],
  };
}
