/**
 * Retention of the embedded log: every LOG_RETENTION_CHECK_MS, the segments
 * of each partition that lie entirely below every consumer group's stored
 * offset, and below what every running consumer has yet to commit, are
 * deleted (lib/stream/file_log.ts keeps the segment being written). Only consumer offsets hold segments back: the lake exports from
 * the PostgreSQL tables (lake_xid windows, lib/lake/), never from the log, so
 * it has no position in the log to protect. The dlq.* topics have no
 * consumer group and are kept whole (rejected_events holds the same).
 * On Kafka the broker's retention.ms applies instead.
 */
import type { Sql } from "../lib/db/mod.ts";
import type { EventLog } from "../lib/stream/log.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { safeOffset } from "../lib/ingest/offsets.ts";

/** Starts retention on `log` when it is the embedded log; returns whether it did. */
export function startLogRetention(
  log: EventLog,
  sql: Sql,
  everyMs?: number,
): boolean {
  if (!(log instanceof FileLog)) return false;
  log.startRetention((topic, p) => safeOffset(sql, topic, p), everyMs);
  return true;
}
