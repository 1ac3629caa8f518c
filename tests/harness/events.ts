/**
 * Seeded events as log records, and the totals they must produce, so tests can
 * compare the database with an answer computed independently of the sinks.
 */
import { ShopSimulator } from "../../lib/generators/mod.ts";
import type { EventOf } from "../../lib/events/schema.ts";
import type { LogRecord } from "../../lib/stream/log.ts";
import { type StreamName, STREAMS } from "../../lib/stream/topics.ts";
import { partitionFor } from "../../lib/stream/partitioner.ts";
import type { Sql } from "../../lib/db/mod.ts";
import { deepStrictEqual } from "node:assert/strict";

const enc = new TextEncoder();

/** `n` valid events of `stream` from `seed`, timestamped `now`. */
export function seededEvents<S extends StreamName>(
  stream: S,
  n: number,
  seed: string,
  now = Date.now(),
): EventOf[S][] {
  const sim = new ShopSimulator({ seed });
  return Array.from({ length: n }, () => sim.make(stream, now));
}

/** Log records for `values` as a producer keyed by product_id would place them. */
export function asRecords(
  stream: StreamName,
  values: readonly unknown[],
  firstOffset = 0,
): LogRecord[] {
  const { topic, partitions } = STREAMS[stream];
  const next = new Map<number, number>();
  return values.map((v) => {
    const key = typeof v === "object" && v !== null && "product_id" in v
      ? String(v.product_id)
      : null;
    const partition = partitionFor(key, partitions);
    const offset = next.get(partition) ?? firstOffset;
    next.set(partition, offset + 1);
    const value = v instanceof Uint8Array
      ? v
      : enc.encode(typeof v === "string" ? v : JSON.stringify(v));
    return { topic, partition, offset, key, value, timestamp: Date.now() };
  });
}

export interface Expected {
  clicks: number;
  views: Map<string, number>;
  carts: Map<string, number>;
  purchases: Map<string, number>;
  /** Revenue per product in cents (exact). */
  revenueCents: Map<string, number>;
}

/** What product_metrics must say after `events` (each counted once). */
export function expectedMetrics(
  events: readonly EventOf["clickstream"][],
): Expected {
  const e: Expected = {
    clicks: 0,
    views: new Map(),
    carts: new Map(),
    purchases: new Map(),
    revenueCents: new Map(),
  };
  const add = (m: Map<string, number>, k: string, v = 1) =>
    m.set(k, (m.get(k) ?? 0) + v);
  const seen = new Set<string>();
  for (const ev of events) {
    if (seen.has(ev.event_id)) continue;
    seen.add(ev.event_id);
    e.clicks++;
    if (!ev.product_id) continue;
    if (ev.event_type === "product_view") add(e.views, ev.product_id);
    if (ev.event_type === "add_to_cart") add(e.carts, ev.product_id);
    if (ev.event_type === "purchase") {
      add(e.purchases, ev.product_id);
      add(e.revenueCents, ev.product_id, Math.round(ev.product_price! * 100));
    }
  }
  return e;
}

/**
 * Asserts that product_metrics and the clickstream row count are exactly what
 * `events` (each counted once) must produce.
 */
export async function assertMetricsMatch(
  sql: Sql,
  events: readonly EventOf["clickstream"][],
): Promise<void> {
  const want = expectedMetrics(events);
  const rows = await sql<
    { product_id: string; v: string; c: string; p: string; cents: string }[]
  >`
    select product_id, total_views::text as v, total_cart_adds::text as c, total_purchases::text as p,
           (revenue * 100)::bigint::text as cents
    from product_metrics`;
  const got = (m: Map<string, number>, k: string) => m.get(k) ?? 0;
  for (const r of rows) {
    deepStrictEqual(
      [Number(r.v), Number(r.c), Number(r.p), Number(r.cents)],
      [
        got(want.views, r.product_id),
        got(want.carts, r.product_id),
        got(want.purchases, r.product_id),
        got(want.revenueCents, r.product_id),
      ],
      `${r.product_id}: views, cart adds, purchases, revenue in cents`,
    );
  }
  const [n] = await sql<
    { n: number }[]
  >`select count(*)::int as n from clickstream_events`;
  deepStrictEqual(n!.n, want.clicks, "clickstream rows");
}
