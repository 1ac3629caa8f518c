/**
 * Competitor price writer: every observation goes to the history (once, by
 * event_id); the latest per product × competitor is upserted, never replaced
 * by an older observation that arrives late. "Latest" is one rule everywhere
 * (this sink, the stg_competitor_prices model, the quality check): the
 * greatest ("timestamp", event_id), so two observations with the same
 * timestamp end the same whatever order they are processed in.
 */
import type { CompetitorEvent } from "../events/schema.ts";
import { hashedOf, NOTHING, type Writer } from "./types.ts";
import { insertResult } from "./content.ts";

/** The batch as one array per column (every field is present: the schema requires them). */
function columns(items: readonly { event: CompetitorEvent; hash: string }[]) {
  const col = <K extends keyof CompetitorEvent>(k: K) =>
    items.map((i) => String(i.event[k]));
  return {
    id: col("event_id"),
    product: col("product_id"),
    competitor: col("competitor_name"),
    price: col("competitor_price"),
    ours: col("our_price"),
    diff: col("price_difference"),
    pct: col("price_difference_pct"),
    ts: col("timestamp"),
    hash: items.map((i) => i.hash),
  };
}

export const writeCompetitor: Writer<CompetitorEvent> = (items) => {
  if (items.length === 0) return NOTHING;
  // The columns and what a conflict report needs, not the events (see Writer).
  const c = columns(items);
  const kept = items.map(hashedOf);
  return async (tx) => {
    const [row] = await tx<{ inserted: number }[]>`
    with input as (
      select * from unnest(
        ${c.id}::uuid[], ${c.product}::text[], ${c.competitor}::text[],
        ${c.price}::numeric[], ${c.ours}::numeric[], ${c.diff}::numeric[],
        ${c.pct}::numeric[], ${c.ts}::timestamptz[], ${c.hash}::text[]
      ) as t(event_id, product_id, competitor_name, competitor_price, our_price,
             price_difference, price_difference_pct, ts, hash)
    ), ins as (
      insert into competitor_price_history (event_id, product_id, competitor_name, competitor_price, our_price,
                                            price_difference, price_difference_pct, "timestamp", content_hash)
      select event_id, product_id, competitor_name, competitor_price, our_price,
             price_difference, price_difference_pct, ts, decode(hash, 'hex') from input
      on conflict (event_id) do nothing
      returning *
    ), latest as (
      select distinct on (product_id, competitor_name) * from ins
      order by product_id, competitor_name, "timestamp" desc, event_id desc
    ), up as (
      insert into competitor_prices (product_id, competitor_name, competitor_price, our_price,
                                     price_difference, price_difference_pct, event_id, "timestamp")
      select product_id, competitor_name, competitor_price, our_price, price_difference,
             price_difference_pct, event_id, "timestamp" from latest
      on conflict (product_id, competitor_name) do update set
        competitor_price = excluded.competitor_price, our_price = excluded.our_price,
        price_difference = excluded.price_difference, price_difference_pct = excluded.price_difference_pct,
        event_id = excluded.event_id, "timestamp" = excluded."timestamp", updated_at = now()
      where (competitor_prices."timestamp", competitor_prices.event_id)
          < (excluded."timestamp", excluded.event_id)
      returning 1
    )
    select (select count(*)::int from ins) as inserted`;
    return insertResult(tx, "competitor_price_history", row!.inserted, kept);
  };
};
