/** Shapes shared by the stream writers and the batch sink. */
import type { TransactionSql } from "../db/mod.ts";
import type { LogRecord } from "../stream/log.ts";

/** A valid event and the log record it came from. */
export interface Accepted<E> {
  event: E;
  record: LogRecord;
  /** Hex SHA-256 of the event's canonical content (content.ts). */
  hash: string;
}

/** A record that will not become a row, and why. */
export interface Rejection {
  record: LogRecord;
  reason: string;
  field: string | null;
  eventId: string | null;
  /**
   * `invalid`: failed validation; `refused`: valid but not applicable (stock
   * below zero); `conflict`: its event_id came before with other content.
   */
  kind: "invalid" | "refused" | "conflict";
  /** For a conflict: this payload's hash and the one stored first. */
  hashes?: { payload: string; stored: string };
}

export interface WriteResult {
  /** Events that became rows for the first time. */
  inserted: number;
  /** Events already in the database (redelivered), which changed nothing. */
  duplicates: number;
  refused: Rejection[];
  /** Events whose event_id was already stored with other content. */
  conflicts: Rejection[];
}

/** How a writer may send rows to the server. */
export interface WriteOptions {
  /** The server takes `COPY … FROM STDIN` (PostgreSQL; PGlite's socket does not). */
  copy: boolean;
}

/** What a conflict report needs of an accepted event: writers keep this, not the event. */
export interface Hashed {
  record: LogRecord;
  eventId: string;
  hash: string;
}

/** The part of `item` a conflict report needs. */
export function hashedOf(item: Accepted<{ event_id: string }>): Hashed {
  return { record: item.record, eventId: item.event.event_id, hash: item.hash };
}

/** One batch's write, run inside the caller's transaction. */
export type Write = (tx: TransactionSql) => Promise<WriteResult>;

/** The write of a batch with nothing to write. */
export const NOTHING: Write = () =>
  Promise.resolve({ inserted: 0, duplicates: 0, refused: [], conflicts: [] });

/**
 * A stream's writer, in two steps: called with the batch before the
 * transaction, it builds the rows it will send and returns the write. What
 * the write keeps is what lives through the transaction, so a writer keeps
 * its rows and what a conflict report needs ({@linkcode Hashed}), not the
 * parsed events where it can. Held through a transaction (~100 ms, while
 * other partitions' batches are parsed), the events outlived V8's 8 MiB
 * young generation and were promoted. Measured in alternation with the
 * build before (400k-event drains, `--trace-gc`), the processor's garbage
 * collection fell from 2.7–2.9 to 2.1–2.5 s and the drain rose by 6–9 % in
 * two pairs of runs; in three pairs without the trace the gain was within
 * the machine's noise (±10 %). Most of what is still promoted is kafkajs's
 * decoded fetch, which lives until its records are written.
 */
export type Writer<E> = (
  items: readonly Accepted<E>[],
  opts: WriteOptions,
) => Write;

/** Strings that PostgreSQL `text` can hold (no NUL). */
export function pgText(s: string): string {
  return s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s;
}
