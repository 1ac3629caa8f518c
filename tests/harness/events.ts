/**
 * Seeded events as log records, and the totals they must produce, so tests can
 * compare the database with an answer computed independently of the sinks.
 */
import { ShopSimulator } from "../../lib/generators/mod.ts";
import type { EventOf } from "../../lib/events/schema.ts";
import type { LogRecord } from "../../lib/stream/log.ts";
import { type StreamName, STREAMS } from "../../lib/stream/topics.ts";
import { partitionFor } from "../../lib/stream/partitioner.ts";

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
