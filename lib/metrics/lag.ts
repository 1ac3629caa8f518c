/**
 * Consumer lag per topic and partition: the log's end offset minus the offset
 * stored in PostgreSQL with the rows (what the consumers have committed).
 */
import type { Sql } from "../db/mod.ts";
import type { EventLog } from "../stream/log.ts";
import { STREAM_NAMES, STREAMS } from "../stream/topics.ts";
import { groupId } from "../ingest/worker.ts";
import type { Metrics } from "./definitions.ts";
import { readOnly } from "./read.ts";

/** One partition's offsets; `topic` is the logical name (without the prefix). */
export interface PartitionLag {
  topic: string;
  partition: number;
  endOffset: number;
  storedOffset: number;
  lag: number;
}

/** Reads the lag of every raw topic's consumer group. */
export async function readLag(
  sql: Sql,
  log: EventLog,
  topicPrefix: string,
): Promise<PartitionLag[]> {
  const groups = STREAM_NAMES.map((s) => groupId(topicPrefix, s));
  const [ends, rows] = await Promise.all([
    Promise.all(
      STREAM_NAMES.map((s) => log.endOffsets(topicPrefix + STREAMS[s].topic)),
    ),
    readOnly(
      sql,
      (tx) =>
        tx<{ topic: string; partition: number; next_offset: string }[]>`
        select topic, "partition", next_offset from consumer_offsets
        where consumer_group = any(${groups}::text[])`,
    ),
  ]);
  const stored = new Map(
    rows.map((r) => [`${r.topic}#${r.partition}`, Number(r.next_offset)]),
  );
  const out: PartitionLag[] = [];
  STREAM_NAMES.forEach((s, i) => {
    const { topic } = STREAMS[s];
    for (const [partition, endOffset] of ends[i]!) {
      // No stored offset yet means the group starts from the beginning.
      const storedOffset = stored.get(`${topicPrefix}${topic}#${partition}`) ??
        0;
      out.push({
        topic,
        partition,
        endOffset,
        storedOffset,
        lag: Math.max(endOffset - storedOffset, 0),
      });
    }
  });
  return out;
}

/** Replaces the lag gauges with `lags`. */
export function setLag(m: Metrics, lags: readonly PartitionLag[]): void {
  m.lag.reset();
  m.endOffset.reset();
  m.storedOffset.reset();
  for (const l of lags) {
    const labels = { topic: l.topic, partition: String(l.partition) };
    m.lag.set(labels, l.lag);
    m.endOffset.set(labels, l.endOffset);
    m.storedOffset.set(labels, l.storedOffset);
  }
}
