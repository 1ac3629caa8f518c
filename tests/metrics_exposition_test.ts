/**
 * /metrics is valid Prometheus exposition (promtool) and its numbers follow
 * what the pipeline really did: batches committed through the sink and the
 * commit bus, the log's offsets, job runs, and the quality and lake tables.
 */
import {
  deepStrictEqual as assertEquals,
  fail,
  ok as assert,
} from "node:assert/strict";
import { toolDbTest } from "./harness/prometheus.ts";
import { checkMetrics, sampleValue } from "./harness/prometheus.ts";
import { dbTest, type TestDb } from "./harness/db.ts";
import { startMetrics } from "../lib/metrics/mod.ts";
import { metricsRoutes } from "../routes/metrics.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { MemoryLog } from "../lib/stream/memory_log.ts";
import type { LogRecord } from "../lib/stream/log.ts";
import { type StreamName, STREAMS, topicSpecs } from "../lib/stream/topics.ts";
import { ingestBatch } from "../lib/ingest/sink.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { groupId } from "../lib/ingest/worker.ts";
import { storeOffsets } from "../lib/ingest/offsets.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { loadConfig } from "../lib/config.ts";
import { JOBS, startJobs } from "../workers/jobs.ts";

const enc = new TextEncoder();
const prefix = () => `t${crypto.randomUUID().slice(0, 8)}_`;

/** A metrics registry for `db` with a route to scrape it, as the web role mounts it. */
async function setup(db: TestDb, topicPrefix = prefix()) {
  const bus = new CommitBus();
  const log = new MemoryLog();
  await log.ensureTopics(topicSpecs(topicPrefix));
  const metrics = startMetrics({
    sql: db.sql,
    bus,
    log,
    topicPrefix,
    dbPoolMax: 8,
  });
  const app = metricsRoutes({
    config: loadConfig({ TOPIC_PREFIX: topicPrefix }),
    sql: db.sql,
    bus,
    metrics,
  });
  const scrape = async () => {
    const res = await app.request("/metrics");
    assertEquals(res.status, 200);
    assert(res.headers.get("content-type")?.startsWith("text/plain"));
    return await res.text();
  };
  return { bus, log, metrics, scrape, topicPrefix };
}

/** `n` valid events of `stream` (plus `bad` unparsable ones) as log records. */
function records(
  stream: StreamName,
  n: number,
  bad = 0,
  ageMs = 50,
): LogRecord[] {
  const sim = new ShopSimulator({ seed: `metrics-${stream}` });
  const values = Array.from(
    { length: n },
    () => JSON.stringify(sim.make(stream, Date.now() - ageMs)),
  ).concat(Array.from({ length: bad }, (_, i) => `not json ${i}`));
  return values.map((v, i) => ({
    topic: STREAMS[stream].topic,
    partition: 0,
    offset: i,
    key: null,
    value: enc.encode(v),
    timestamp: Date.now(),
  }));
}

async function commit(
  db: TestDb,
  bus: CommitBus,
  stream: StreamName,
  batch: LogRecord[],
) {
  const { topic } = STREAMS[stream];
  const summary = await ingestBatch({
    sql: db.sql,
    stream,
    topic,
    offsetTopic: topic,
    groupId: "metrics-test",
    reference: await loadReference(db.sql),
  }, batch);
  bus.publish(summary);
  return summary;
}

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

      const summary = await commit(
        db,
        bus,
        "clickstream",
        records("clickstream", 20, 3),
      );
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
      await commit(db, bus, "clickstream", records("clickstream", 20));
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
  "metrics - job runs are timed and counted, and pricing cycles count recommendations by type",
  async (db) => {
    const { bus, metrics, scrape, topicPrefix } = await setup(db);
    const config = loadConfig({ TOPIC_PREFIX: topicPrefix });
    const failing = {
      name: "broken",
      schedule: "0 0 1 1 *",
      run: () => Promise.reject(new Error("broken on purpose")),
    };
    const pricing = JOBS.find((j) => j.name === "pricing")!;
    const jobs = startJobs(
      { config, sql: db.sql, onRun: metrics.observeJob },
      [{ ...pricing, startAfterMs: undefined }, failing],
    );
    try {
      await commit(db, bus, "competitor", records("competitor", 40));
      const result = await jobs.runNow("pricing");
      const made = Number(result.raise) + Number(result.lower) +
        Number(result.hold);
      assert(made > 0, "the pricing cycle should have recommended something");
      await jobs.runNow("broken").then(
        () => fail("should fail"),
        () => {},
      );

      const text = await scrape();
      assertEquals(
        sampleValue(text, "ecommerce_pricing_recommendations_total"),
        made,
      );
      for (const rec of ["raise", "lower", "hold"]) {
        assertEquals(
          sampleValue(text, "ecommerce_pricing_last_cycle_recommendations", {
            recommendation: rec,
          }),
          Number(result[rec]),
        );
      }
      assertEquals(
        sampleValue(text, "ecommerce_pricing_cycle_duration_seconds_count"),
        1,
      );
      assertEquals(
        sampleValue(text, "ecommerce_job_runs_total", {
          job: "pricing",
          outcome: "success",
        }),
        1,
      );
      assertEquals(
        sampleValue(text, "ecommerce_job_runs_total", {
          job: "broken",
          outcome: "failure",
        }),
        1,
      );
      const last = sampleValue(
        text,
        "ecommerce_job_last_success_timestamp_seconds",
        {
          job: "pricing",
        },
      )!;
      assert(
        Math.abs(last - Date.now() / 1000) < 600,
        `last success ${last} is not now`,
      );
      assertEquals(
        sampleValue(text, "ecommerce_job_last_success_timestamp_seconds", {
          job: "broken",
        }),
        undefined,
      );
    } finally {
      await jobs.stop();
      metrics.stop();
    }
  },
);

dbTest(
  "metrics - quality checks read 1 when the latest run passed them, 0 otherwise",
  async (db) => {
    const { metrics, scrape } = await setup(db);
    try {
      const none = await scrape();
      assertEquals(
        sampleValue(none, "ecommerce_quality_check_passed"),
        undefined,
      );
      const insertRun = async (
        finished: string,
        statuses: [string, string][],
      ) => {
        const [run] = await db.sql<{ run_id: string }[]>`
          insert into quality_runs (finished_at, source, total) values (${finished}, 'test', ${statuses.length})
          returning run_id`;
        for (const [name, status] of statuses) {
          await db.sql`
            insert into quality_results (run_id, check_name, check_group, severity, status, expectation)
            values (${
            run!.run_id
          }, ${name}, 'test', 'error', ${status}, 'test')`;
        }
      };
      await insertRun("2026-01-01T00:00:00Z", [["old_check", "fail"]]);
      await insertRun("2026-01-02T00:00:00Z", [
        ["stock_never_negative", "pass"],
        ["offsets_forward", "fail"],
        ["freshness", "warn"],
      ]);
      const text = await scrape();
      const check = (c: string) =>
        sampleValue(text, "ecommerce_quality_check_passed", { check: c });
      assertEquals(check("stock_never_negative"), 1);
      assertEquals(check("offsets_forward"), 0);
      assertEquals(check("freshness"), 0);
      assertEquals(check("old_check"), undefined);
      assertEquals(
        sampleValue(text, "ecommerce_quality_last_run_timestamp_seconds"),
        Date.parse("2026-01-02T00:00:00Z") / 1000,
      );
    } finally {
      metrics.stop();
    }
  },
);

dbTest(
  "metrics - lake export totals and last success come from the export state",
  async (db) => {
    const { metrics, scrape } = await setup(db);
    try {
      await db.sql`
        insert into lake_export_state (stream, rows_exported, files_exported, bytes_exported, last_export_at)
        values ('clickstream', 1200, 3, 45678, '2026-03-04T05:06:07Z'), ('inventory', 0, 0, 0, null)`;
      const text = await scrape();
      const v = (name: string, stream: string) =>
        sampleValue(text, name, { stream });
      assertEquals(
        v("ecommerce_lake_exported_rows_total", "clickstream"),
        1200,
      );
      assertEquals(
        v("ecommerce_lake_exported_bytes_total", "clickstream"),
        45678,
      );
      assertEquals(v("ecommerce_lake_exported_files_total", "clickstream"), 3);
      assertEquals(
        v("ecommerce_lake_last_success_timestamp_seconds", "clickstream"),
        Date.parse("2026-03-04T05:06:07Z") / 1000,
      );
      assertEquals(v("ecommerce_lake_exported_rows_total", "inventory"), 0);
      assertEquals(
        v("ecommerce_lake_last_success_timestamp_seconds", "inventory"),
        undefined,
      );

      metrics.observeJob({
        job: "lake",
        ok: true,
        seconds: 1.5,
        finishedAt: Date.now(),
        result: {},
      });
      const later = await scrape();
      assertEquals(
        sampleValue(later, "ecommerce_lake_export_duration_seconds_sum"),
        1.5,
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

dbTest(
  "metrics - the real quality and lake export jobs show in the metrics as they ran",
  async (db) => {
    const { bus, metrics, scrape, topicPrefix } = await setup(db);
    const lakeDir = await Deno.makeTempDir({ prefix: "metrics-lake-" });
    const config = loadConfig({ TOPIC_PREFIX: topicPrefix, LAKE_DIR: lakeDir });
    const rows = JOBS.filter((j) => ["quality", "lake_export"].includes(j.name))
      .map((j) => ({ ...j, startAfterMs: undefined }));
    assertEquals(rows.length, 2, "JOBS has a quality and a lake_export row");
    const jobs = startJobs(
      { config, sql: db.sql, onRun: metrics.observeJob },
      rows,
    );
    try {
      await commit(db, bus, "clickstream", records("clickstream", 25));
      const quality = await jobs.runNow("quality");
      const lake = await jobs.runNow("lake_export");
      assert(Number(lake.rows) >= 25, `the export wrote ${lake.rows} rows`);

      const text = await scrape();
      const checks = parseChecks(text);
      const total = ["passed", "failed", "warned", "errored"]
        .reduce((n, k) => n + Number(quality[k]), 0);
      assertEquals(checks.length, total);
      assertEquals(
        checks.filter((v) => v === 1).length,
        Number(quality.passed),
      );
      assert(
        sampleValue(text, "ecommerce_quality_last_run_timestamp_seconds")! > 0,
      );

      assertEquals(
        sampleValue(text, "ecommerce_lake_exported_rows_total"),
        Number(lake.rows),
      );
      assertEquals(
        sampleValue(text, "ecommerce_lake_exported_bytes_total"),
        Number(lake.bytes),
      );
      assertEquals(
        sampleValue(text, "ecommerce_lake_exported_files_total"),
        Number(lake.files),
      );
      assert(
        sampleValue(text, "ecommerce_lake_last_success_timestamp_seconds", {
          stream: "clickstream_events",
        })! > 0,
      );
      assertEquals(
        sampleValue(text, "ecommerce_lake_export_duration_seconds_count", {
          outcome: "success",
        }),
        1,
      );
    } finally {
      await jobs.stop();
      metrics.stop();
      await Deno.remove(lakeDir, { recursive: true }).catch(() => {});
    }
  },
);

/** Values of every ecommerce_quality_check_passed series. */
function parseChecks(text: string): number[] {
  return [...text.matchAll(/^ecommerce_quality_check_passed\{[^}]*\} (\S+)$/gm)]
    .map((m) => Number(m[1]));
}
