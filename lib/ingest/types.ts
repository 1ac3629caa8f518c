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

/** Writes one batch of one stream inside the caller's transaction. */
export type Writer<E> = (
  tx: TransactionSql,
  items: readonly Accepted<E>[],
  opts: WriteOptions,
) => Promise<WriteResult>;

/** Strings that PostgreSQL `text` can hold (no NUL). */
export function pgText(s: string): string {
  return s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s;
}
