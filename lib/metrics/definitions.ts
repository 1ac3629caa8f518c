/**
 * Every metric the platform exports, defined in one place so the names, help
 * texts, label sets and buckets can be read (and documented) together.
 * Conventions: prefix `ecommerce_`, base units (`_seconds`, `_bytes`),
 * counters end in `_total`, labels take a small fixed set of values.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Event-to-row latency buckets: fine enough to read p50/p99 between 5 ms and 2 s. */
export const LATENCY_BUCKETS = [
  0.005,
  0.0075,
  0.01,
  0.015,
  0.02,
  0.03,
  0.05,
  0.075,
  0.1,
  0.15,
  0.2,
  0.3,
  0.5,
  0.75,
  1,
  1.5,
  2,
  3,
  5,
  10,
  30,
  60,
];

const BATCH_SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const COMMIT_BUCKETS = [
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const LOOP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** Consumers: what each committed batch did, and the lag behind the log. */
function pipelineMetrics(r: Registry[]) {
  return {
    consumed: new Counter({
      name: "ecommerce_events_consumed_total",
      help:
        "Events read from a raw topic and committed, by outcome (accepted, duplicate, rejected, refused)",
      labelNames: ["topic", "outcome"] as const,
      registers: r,
    }),
    rejected: new Counter({
      name: "ecommerce_events_rejected_total",
      help:
        "Events that did not become rows: invalid (to the DLQ), refused (stock would go below zero) or conflict (an event_id seen before with other content)",
      labelNames: ["topic", "kind"] as const,
      registers: r,
    }),
    deadLetterFailures: new Counter({
      name: "ecommerce_dead_letter_failures_total",
      help:
        "Rejections that could not be produced to their dlq.* topic (they are in rejected_events; alert on any)",
      labelNames: ["topic"] as const,
      registers: r,
    }),
    batchSize: new Histogram({
      name: "ecommerce_batch_size_events",
      help: "Events per committed consumer batch",
      labelNames: ["topic"] as const,
      buckets: BATCH_SIZE_BUCKETS,
      registers: r,
    }),
    batchCommit: new Histogram({
      name: "ecommerce_batch_commit_duration_seconds",
      help: "Time to validate, write and commit one consumer batch",
      labelNames: ["topic"] as const,
      buckets: COMMIT_BUCKETS,
      registers: r,
    }),
    latency: new Histogram({
      name: "ecommerce_event_to_row_latency_seconds",
      help: "Time from an event's timestamp to the commit of its row",
      labelNames: ["topic"] as const,
      buckets: LATENCY_BUCKETS,
      registers: r,
    }),
  };
}

/** Where each partition stands: its log end, the stored offset and the lag between them. */
function offsetMetrics(r: Registry[]) {
  return {
    lag: new Gauge({
      name: "ecommerce_consumer_lag_messages",
      help:
        "Log end offset minus the offset stored with the rows, per partition",
      labelNames: ["topic", "partition"] as const,
      registers: r,
    }),
    endOffset: new Gauge({
      name: "ecommerce_log_end_offset",
      help: "Offset the next message of the partition will get",
      labelNames: ["topic", "partition"] as const,
      registers: r,
    }),
    storedOffset: new Gauge({
      name: "ecommerce_consumer_offset",
      help: "Next offset to consume, as stored in PostgreSQL with the rows",
      labelNames: ["topic", "partition"] as const,
      registers: r,
    }),
  };
}

/** Scheduled jobs: runs and the pricing cycle. */
function jobMetrics(r: Registry[]) {
  return {
    jobDuration: new Histogram({
      name: "ecommerce_job_duration_seconds",
      help: "Duration of scheduled job runs",
      labelNames: ["job", "outcome"] as const,
      buckets: JOB_BUCKETS,
      registers: r,
    }),
    jobRuns: new Counter({
      name: "ecommerce_job_runs_total",
      help: "Scheduled job runs, by outcome (success, failure)",
      labelNames: ["job", "outcome"] as const,
      registers: r,
    }),
    jobLastSuccess: new Gauge({
      name: "ecommerce_job_last_success_timestamp_seconds",
      help: "Unix time the job last finished successfully",
      labelNames: ["job"] as const,
      registers: r,
    }),
    pricingCycle: new Histogram({
      name: "ecommerce_pricing_cycle_duration_seconds",
      help: "Duration of one pricing engine cycle",
      buckets: JOB_BUCKETS,
      registers: r,
    }),
    recommendations: new Counter({
      name: "ecommerce_pricing_recommendations_total",
      help:
        "Recommendations made by pricing cycles, by type (raise, lower, hold)",
      labelNames: ["recommendation"] as const,
      registers: r,
    }),
    lastCycleRecommendations: new Gauge({
      name: "ecommerce_pricing_last_cycle_recommendations",
      help: "Recommendations of the latest pricing cycle, by type",
      labelNames: ["recommendation"] as const,
      registers: r,
    }),
  };
}

/** Data products: the latest quality run and the lake export. */
function dataMetrics(r: Registry[]) {
  return {
    qualityCheck: new Gauge({
      name: "ecommerce_quality_check_passed",
      help:
        "Result of each check in the latest quality run (1 passed; 0 failed, warned or errored)",
      labelNames: ["check"] as const,
      registers: r,
    }),
    qualityLastRun: new Gauge({
      name: "ecommerce_quality_last_run_timestamp_seconds",
      help:
        "Unix time the latest quality run finished (0 before the first run)",
      registers: r,
    }),
    lakeRows: new Counter({
      name: "ecommerce_lake_exported_rows_total",
      help: "Rows exported to the lake, per stream (from lake_export_state)",
      labelNames: ["stream"] as const,
      registers: r,
    }),
    lakeBytes: new Counter({
      name: "ecommerce_lake_exported_bytes_total",
      help: "Parquet bytes exported to the lake, per stream",
      labelNames: ["stream"] as const,
      registers: r,
    }),
    lakeFiles: new Counter({
      name: "ecommerce_lake_exported_files_total",
      help: "Parquet part files exported to the lake, per stream",
      labelNames: ["stream"] as const,
      registers: r,
    }),
    lakeLastSuccess: new Gauge({
      name: "ecommerce_lake_last_success_timestamp_seconds",
      help: "Unix time of the stream's latest successful export window",
      labelNames: ["stream"] as const,
      registers: r,
    }),
    lakeDuration: new Histogram({
      name: "ecommerce_lake_export_duration_seconds",
      help: "Duration of lake export runs made by the jobs role",
      labelNames: ["outcome"] as const,
      buckets: JOB_BUCKETS,
      registers: r,
    }),
  };
}

/** Feeds in and alerts out: the ingest API's events, firing alerts, deliveries. */
function feedMetrics(r: Registry[]) {
  return {
    ingestApiEvents: new Counter({
      name: "ecommerce_ingest_api_events_total",
      help:
        "Events posted to the ingest API by this process, by source, stream and outcome (accepted into the log, rejected)",
      labelNames: ["source", "stream", "outcome"] as const,
      registers: r,
    }),
    alertsFiring: new Gauge({
      name: "ecommerce_alerts_firing",
      help: "Alerts firing now, by rule",
      labelNames: ["rule"] as const,
      registers: r,
    }),
    alertDeliveries: new Gauge({
      name: "ecommerce_alert_deliveries",
      help:
        "Alert deliveries queued in the last 24 hours, by status (pending, sending, sent, failed)",
      labelNames: ["status"] as const,
      registers: r,
    }),
  };
}

/** The database as this process sees it, the event loop, and the collectors themselves. */
function processMetrics(r: Registry[]) {
  return {
    dbConnections: new Gauge({
      name: "ecommerce_db_connections",
      help:
        "Connections of every platform process to this database, by state (pg_stat_activity; not reported on embedded PGlite)",
      labelNames: ["state"] as const,
      registers: r,
    }),
    dbPoolMax: new Gauge({
      name: "ecommerce_db_pool_max_connections",
      help: "Size limit of this process's connection pool",
      registers: r,
    }),
    dbUp: new Gauge({
      name: "ecommerce_db_up",
      help: "1 when the database answered the last scrape, else 0",
      registers: r,
    }),
    loopDelay: new Histogram({
      name: "ecommerce_event_loop_delay_seconds",
      help: "How late a 100 ms timer fired: the event loop's delay",
      buckets: LOOP_BUCKETS,
      registers: r,
    }),
    loopLag: new Gauge({
      name: "ecommerce_event_loop_lag_seconds",
      help: "Largest event loop delay seen in the last 5 seconds",
      registers: r,
    }),
    collectErrors: new Counter({
      name: "ecommerce_metrics_collect_errors_total",
      help:
        "Scrape-time collectors that failed or timed out (their series are left out)",
      labelNames: ["collector"] as const,
      registers: r,
    }),
  };
}

/** Creates every platform metric in `registry` and returns them by role. */
export function defineMetrics(registry: Registry) {
  const r = [registry];
  return {
    ...pipelineMetrics(r),
    ...offsetMetrics(r),
    ...jobMetrics(r),
    ...dataMetrics(r),
    ...feedMetrics(r),
    ...processMetrics(r),
  };
}

/** The platform's metrics, as returned by {@linkcode defineMetrics}. */
export type Metrics = ReturnType<typeof defineMetrics>;
