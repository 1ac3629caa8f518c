/**
 * Consumer offsets kept in PostgreSQL, written in the same transaction as the
 * rows they cover. `greatest` keeps a stale writer (a consumer that lost its
 * partition mid-batch) from moving an offset backwards.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { LogRecord } from "../stream/log.ts";

/** Next offset per partition covered by `records`. */
export function nextOffsets(
  records: readonly LogRecord[],
): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of records) {
    out.set(r.partition, Math.max(out.get(r.partition) ?? 0, r.offset + 1));
  }
  return out;
}

/** Stores `offsets` for `group` × `topic` inside transaction `tx`. */
export async function storeOffsets(
  tx: TransactionSql,
  group: string,
  topic: string,
  offsets: ReadonlyMap<number, number>,
): Promise<void> {
  if (offsets.size === 0) return;
  const partitions = [...offsets.keys()];
  const next = partitions.map((p) => offsets.get(p)!);
  await tx`
    insert into consumer_offsets (consumer_group, topic, "partition", next_offset)
    select ${group}, ${topic}, p, o from unnest(${partitions}::int[], ${next}::bigint[]) as t(p, o)
    on conflict (consumer_group, topic, "partition") do update
      set next_offset = greatest(consumer_offsets.next_offset, excluded.next_offset), updated_at = now()`;
}

/** Reads stored offsets of `group` × `topic` for `partitions`. */
export async function loadOffsets(
  sql: Sql,
  group: string,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, number>> {
  const rows = await sql<{ partition: number; next_offset: string }[]>`
    select "partition", next_offset from consumer_offsets
    where consumer_group = ${group} and topic = ${topic} and "partition" = any(${[
    ...partitions,
  ]}::int[])`;
  return new Map(rows.map((r) => [r.partition, Number(r.next_offset)]));
}

/**
 * The lowest offset of `topic`/`partition` some consumer group may still
 * read: the smallest stored offset among the groups that consume the topic,
 * where a group without a row for this partition counts as 0 (it would start
 * from the beginning). A topic no group consumes keeps everything (0).
 */
export async function safeOffset(
  sql: Sql,
  topic: string,
  partition: number,
): Promise<number> {
  const [r] = await sql<{ safe: string | null }[]>`
    with g as (select distinct consumer_group from consumer_offsets where topic = ${topic})
    select min(coalesce(o.next_offset, 0))::text as safe
    from g left join consumer_offsets o
      on o.consumer_group = g.consumer_group and o.topic = ${topic} and o."partition" = ${partition}`;
  return Number(r?.safe ?? 0);
}
