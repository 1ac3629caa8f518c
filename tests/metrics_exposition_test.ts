/**
 * /metrics is valid Prometheus exposition (promtool) and its numbers follow
 * what the pipeline really did: batches committed through the sink and the
 * commit bus, the log's offsets, the database and the event loop.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { checkMetrics } from "../dev/prometheus.ts";
import { sampleValue, toolDbTest } from "./harness/prometheus.ts";
import { commit, records, setup } from "./harness/metrics.ts";
import { STREAMS } from "../lib/stream/topics.ts";
import { groupId } from "../lib/ingest/worker.ts";
import { storeOffsets } from "../lib/ingest/offsets.ts";

toolDbTest(
  "metrics - /metrics passes promtool and its counters move when a batch commits",
  ["promtool"],
  async (db) => {
    const { bus, metrics, scrape } = await setup(db);
    try {
      const before = await scrape();
      const first = await checkMetrics(before);
      assert(first.ok, `promtool rejected the output:\n${first.output}`);
      const topic = "raw.clickstream";
      assertEquals(
        sampleValue(before, "ecommerce_events_consumed_total", { topic }),
        undefined,
      );

      const batch = records("clickstream", 20, 3);
      const summary = await commit(db, bus, "clickstream", batch);
      assertEquals(summary.accepted, 20);
      const after = await scrape();
      const second = await checkMetrics(after);
      assert(second.ok, `promtool rejected the output:\n${second.output}`);
      const v = (name: string, labels: Record<string, string> = {}) =>
        sampleValue(after, name, { topic, ...labels });
      assertEquals(
        v("ecommerce_events_consumed_total", { outcome: "accepted" }),
        20,
      );
      assertEquals(
        v("ecommerce_events_consumed_total", { outcome: "rejected" }),
        3,
      );
      assertEquals(v("ecommerce_events_consumed_total"), 23);
      assertEquals(
        v("ecommerce_events_rejected_total", { kind: "invalid" }),
        3,
      );
      assertEquals(v("ecommerce_batch_size_events_sum"), 23);
      assertEquals(v("ecommerce_batch_size_events_count"), 1);
      assertEquals(v("ecommerce_batch_commit_duration_seconds_count"), 1);
      assertEquals(v("ecommerce_event_to_row_latency_seconds_count"), 20);
      // Events stamped 50 ms before the commit started cannot land below 5 ms.
      assertEquals(
        v("ecommerce_event_to_row_latency_seconds_bucket", { le: "0.005" }),
        0,
      );

      // The same events again are duplicates: counted as consumed, not as rows.
      // (The same bytes: an event_id with another timestamp is a conflict.)
      await commit(db, bus, "clickstream", batch.slice(0, 20));
      const again = await scrape();
      assertEquals(
        sampleValue(again, "ecommerce_events_consumed_total", {
          topic,
          outcome: "duplicate",
        }),
        20,
      );
      assertEquals(
        sampleValue(again, "ecommerce_events_consumed_total", {
          topic,
          outcome: "accepted",
        }),
        20,
      );
    } finally {
      metrics.stop();
    }
  },
);

dbTest(
  "metrics - consumer lag is the log end offset minus the offset stored with the rows",
  async (db) => {
    const { log, metrics, scrape, topicPrefix } = await setup(db);
    try {
      const physical = topicPrefix + STREAMS.inventory.topic;
      // Keys chosen per partition would depend on the partitioner; the lag
      // is checked per partition against the log's own end offsets instead.
      await log.send(
        physical,
        Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: "{}" })),
      );
      const ends = await log.endOffsets(physical);
      assertEquals([...ends.values()].reduce((a, b) => a + b, 0), 30);
      const text = await scrape();
      const topic = STREAMS.inventory.topic;
      for (const [p, end] of ends) {
        const labels = { topic, partition: String(p) };
        assertEquals(
          sampleValue(text, "ecommerce_consumer_lag_messages", labels),
          end,
        );
        assertEquals(
          sampleValue(text, "ecommerce_log_end_offset", labels),
          end,
        );
      }
      assertEquals(
        sampleValue(text, "ecommerce_consumer_lag_messages", {
          topic: STREAMS.clickstream.topic,
        }),
        0,
      );

      const [p0, end0] = [...ends].find(([, e]) => e >= 2)!;
      await db.sql.begin((tx) =>
        storeOffsets(
          tx,
          groupId(topicPrefix, "inventory"),
          physical,
          new Map([[p0, end0 - 1]]),
        )
      );
      const later = await scrape();
      const labels = { topic, partition: String(p0) };
      assertEquals(
        sampleValue(later, "ecommerce_consumer_lag_messages", labels),
        1,
      );
      assertEquals(
        sampleValue(later, "ecommerce_consumer_offset", labels),
        end0 - 1,
      );
    } finally {
      metrics.stop();
    }
  },
);

dbTest(
  "metrics - database gauges: up, pool size and connections by state",
  async (db) => {
    const { metrics, scrape } = await setup(db);
    try {
      const text = await scrape();
      assertEquals(sampleValue(text, "ecommerce_db_up"), 1);
      assertEquals(sampleValue(text, "ecommerce_db_pool_max_connections"), 8);
      if (db.backend === "postgres") {
        // The scrape's own query is an active platform connection.
        const active = sampleValue(text, "ecommerce_db_connections", {
          state: "active",
        })!;
        assert(active >= 1, `expected an active connection, got ${active}`);
      } else {
        assertEquals(sampleValue(text, "ecommerce_db_connections"), undefined);
      }
      assert(sampleValue(text, "process_resident_memory_bytes")! > 0);
      assert(
        sampleValue(text, "ecommerce_event_loop_lag_seconds") !== undefined,
      );
    } finally {
      metrics.stop();
    }
  },
  ["postgres", "pglite"],
);

dbTest(
  "metrics - event loop lag sees a blocked loop",
  async (db) => {
    const { metrics, scrape } = await setup(db);
    try {
      await new Promise((r) => setTimeout(r, 150));
      const t0 = performance.now();
      while (performance.now() - t0 < 400) {
        // Block the loop on purpose.
      }
      await new Promise((r) => setTimeout(r, 50));
      const text = await scrape();
      const lag = sampleValue(text, "ecommerce_event_loop_lag_seconds")!;
      assert(lag >= 0.25, `a 400 ms block should show, got ${lag}`);
      assert(
        sampleValue(text, "ecommerce_event_loop_delay_seconds_count")! >= 1,
      );
    } finally {
      metrics.stop();
    }
  },
);
