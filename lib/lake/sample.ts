/**
 * Set-based sample rows for the lake's tests and benchmark: `generate_series`
 * inserts, millions of rows in seconds, spread over `days` UTC dates.
 */
import type { Sql } from "../db/mod.ts";

export interface SampleOptions {
  /** Rows per stream. */
  rows: number;
  /** Number of distinct dates, starting at `start`. */
  days: number;
  /** First date (UTC), e.g. "2026-11-01". */
  start: string;
}

/** Inserts `rows` sample rows into every exported table, one statement each. */
export async function insertSampleRows(
  sql: Sql,
  o: SampleOptions,
): Promise<void> {
  const { rows: n, days, start } = o;
  await sql`insert into clickstream_events (event_id, user_id, session_id, event_type, product_id,
      product_name, product_category, product_price, "timestamp", device_type)
    select gen_random_uuid(), 'user_' || (g % 500), gen_random_uuid(),
      (array['page_view', 'add_to_cart', 'purchase'])[1 + g % 3],
      case when g % 10 <> 0 then 'P' || lpad((g % 100)::text, 4, '0') end,
      case when g % 10 <> 0 then 'Product ' || (g % 100) end,
      case when g % 10 <> 0 then 'category_' || (g % 7) end,
      case when g % 10 <> 0 then round(5 + (g % 99991) / 100.0, 2) end,
      ${start}::date::timestamptz + make_interval(days => g % ${days}::int, secs => ((g % 86400) * 7919 % 86400)),
      (array['desktop', 'mobile', 'tablet'])[1 + g % 3]
    from generate_series(1, ${n}::int) g`;
  await sql`insert into inventory_events (event_id, product_id, warehouse_id, event_type,
      quantity_change, applied, stock_after, refusal_reason, "timestamp", kafka_partition, kafka_offset)
    select gen_random_uuid(), 'P' || lpad((g % 100)::text, 4, '0'), 'WH-' || (g % 3),
      (array['restock', 'sale', 'return', 'adjustment'])[1 + g % 4], (g % 21) - 10,
      g % 13 <> 0, case when g % 13 <> 0 then g % 500 end,
      case when g % 13 = 0 then 'would go below zero' end,
      ${start}::date::timestamptz + make_interval(days => g % ${days}::int, secs => ((g % 86400) * 6007 % 86400)),
      case when g % 5 <> 0 then g % 4 end, case when g % 5 <> 0 then g::int8 * 3 end
    from generate_series(1, ${n}::int) g`;
  await sql`insert into competitor_price_history (event_id, product_id, competitor_name,
      competitor_price, our_price, price_difference, price_difference_pct, "timestamp")
    select gen_random_uuid(), 'P' || lpad((g % 100)::text, 4, '0'),
      (array['Amazon', 'Walmart', 'Target'])[1 + g % 3],
      round(10 + (g % 50021) / 100.0, 2), round(10 + (g % 49999) / 100.0, 2),
      round(10 + (g % 49999) / 100.0, 2) - round(10 + (g % 50021) / 100.0, 2),
      round(((g % 2001) - 1000) / 100.0, 4),
      ${start}::date::timestamptz + make_interval(days => g % ${days}::int, secs => ((g % 86400) * 4001 % 86400))
    from generate_series(1, ${n}::int) g`;
  await sql`with runs as (
      insert into pricing_runs (products)
      select 1000 from generate_series(1, ceil(${n}::int / 1000.0)::int)
      returning run_id),
    numbered as (select run_id, row_number() over (order by run_id) - 1 as rn from runs)
    insert into pricing_recommendation_history (run_id, product_id, current_price,
      avg_competitor_price, demand_velocity, price_gap_pct, recommendation, confidence_score,
      recommended_price, created_at)
    select r.run_id, 'P' || lpad(p::text, 4, '0'), round(20 + p / 10.0, 2),
      -- every 17th product without competitor prices: no average, no gap
      case when p % 17 <> 0 then round(19 + p / 11.0, 2) end,
      round((p % 97) / 7.0, 2), case when p % 17 <> 0 then round(((p % 41) - 20) / 100.0, 4) end,
      (array['raise', 'lower', 'hold'])[1 + p % 3], round((p % 10001) / 10000.0, 4),
      round(19 + p / 11.0, 2),
      ${start}::date::timestamptz + make_interval(days => ((r.rn * 1000 + p) % ${days}::int)::int, secs => p)
    from numbered r cross join generate_series(0, 999) p
    where r.rn * 1000 + p < ${n}::int`;
}
