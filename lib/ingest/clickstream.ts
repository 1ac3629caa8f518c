/**
 * Clickstream writer: one statement inserts the batch and folds the rows that
 * were new (not redelivered) into product_metrics, so a duplicate changes no
 * counter and no revenue.
 */
import type { ClickEvent } from "../events/schema.ts";
import type { Writer } from "./types.ts";
import { storedConflicts } from "./content.ts";

export const writeClickstream: Writer<ClickEvent> = async (tx, items) => {
  if (items.length === 0) {
    return { inserted: 0, duplicates: 0, refused: [], conflicts: [] };
  }
  const e = items.map((i) => i.event);
  const col = <K extends keyof ClickEvent>(k: K) =>
    e.map((x) => x[k] === null ? null : String(x[k]));
  const [row] = await tx<{ inserted: number }[]>`
    with input as (
      select * from unnest(
        ${col("event_id")}::uuid[], ${col("user_id")}::text[], ${
    col("session_id")
  }::uuid[],
        ${col("event_type")}::text[], ${col("product_id")}::text[], ${
    col("product_name")
  }::text[],
        ${col("product_category")}::text[], ${col("product_price")}::numeric[],
        ${col("timestamp")}::timestamptz[], ${col("device_type")}::text[],
        ${items.map((i) => i.hash)}::text[]
      ) as t(event_id, user_id, session_id, event_type, product_id, product_name,
             product_category, product_price, ts, device_type, hash)
    ), ins as (
      insert into clickstream_events (event_id, user_id, session_id, event_type, product_id, product_name,
                                      product_category, product_price, "timestamp", device_type, content_hash)
      select event_id, user_id, session_id, event_type, product_id, product_name,
             product_category, product_price, ts, device_type, decode(hash, 'hex') from input
      on conflict (event_id) do nothing
      returning event_type, product_id, product_price
    ), agg as (
      select product_id,
             count(*) filter (where event_type = 'product_view') as views,
             count(*) filter (where event_type = 'add_to_cart') as carts,
             count(*) filter (where event_type = 'purchase') as purchases,
             coalesce(sum(product_price) filter (where event_type = 'purchase'), 0) as revenue
      from ins where product_id is not null group by product_id
    ), upd as (
      update product_metrics m set
        total_views = m.total_views + a.views,
        total_cart_adds = m.total_cart_adds + a.carts,
        total_purchases = m.total_purchases + a.purchases,
        revenue = m.revenue + a.revenue,
        conversion_rate = case when m.total_views + a.views > 0
          then round((m.total_purchases + a.purchases)::numeric / (m.total_views + a.views), 6) else 0 end,
        updated_at = now()
      from agg a where m.product_id = a.product_id
      returning 1
    )
    select (select count(*)::int from ins) as inserted`;
  const inserted = row!.inserted;
  const conflicts = inserted < items.length
    ? await storedConflicts(tx, "clickstream_events", items)
    : [];
  return {
    inserted,
    duplicates: items.length - inserted - conflicts.length,
    refused: [],
    conflicts,
  };
};
