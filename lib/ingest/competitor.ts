/**
 * Competitor price writer: every observation goes to the history (once, by
 * event_id); the latest per product × competitor is upserted, never replaced
 * by an older observation that arrives late. "Latest" is one rule everywhere
 * (this sink, the stg_competitor_prices model, the quality check): the
 * greatest ("timestamp", event_id), so two observations with the same
 * timestamp end the same whatever order they are processed in.
 */
import type { CompetitorEvent } from "../events/schema.ts";
import type { Writer } from "./types.ts";
import { storedConflicts } from "./content.ts";

export const writeCompetitor: Writer<CompetitorEvent> = async (tx, items) => {
  if (items.length === 0) {
    return { inserted: 0, duplicates: 0, refused: [], conflicts: [] };
  }
  const e = items.map((i) => i.event);
  const col = <K extends keyof CompetitorEvent>(k: K) =>
    e.map((x) => String(x[k]));
  const [row] = await tx<{ inserted: number }[]>`
    with input as (
      select * from unnest(
        ${col("event_id")}::uuid[], ${col("product_id")}::text[], ${
    col("competitor_name")
  }::text[],
        ${col("competitor_price")}::numeric[], ${col("our_price")}::numeric[],
        ${col("price_difference")}::numeric[], ${
    col("price_difference_pct")
  }::numeric[],
        ${col("timestamp")}::timestamptz[], ${items.map((i) => i.hash)}::text[]
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
  const inserted = row!.inserted;
  const conflicts = inserted < items.length
    ? await storedConflicts(tx, "competitor_price_history", items)
    : [];
  return {
    inserted,
    duplicates: items.length - inserted - conflicts.length,
    refused: [],
    conflicts,
  };
};
