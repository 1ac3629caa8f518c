/**
 * A metrics registry on a test database, scraped the way the web role serves
 * it, and batches committed through the real sink and commit bus.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import type { TestDb } from "./db.ts";
import { startMetrics } from "../../lib/metrics/mod.ts";
import { metricsRoutes } from "../../routes/metrics.ts";
import { CommitBus } from "../../lib/feed/bus.ts";
import { FileLog } from "../../lib/stream/file_log.ts";
import type { LogRecord } from "../../lib/stream/log.ts";
import {
  type StreamName,
  STREAMS,
  topicSpecs,
} from "../../lib/stream/topics.ts";
import { ingestBatch } from "../../lib/ingest/sink.ts";
import { loadReference } from "../../lib/ingest/reference.ts";
import { ShopSimulator } from "../../lib/generators/mod.ts";
import { loadConfig } from "../../lib/config.ts";

const enc = new TextEncoder();
/** A random topic prefix (also valid in Deno.cron names). */
export const prefix = () => `t${crypto.randomUUID().slice(0, 8)}_`;

/** A metrics registry for `db` with a route to scrape it, as the web role mounts it. */
export async function setup(db: TestDb, topicPrefix = prefix()) {
  const bus = new CommitBus();
  const log = new FileLog();
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
export function records(
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

/** Commits `batch` through the sink and publishes its summary on `bus`. */
export async function commit(
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
