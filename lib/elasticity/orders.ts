/**
 * Our own orders as elasticity data: one row per product and hour of a window
 * with its product views (the exposure) and purchases from
 * `clickstream_events`, our price at the middle of the hour (from the
 * `price_changes` history, else `products.current_price`) and the
 * competitors' average then (each competitor's latest price of the previous
 * six hours in `competitor_price_history`, the engine's staleness rule). The
 * analytics page and the live `optimize` target read the same rows.
 */
import type { Sql } from "../db/mod.ts";
import type { ElasticityRow } from "./estimate.ts";

/** A competitor price older than this is stale (PRICING_MAX_AGE's default). */
const STALE = "6 hours";

interface Cell {
  product_id: string;
  category: string;
  hour_of_day: number;
  views: number;
  purchases: number;
  our_price: number;
  ref_price: number | null;
}

/** The hourly rows of window `w`; hours without a fresh competitor price are left out. */
export async function fetchElasticityRows(
  sql: Sql,
  w: { from: Date; to: Date },
): Promise<ElasticityRow[]> {
  const cells = await sql<Cell[]>`
    with cells as (
      select product_id, date_trunc('hour', "timestamp") as hour,
             count(*) filter (where event_type = 'product_view')::int as views,
             count(*) filter (where event_type = 'purchase')::int as purchases
      from clickstream_events
      where "timestamp" >= ${w.from} and "timestamp" < ${w.to}
        and event_type in ('product_view', 'purchase') and product_id is not null
      group by 1, 2
    ), mid as (
      select *, hour + interval '30 minutes' as at from cells
    )
    select m.product_id, p.category, m.views, m.purchases,
           extract(hour from m.hour at time zone 'UTC')::int as hour_of_day,
           coalesce(
             (select c.new_price from price_changes c
               where c.product_id = m.product_id and c.changed_at <= m.at
               order by c.changed_at desc limit 1),
             (select c.old_price from price_changes c
               where c.product_id = m.product_id and c.changed_at > m.at
               order by c.changed_at limit 1),
             p.current_price)::float8 as our_price,
           (select avg(latest.competitor_price) from (
              select distinct on (h.competitor_name) h.competitor_price
              from competitor_price_history h
              where h.product_id = m.product_id and h."timestamp" <= m.at
                and h."timestamp" > m.at - ${STALE}::interval
              order by h.competitor_name, h."timestamp" desc) latest
           )::float8 as ref_price
    from mid m join products p using (product_id)
    order by m.product_id, m.hour`;
  return cells.flatMap((c) =>
    c.ref_price === null || c.views === 0 ? [] : [{
      productId: c.product_id,
      category: c.category,
      hour: c.hour_of_day,
      ourPrice: c.our_price,
      refPrice: c.ref_price,
      units: c.purchases,
      views: c.views,
    }]
  );
}
