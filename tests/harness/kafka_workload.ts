/**
 * Seeded workloads for the Kafka proof tests: events from the shop simulator,
 * produced through the KafkaLog keyed by product_id (as the generators role
 * does), and the table totals they must yield, computed here independently
 * of the sinks.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { ShopSimulator } from "../../lib/generators/mod.ts";
import type { EventOf } from "../../lib/events/schema.ts";
import { applyMoves } from "../../lib/ingest/inventory.ts";
import type { EventLog, Message } from "../../lib/stream/log.ts";
import {
  STREAM_NAMES,
  type StreamName,
  STREAMS,
} from "../../lib/stream/topics.ts";
import type { Sql } from "../../lib/db/mod.ts";

export type Workload = { [S in StreamName]: EventOf[S][] };

/** `counts` events per stream from `seed`, timestamped `now`. */
export function makeWorkload(
  seed: string,
  counts: Record<StreamName, number>,
  now = Date.now(),
): Workload {
  const sim = new ShopSimulator({ seed });
  return {
    clickstream: Array.from(
      { length: counts.clickstream },
      () => sim.make("clickstream", now),
    ),
    inventory: Array.from(
      { length: counts.inventory },
      () => sim.make("inventory", now),
    ),
    competitor: Array.from(
      { length: counts.competitor },
      () => sim.make("competitor", now),
    ),
  };
}

/** The key the generators use: product_id, else user_id. */
export function keyOf(e: Record<string, unknown>): string | null {
  if (typeof e.product_id === "string") return e.product_id;
  return typeof e.user_id === "string" ? e.user_id : null;
}

/**
 * Produces the workload in chunks, streams interleaved. A chunk whose send
 * fails is sent again (at least once: the sinks drop repeats by event_id), so
 * per-key order is kept: the next chunk goes only after this one landed.
 */
export async function produceWorkload(
  log: EventLog,
  prefix: string,
  w: Workload,
  opts: { chunk?: number; onSent?: (n: number) => void } = {},
): Promise<void> {
  const chunk = opts.chunk ?? 2000;
  const longest = Math.max(...STREAM_NAMES.map((s) => w[s].length));
  for (let i = 0; i < longest; i += chunk) {
    for (const s of STREAM_NAMES) {
      const part = (w[s] as unknown as Record<string, unknown>[]).slice(
        i,
        i + chunk,
      );
      if (part.length === 0) continue;
      const messages: Message[] = part.map((e) => ({
        key: keyOf(e),
        value: JSON.stringify(e),
      }));
      await sendUntilDone(log, prefix + STREAMS[s].topic, messages);
      opts.onSent?.(part.length);
    }
  }
}

/** Sends, retrying the same messages until the log takes them. */
export async function sendUntilDone(
  log: EventLog,
  topic: string,
  messages: Message[],
): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      return await log.send(topic, messages);
    } catch (err) {
      if (attempt >= 200) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export interface Totals {
  clickRows: number;
  inventoryRows: number;
  competitorRows: number;
  /** product_id → views/carts/purchases/revenue in cents. */
  metrics: Record<string, [number, number, number, number]>;
  /** "product|warehouse" → stock, where not zero. */
  stock: Record<string, number>;
  appliedMoves: number;
}

/** Stock per "product|warehouse" now (the seed puts some in before any event). */
export async function stockSnapshot(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ k: string; s: number }[]>`
    select product_id || '|' || warehouse_id as k, current_stock as s from inventory_state`;
  return new Map(rows.map((r) => [r.k, r.s]));
}

/** What the tables must hold after `w` is ingested once on top of `initialStock`. */
export function expectedTotals(
  w: Workload,
  initialStock: ReadonlyMap<string, number>,
): Totals {
  const metrics: Totals["metrics"] = {};
  for (const e of w.clickstream) {
    if (!e.product_id) continue;
    const m = metrics[e.product_id] ??= [0, 0, 0, 0];
    if (e.event_type === "product_view") m[0]++;
    if (e.event_type === "add_to_cart") m[1]++;
    if (e.event_type === "purchase") {
      m[2]++;
      m[3] += Math.round((e.product_price ?? 0) * 100);
    }
  }
  const stockMap = new Map(initialStock);
  const applied =
    applyMoves(stockMap, w.inventory).filter((a) => a.applied).length;
  return {
    clickRows: w.clickstream.length,
    inventoryRows: w.inventory.length,
    competitorRows: w.competitor.length,
    metrics,
    stock: Object.fromEntries([...stockMap].filter(([, v]) => v !== 0)),
    appliedMoves: applied,
  };
}

/** Rows ingested so far across the three event tables. */
export async function ingestedRows(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: number }[]>`
    select (select count(*) from clickstream_events)
         + (select count(*) from inventory_events)
         + (select count(*) from competitor_price_history) as n`;
  return Number(r!.n);
}

/** What the tables hold now, in the shape of {@linkcode expectedTotals}. */
export async function actualTotals(sql: Sql): Promise<Totals> {
  const [c] = await sql<
    { click: string; inv: string; comp: string; applied: string }[]
  >`
    select (select count(*) from clickstream_events) as click,
           (select count(*) from inventory_events) as inv,
           (select count(*) from competitor_price_history) as comp,
           (select count(*) from inventory_events where applied) as applied`;
  const metrics: Totals["metrics"] = {};
  for (
    const r of await sql<
      { id: string; v: string; c: string; p: string; r: string }[]
    >`
    select product_id as id, total_views as v, total_cart_adds as c, total_purchases as p,
           (revenue * 100)::bigint as r
    from product_metrics
    where total_views + total_cart_adds + total_purchases > 0 or revenue <> 0`
  ) {
    metrics[r.id] = [Number(r.v), Number(r.c), Number(r.p), Number(r.r)];
  }
  const stock: Totals["stock"] = {};
  for (
    const r of await sql<{ k: string; s: number }[]>`
    select product_id || '|' || warehouse_id as k, current_stock as s
    from inventory_state where current_stock <> 0`
  ) {
    stock[r.k] = r.s;
  }
  return {
    clickRows: Number(c!.click),
    inventoryRows: Number(c!.inv),
    competitorRows: Number(c!.comp),
    metrics,
    stock,
    appliedMoves: Number(c!.applied),
  };
}

/** Asserts that the tables equal the totals of one uninterrupted ingest of `w`. */
export async function assertExactTotals(
  sql: Sql,
  w: Workload,
  initialStock: ReadonlyMap<string, number>,
): Promise<void> {
  const expected = expectedTotals(w, initialStock);
  const actual = await actualTotals(sql);
  assertEquals(actual.clickRows, expected.clickRows, "clickstream rows");
  assertEquals(actual.inventoryRows, expected.inventoryRows, "inventory rows");
  assertEquals(
    actual.competitorRows,
    expected.competitorRows,
    "competitor rows",
  );
  assertEquals(
    actual.appliedMoves,
    expected.appliedMoves,
    "applied stock moves",
  );
  assertEquals(actual.metrics, expected.metrics, "product_metrics counters");
  assertEquals(actual.stock, expected.stock, "stock per product and warehouse");
}

/** Total events in `w`. */
export function workloadSize(w: Workload): number {
  return STREAM_NAMES.reduce((n, s) => n + w[s].length, 0);
}
