/** Scrape-time reads from the database. */
import type { Sql, TransactionSql } from "../db/mod.ts";

/**
 * Runs `fn` in a read-only transaction. Besides the snapshot, this matters on
 * embedded PGlite: its socket server interleaves the protocol messages of
 * concurrent connections unless one of them is inside a transaction, so a
 * plain query racing the consumers can lose its portal.
 */
export function readOnly<T>(
  sql: Sql,
  fn: (tx: TransactionSql) => Promise<T>,
): Promise<T> {
  return sql.begin("read only", fn) as Promise<T>;
}

/** True for "relation does not exist": the table's migration is not applied. */
export function isMissingTable(err: unknown): boolean {
  return (err as { code?: unknown }).code === "42P01";
}
