/**
 * A realistic shop history for quality and model tests: simulator events of
 * the last three hours written through the real sinks (so product_metrics,
 * offsets and rejections are what the pipeline makes of them), a few invalid
 * records, and one pricing run.
 */
import type { Sql } from "../lib/db/mod.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { ingestBatch } from "../lib/ingest/sink.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { runPricing } from "../lib/pricing/engine.ts";
import type { LogRecord } from "../lib/stream/log.ts";
import { type StreamName, STREAMS } from "../lib/stream/topics.ts";
import { pricingOptionsFrom } from "../lib/pricing/thresholds.ts";
import { loadConfig } from "../lib/config.ts";

const enc = new TextEncoder();
const SPAN_MS = 3 * 3600 * 1000;

export interface SeedCounts {
  clickstream: number;
  inventory: number;
  competitor: number;
}

/** Writes `counts` events per stream, spread over the last 3 hours and ending now. */
export async function seedShop(
  sql: Sql,
  counts: SeedCounts = { clickstream: 3000, inventory: 400, competitor: 200 },
  seed = "quality-seed",
): Promise<void> {
  const sim = new ShopSimulator({ seed });
  const reference = await loadReference(sql);
  const now = Date.now();
  for (const stream of ["clickstream", "inventory", "competitor"] as const) {
    const n = counts[stream];
    const values: unknown[] = Array.from(
      { length: n },
      (_, i) =>
        sim.make(stream, now - SPAN_MS + Math.round((i + 1) * SPAN_MS / n)),
    );
    // Invalid records, so the rejections table holds what the sink makes of them.
    values.push("not json", { event_id: "nope" });
    const records = asRecords(stream, values);
    for (let i = 0; i < records.length; i += 500) {
      await ingestBatch({
        sql,
        stream,
        topic: STREAMS[stream].topic,
        offsetTopic: STREAMS[stream].topic,
        groupId: `ingest.${stream}`,
        reference,
      }, records.slice(i, i + 500));
    }
  }
  await runPricing(sql, pricingOptionsFrom(loadConfig({})));
}

/** Log records on partitions chosen round-robin, offsets counting up per partition. */
function asRecords(stream: StreamName, values: unknown[]): LogRecord[] {
  const { topic, partitions } = STREAMS[stream];
  const next = new Array<number>(partitions).fill(0);
  return values.map((v, i) => {
    const partition = i % partitions;
    const offset = next[partition]!++;
    const value = enc.encode(typeof v === "string" ? v : JSON.stringify(v));
    return {
      topic,
      partition,
      offset,
      key: null,
      value,
      timestamp: Date.now(),
    };
  });
}
