/**
 * Clickstream writer: the batch is COPYed into a temporary staging table
 * (text format, no WAL, no index), then ONE statement inserts it into
 * clickstream_events and folds the rows that were new (not redelivered) into
 * product_metrics, so a duplicate changes no counter and no revenue. COPY
 * replaces eleven `unnest` arrays: postgres.js escaped every element of every
 * array in JavaScript, and the server parsed each array before unnesting it.
 */
import type { ClickEvent } from "../events/schema.ts";
import type { TransactionSql } from "../db/mod.ts";
import { CopyLines, copyText, stageRows } from "../db/copy.ts";
import { type Accepted, hashedOf, NOTHING, type Writer } from "./types.ts";
import { insertResult } from "./content.ts";

/**
 * Created once per session; `on commit delete rows` empties it at every
 * commit and a rollback takes its rows away, so it never holds another
 * batch's rows.
 */
const STAGE = `create temp table if not exists stage_clickstream (
  event_id uuid, user_id text, session_id uuid, event_type text, product_id text,
  product_name text, product_category text, product_price numeric(12, 2),
  ts timestamptz, device_type text, hash text) on commit delete rows`;

/** One event as a line of text COPY. */
function line(i: Accepted<ClickEvent>): string {
  const e = i.event;
  return `${e.event_id}\t${
    copyText(e.user_id)
  }\t${e.session_id}\t${e.event_type}\t${copyText(e.product_id)}\t${
    copyText(e.product_name)
  }\t${copyText(e.product_category)}\t${
    copyText(e.product_price)
  }\t${e.timestamp}\t${e.device_type}\t${i.hash}\n`;
}

/** The batch in text COPY format, one line per event, as bytes. */
function copyData(items: readonly Accepted<ClickEvent>[]): Uint8Array {
  const text = new CopyLines(items.length * 320);
  for (const i of items) text.add(line(i));
  return text.bytes();
}

/** The batch as one array per column, for the `unnest` where the server cannot COPY. */
function columns(items: readonly Accepted<ClickEvent>[]) {
  const col = <K extends keyof ClickEvent>(k: K) =>
    items.map((i) => i.event[k] === null ? null : String(i.event[k]));
  return {
    id: col("event_id"),
    user: col("user_id"),
    session: col("session_id"),
    type: col("event_type"),
    product: col("product_id"),
    name: col("product_name"),
    category: col("product_category"),
    price: col("product_price"),
    ts: col("timestamp"),
    device: col("device_type"),
    hash: items.map((i) => i.hash),
  };
}

/**
 * The batch as rows to insert: the COPY text staged in stage_clickstream,
 * or, where the server cannot COPY (PGlite's socket), the `unnest` of one
 * array per column.
 */
function input(
  tx: TransactionSql,
  rows: Uint8Array | ReturnType<typeof columns>,
) {
  if (rows instanceof Uint8Array) return tx`select * from stage_clickstream`;
  const c = rows;
  return tx`select * from unnest(
    ${c.id}::uuid[], ${c.user}::text[], ${c.session}::uuid[], ${c.type}::text[],
    ${c.product}::text[], ${c.name}::text[], ${c.category}::text[],
    ${c.price}::numeric[], ${c.ts}::timestamptz[], ${c.device}::text[],
    ${c.hash}::text[]
  ) as t(event_id, user_id, session_id, event_type, product_id, product_name,
         product_category, product_price, ts, device_type, hash)`;
}

export const writeClickstream: Writer<ClickEvent> = (items, { copy }) => {
  if (items.length === 0) return NOTHING;
  // Only the rows and what a conflict report needs live through the
  // transaction, not the parsed events (see Writer).
  const rows = copy ? copyData(items) : columns(items);
  const kept = items.map(hashedOf);
  return async (tx) => {
    if (rows instanceof Uint8Array) {
      await stageRows(tx, STAGE, "stage_clickstream", rows);
    }
    const [row] = await tx<{ inserted: number }[]>`
    with input as (${input(tx, rows)}), ins as (
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
    return insertResult(tx, "clickstream_events", row!.inserted, kept);
  };
};
