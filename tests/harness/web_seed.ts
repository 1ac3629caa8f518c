/**
 * Seeds a test database the way the pipeline would: seeded simulator events
 * through the real batch sink (`ingestBatch`), then one pricing run. Returns
 * the events so tests can compute the expected figures independently.
 */
import type { Sql } from "../../lib/db/mod.ts";
import type { EventOf } from "../../lib/events/schema.ts";
import { ingestBatch } from "../../lib/ingest/sink.ts";
import { loadReference } from "../../lib/ingest/reference.ts";
import type { CommitSummary } from "../../lib/feed/bus.ts";
import { type StreamName, STREAMS } from "../../lib/stream/topics.ts";
import { runPricing } from "../../lib/pricing/engine.ts";
import { pricingOptionsFrom } from "../../lib/pricing/thresholds.ts";
import { loadConfig } from "../../lib/config.ts";
import { asRecords, seededEvents } from "./events.ts";

export interface Seeded {
  clicks: EventOf["clickstream"][];
  moves: EventOf["inventory"][];
  prices: EventOf["competitor"][];
}

let offsets = 0;

/** Writes `events` of `stream` as one batch through the sink; returns its commit summary. */
export async function ingest<S extends StreamName>(
  sql: Sql,
  stream: S,
  events: readonly EventOf[S][],
): Promise<CommitSummary> {
  const records = asRecords(stream, events, offsets += 100_000);
  return await ingestBatch({
    sql,
    stream,
    topic: STREAMS[stream].topic,
    offsetTopic: STREAMS[stream].topic,
    groupId: "web-test",
    reference: await loadReference(sql),
  }, records);
}

/** Seeds every stream and runs the pricing engine once. */
export async function seedShop(
  sql: Sql,
  opts: { seed?: string; clicks?: number; moves?: number; prices?: number } =
    {},
): Promise<Seeded> {
  const seed = opts.seed ?? "web";
  const now = Date.now() - 1000;
  const s: Seeded = {
    clicks: seededEvents("clickstream", opts.clicks ?? 400, seed, now),
    moves: seededEvents("inventory", opts.moves ?? 60, seed, now),
    prices: seededEvents("competitor", opts.prices ?? 90, seed, now),
  };
  await ingest(sql, "clickstream", s.clicks);
  await ingest(sql, "inventory", s.moves);
  await ingest(sql, "competitor", s.prices);
  await runPricing(sql, pricingOptionsFrom(loadConfig({})));
  return s;
}
