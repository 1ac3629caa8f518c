/**
 * One event_id, one content (issue 16, item 4): another content under a
 * stored id is a conflict with both hashes, not a silent duplicate, and the
 * inventory sink moves stock once even when the two arrive at once.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
} from "node:assert/strict";
import { dbTest, type TestDb } from "./harness/db.ts";
import { asRecords, seededEvents } from "./harness/events.ts";
import { ingestBatch, type SinkOptions } from "../lib/ingest/sink.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { groupId } from "../lib/ingest/worker.ts";
import { type StreamName, STREAMS } from "../lib/stream/topics.ts";
import type { LogRecord } from "../lib/stream/log.ts";

async function sink(db: TestDb, stream: StreamName): Promise<SinkOptions> {
  const { topic } = STREAMS[stream];
  return {
    sql: db.sql,
    stream,
    topic,
    offsetTopic: topic,
    groupId: groupId("", stream),
    reference: await loadReference(db.sql),
  };
}

/** A record of `value` at `partition`/`offset`. */
function at(
  stream: StreamName,
  value: unknown,
  partition: number,
  offset: number,
): LogRecord {
  const [r] = asRecords(stream, [value]);
  return { ...r!, partition, offset };
}

/** One changed field per stream that keeps the event valid. */
function altered(stream: StreamName, e: Record<string, unknown>) {
  if (stream === "clickstream") {
    return {
      ...e,
      device_type: e.device_type === "mobile" ? "tablet" : "mobile",
    };
  }
  if (stream === "inventory") return { ...e, quantity_change: 1000 };
  return { ...e, competitor_price: Number(e.competitor_price) + 1 };
}

for (const stream of ["clickstream", "inventory", "competitor"] as const) {
  dbTest(
    `conflict - ${stream}: the same event_id with other content is a conflict with both hashes, a redelivery a duplicate`,
    async (db) => {
      const s = await sink(db, stream);
      const [e] = seededEvents(
        stream,
        1,
        `conflict-${stream}`,
      ) as unknown as Record<string, unknown>[];
      const first = await ingestBatch(s, [at(stream, e, 0, 0)]);
      assertEquals(first.accepted + first.refused, 1);
      // Same content again (another batch), then other content, then both in one batch.
      const again = await ingestBatch(s, [at(stream, e, 0, 1)]);
      assertEquals([again.duplicates, again.conflicts], [1, 0]);
      const other = await ingestBatch(s, [
        at(stream, altered(stream, e!), 1, 0),
      ]);
      assertEquals([other.duplicates, other.conflicts], [0, 1]);
      const fresh = { ...e, event_id: crypto.randomUUID() };
      const inBatch = await ingestBatch(s, [
        at(stream, fresh, 2, 0),
        at(stream, altered(stream, fresh), 2, 1),
      ]);
      assertEquals(inBatch.conflicts, 1);
      const rows = await db.sql<
        {
          kind: string;
          reason: string;
          payload_hash: string;
          stored_hash: string;
        }[]
      >`select kind, reason, payload_hash, stored_hash from rejected_events order by "partition"`;
      assertEquals(rows.map((r) => r.kind), ["conflict", "conflict"]);
      for (const r of rows) {
        assertMatch(r.payload_hash, /^[0-9a-f]{64}$/);
        assertMatch(r.stored_hash, /^[0-9a-f]{64}$/);
        assertEquals(r.payload_hash === r.stored_hash, false);
        assertMatch(
          r.reason,
          /^event_id "[0-9a-f-]+" is already (stored|earlier in this batch) with other content \(sha256 [0-9a-f]{64}\); this payload is sha256 [0-9a-f]{64}$/,
        );
      }
    },
  );
}

dbTest(
  "conflict - one inventory event_id on two partitions, committed at the same time, moves stock once",
  async (db) => {
    const s = await sink(db, "inventory");
    const before = await totalStock(db);
    const pairs = 20;
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < pairs; i++) {
      const [a] = seededEvents("inventory", 1, `race-${i}`);
      const one = {
        ...a!,
        event_type: "stock_received",
        quantity_change: 10,
        product_id: "P001",
      };
      // Same id, other product: other stock rows, so neither waits for the other's locks.
      const two = { ...one, product_id: "P002", product_name: "x" };
      writes.push(ingestBatch(s, [at("inventory", one, 0, i)]));
      writes.push(ingestBatch(s, [at("inventory", two, 1, i)]));
    }
    await Promise.all(writes);
    assertEquals(
      await totalStock(db) - before,
      pairs * 10,
      "each id moved stock once",
    );
    const [n] = await db.sql<{ events: number; conflicts: number }[]>`
      select (select count(*)::int from inventory_events) as events,
             (select count(*)::int from rejected_events where kind = 'conflict') as conflicts`;
    assertEquals([n!.events, n!.conflicts], [pairs, pairs]);
  },
);

async function totalStock(db: TestDb): Promise<number> {
  const [r] = await db.sql<{ n: number }[]>`
    select coalesce(sum(current_stock), 0)::int as n from inventory_state`;
  return r!.n;
}
