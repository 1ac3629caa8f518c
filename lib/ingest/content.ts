/**
 * Content hashes: one event_id must mean one content. An event's hash is the
 * SHA-256 of its validated form as JSON; the validator builds every event
 * with its fields in contract order and normalised values (lower-case ids,
 * UTC timestamps), so a redelivery hashes the same and any other content
 * does not.
 */
import { createHash } from "node:crypto";
import type { TransactionSql } from "../db/mod.ts";
import type { Hashed, Rejection, WriteResult } from "./types.ts";

/** Hex SHA-256 of the event's canonical content. */
export function contentHash(event: object): string {
  return createHash("sha256").update(JSON.stringify(event)).digest("hex");
}

/** The rejection of `item` whose event_id is stored with `storedHash`. */
export function conflictOf(
  item: Hashed,
  storedHash: string,
  where: string,
): Rejection {
  return {
    record: item.record,
    reason:
      `event_id "${item.eventId}" is already ${where} with other content ` +
      `(sha256 ${storedHash}); this payload is sha256 ${item.hash}`,
    field: "event_id",
    eventId: item.eventId,
    kind: "conflict",
    hashes: { payload: item.hash, stored: storedHash },
  };
}

/** Tables whose rows carry a `content_hash`. */
export type HashedTable =
  | "clickstream_events"
  | "inventory_events"
  | "competitor_price_history";

/**
 * The items whose event_id is stored in `table` with another hash (rows
 * without a hash, stored before hashes existed, count as the same).
 */
export async function storedConflicts(
  tx: TransactionSql,
  table: HashedTable,
  items: readonly Hashed[],
): Promise<Rejection[]> {
  if (items.length === 0) return [];
  const rows = await tx<{ id: string; hash: string | null }[]>`
    select event_id::text as id, encode(content_hash, 'hex') as hash
    from ${tx(table)}
    where event_id = any(${items.map((i) => i.eventId)}::uuid[])`;
  const stored = new Map(rows.map((r) => [r.id, r.hash]));
  return items.flatMap((i) => {
    const hash = stored.get(i.eventId);
    return hash && hash !== i.hash ? [conflictOf(i, hash, "stored")] : [];
  });
}

/**
 * What a batch of `kept` did once `inserted` of them became rows in `table`
 * (`on conflict (event_id) do nothing`): the others are conflicts where the
 * stored row has another hash, duplicates where it has the same.
 */
export async function insertResult(
  tx: TransactionSql,
  table: HashedTable,
  inserted: number,
  kept: readonly Hashed[],
): Promise<WriteResult> {
  const conflicts = inserted < kept.length
    ? await storedConflicts(tx, table, kept)
    : [];
  return {
    inserted,
    duplicates: kept.length - inserted - conflicts.length,
    refused: [],
    conflicts,
  };
}
