/**
 * The SQL that fetches each analysis's input rows. Every query reads one
 * window [from, to) and returns plain rows the pure analyses take as they
 * are. Numbers are cast in SQL so postgres.js hands back JS numbers.
 *
 * Sources: the current pricing recommendations (as the last run stored
 * them); the mart mart_hourly_demand where it holds exactly the input (as
 * of its last refresh); the live staging
 * view stg_clickstream for sessions, purchases per user and per product;
 * competitor_price_history for every observation (the staging view keeps
 * only the latest); inventory_state for the stock on hand now.
 */
import type { Sql } from "../db/mod.ts";
import { CLICK_TYPES } from "../events/schema.ts";
import type { FunnelSessions } from "./funnel.ts";
import type { PriceObservation, ProductPosition } from "./price_position.ts";
import type { RfmCustomer } from "./rfm.ts";
import type { HourlyRow } from "./demand.ts";
import type { AnalysisWindow } from "./window.ts";

/**
 * Sessions with events in the window (only those events count), grouped by
 * shape: device, distinct event types and distinct [category, type] pairs.
 * Types and category×type pairs are gathered as bit masks so every
 * aggregate can hash instead of sort (bit (c−1)·5 + t−1 for the c-th
 * catalogue category and t-th event type: up to 12 categories fit a bigint;
 * categories past the 12th are left out of the category funnel).
 */
export async function fetchFunnelSessions(
  sql: Sql,
  w: AnalysisWindow,
): Promise<FunnelSessions[]> {
  const rows = await sql<
    {
      device: string;
      event_types: string[];
      category_events: Array<[string, string]>;
      sessions: number;
      events: number;
      duration_seconds: number;
    }[]
  >`
    with types(t, i) as (
      select * from unnest(${[...CLICK_TYPES]}::text[]) with ordinality
    ), cats(c, j) as (
      select c, row_number() over (order by c) from (select distinct category as c from products) x
    ), ev as (
      select e.session_id, e.device_type, e.event_at, 1::bigint << (t.i - 1)::int as tbit,
             case when c.j is null or c.j > 12 then 0::bigint
                  else 1::bigint << ((c.j - 1) * 5 + t.i - 1)::int end as cbit
      from stg_clickstream e
      join types t on t.t = e.event_type
      left join cats c on c.c = e.category
      where e.event_at >= ${w.from} and e.event_at < ${w.to}
    ), s as (
      select min(device_type) as device, count(*) as events,
             extract(epoch from max(event_at) - min(event_at)) as duration_seconds,
             bit_or(tbit) as tmask, bit_or(cbit) as cmask
      from ev
      group by session_id
    ), g as (
      select device, tmask, cmask, count(*)::int as sessions, sum(events)::int as events,
             sum(duration_seconds)::float8 as duration_seconds
      from s
      group by device, tmask, cmask
    )
    select device, sessions, events, duration_seconds,
           array_to_json(array(select t.t from types t where g.tmask & (1::bigint << (t.i - 1)::int) <> 0 order by t.i))
             as event_types,
           coalesce((select jsonb_agg(jsonb_build_array(c.c, t.t) order by c.j, t.i)
                     from cats c cross join types t
                     where c.j <= 12 and g.cmask & (1::bigint << ((c.j - 1) * 5 + t.i - 1)::int) <> 0),
                    '[]'::jsonb) as category_events
    from g
    order by device, sessions desc`;
  return rows.map((r) => ({
    device: r.device,
    eventTypes: r.event_types,
    categoryEvents: r.category_events,
    sessions: r.sessions,
    events: r.events,
    durationSeconds: r.duration_seconds,
  }));
}

/**
 * Every product with our price, the competitors' mean and its recommendation
 * exactly as the last pricing run stored them (not the mart, which refreshes
 * every five minutes), so this page shows the numbers /pricing shows.
 */
export async function fetchProductPositions(
  sql: Sql,
): Promise<ProductPosition[]> {
  const rows = await sql<
    {
      product_id: string;
      product_name: string;
      category: string;
      our_price: number;
      avg_competitor_price: number | null;
      recommendation: ProductPosition["recommendation"];
      confidence: number | null;
      recommended_price: number | null;
    }[]
  >`
    select p.product_id, p.product_name, p.category,
           coalesce(r.current_price, p.current_price)::float8 as our_price,
           r.avg_competitor_price::float8 as avg_competitor_price, r.recommendation,
           r.confidence_score::float8 as confidence, r.recommended_price::float8 as recommended_price
    from products p left join pricing_recommendations r using (product_id)
    order by p.product_id`;
  return rows.map((r) => ({
    productId: r.product_id,
    productName: r.product_name,
    category: r.category,
    ourPrice: r.our_price,
    avgCompetitorPrice: r.avg_competitor_price,
    recommendation: r.recommendation,
    confidence: r.confidence,
    recommendedPrice: r.recommended_price,
  }));
}

/** Every competitor observation in the window (the full history, not only the latest). */
export async function fetchPriceObservations(
  sql: Sql,
  w: AnalysisWindow,
): Promise<PriceObservation[]> {
  const rows = await sql<
    {
      product_id: string;
      competitor: string;
      competitor_price: number;
      our_price: number;
    }[]
  >`
    select product_id, competitor_name as competitor, competitor_price::float8 as competitor_price,
           our_price::float8 as our_price
    from competitor_price_history
    where "timestamp" >= ${w.from} and "timestamp" < ${w.to}
    order by "timestamp", event_id`;
  return rows.map((r) => ({
    productId: r.product_id,
    competitor: r.competitor,
    competitorPrice: r.competitor_price,
    ourPrice: r.our_price,
  }));
}

/** Purchase events per product in the window (products without any are absent). */
export async function fetchUnitsSold(
  sql: Sql,
  w: AnalysisWindow,
): Promise<Map<string, number>> {
  const rows = await sql<{ product_id: string; units: number }[]>`
    select product_id, count(*)::int as units
    from stg_clickstream
    where event_type = 'purchase' and product_id is not null
      and event_at >= ${w.from} and event_at < ${w.to}
    group by product_id`;
  return new Map(rows.map((r) => [r.product_id, r.units]));
}

/** One row per user with a purchase in the window: last purchase, orders, revenue, purchases per device. */
export async function fetchRfmCustomers(
  sql: Sql,
  w: AnalysisWindow,
): Promise<RfmCustomer[]> {
  const rows = await sql<
    {
      user_id: string;
      last_purchase_at: Date;
      orders: number;
      revenue: number;
      device_counts: Record<string, number>;
    }[]
  >`
    with per_device as (
      select user_id, device_type, count(*)::int as purchases, count(distinct session_id)::int as orders,
             max(event_at) as last_at, coalesce(sum(product_price), 0) as revenue
      from stg_clickstream
      where event_type = 'purchase' and event_at >= ${w.from} and event_at < ${w.to}
      group by user_id, device_type
    )
    select user_id, max(last_at) as last_purchase_at, sum(orders)::int as orders,
           sum(revenue)::float8 as revenue, jsonb_object_agg(device_type, purchases) as device_counts
    from per_device
    group by user_id
    order by user_id`;
  return rows.map((r) => ({
    userId: r.user_id,
    lastPurchaseAt: r.last_purchase_at,
    orders: r.orders,
    revenue: r.revenue,
    deviceCounts: r.device_counts,
  }));
}

/** Purchases per category per UTC hour in the window (as of the mart's last refresh). */
export async function fetchHourlyDemand(
  sql: Sql,
  w: AnalysisWindow,
): Promise<HourlyRow[]> {
  const rows = await sql<{ category: string; hour: Date; purchases: number }[]>`
    select category, hour_start as hour, purchases::int as purchases
    from mart_hourly_demand
    where hour_start >= ${w.from} and hour_start < ${w.to}
    order by hour_start, category`;
  return rows.map((r) => ({
    category: r.category,
    hour: r.hour,
    purchases: r.purchases,
  }));
}

/**
 * Purchases per category in the unfinished hour [from, to), read live from
 * the staging view (the hourly mart only has it as of its last refresh).
 */
export async function fetchCurrentHour(
  sql: Sql,
  w: { from: Date; to: Date },
): Promise<HourlyRow[]> {
  const rows = await sql<{ category: string; purchases: number }[]>`
    select category, count(*)::int as purchases
    from stg_clickstream
    where event_type = 'purchase' and category is not null
      and event_at >= ${w.from} and event_at < ${w.to}
    group by category`;
  return rows.map((r) => ({
    category: r.category,
    hour: w.from,
    purchases: r.purchases,
  }));
}

/** The catalogue's categories, so a category without sales still shows as zero. */
export async function fetchCategories(sql: Sql): Promise<string[]> {
  const rows = await sql<
    { category: string }[]
  >`select distinct category from products order by category`;
  return rows.map((r) => r.category);
}

/** Product stock (summed over warehouses) and purchases per UTC hour in the window. */
export async function fetchStockAndHourlySales(
  sql: Sql,
  w: { from: Date; to: Date },
): Promise<{
  products: Array<
    { productId: string; productName: string; category: string; stock: number }
  >;
  sales: Array<{ productId: string; hour: Date; purchases: number }>;
}> {
  const products = await sql<
    {
      product_id: string;
      product_name: string;
      category: string;
      stock: number;
    }[]
  >`
    select p.product_id, p.product_name, p.category, coalesce(sum(i.current_stock), 0)::int as stock
    from products p
    left join inventory_state i on i.product_id = p.product_id
    group by p.product_id, p.product_name, p.category
    order by p.product_id`;
  const sales = await sql<
    { product_id: string; hour: Date; purchases: number }[]
  >`
    select product_id, date_trunc('hour', event_at, 'UTC') as hour, count(*)::int as purchases
    from stg_clickstream
    where event_type = 'purchase' and product_id is not null
      and event_at >= ${w.from} and event_at < ${w.to}
    group by 1, 2`;
  return {
    products: products.map((p) => ({
      productId: p.product_id,
      productName: p.product_name,
      category: p.category,
      stock: p.stock,
    })),
    sales: sales.map((s) => ({
      productId: s.product_id,
      hour: s.hour,
      purchases: s.purchases,
    })),
  };
}

/** When each of `models` was last refreshed (absent: never). */
export async function fetchRefreshedAt(
  sql: Sql,
  models: readonly string[],
): Promise<Record<string, string>> {
  const rows = await sql<{ model: string; refreshed_at: Date }[]>`
    select model, refreshed_at from model_refreshes where model = any(${models as string[]}::text[])`;
  return Object.fromEntries(
    rows.map((r) => [r.model, r.refreshed_at.toISOString()]),
  );
}
