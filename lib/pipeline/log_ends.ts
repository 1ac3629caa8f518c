/**
 * The log's end offsets in the database (`log_end_offsets`, sql/009). Only a
 * process that holds the log can read its ends (the embedded log is locked
 * to one process; Kafka needs a client), so those processes write them every
 * few seconds and the pipeline page of any web role reads them back.
 */
import type { Sql } from "../db/mod.ts";
import type { EventLog } from "../stream/log.ts";
import { STREAM_NAMES, STREAMS } from "../stream/topics.ts";
import { logger } from "../log.ts";

const log = logger("pipeline");

/** How often a process with the log writes its ends. */
export const LOG_ENDS_EVERY_MS = 5000;

/** Reads every raw topic's end offsets from `eventLog` and stores them. */
export async function storeLogEnds(
  sql: Sql,
  eventLog: EventLog,
  topicPrefix: string,
): Promise<void> {
  const topics: string[] = [], partitions: number[] = [], ends: string[] = [];
  for (const s of STREAM_NAMES) {
    const topic = topicPrefix + STREAMS[s].topic;
    for (const [p, end] of await eventLog.endOffsets(topic)) {
      topics.push(topic);
      partitions.push(p);
      ends.push(String(end));
    }
  }
  if (topics.length === 0) return;
  await sql`
    insert into log_end_offsets (topic, "partition", end_offset, observed_at)
    select t, p, e, now() from unnest(${topics}::text[], ${partitions}::int[], ${ends}::bigint[]) as x(t, p, e)
    on conflict (topic, "partition")
      do update set end_offset = excluded.end_offset, observed_at = excluded.observed_at`;
}

/**
 * Stores the ends now and every `everyMs`; returns the function that stops.
 * A failure is logged once until a store succeeds again (the database may be
 * down, and the consumers report that already).
 */
export function followLogEnds(
  sql: Sql,
  eventLog: EventLog,
  topicPrefix: string,
  everyMs = LOG_ENDS_EVERY_MS,
): () => Promise<void> {
  let failing = false;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = storeLogEnds(sql, eventLog, topicPrefix).then(() => {
      failing = false;
    }, (err) => {
      if (!failing) {
        log.warn("cannot store the log's end offsets", { error: err });
      }
      failing = true;
    });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
