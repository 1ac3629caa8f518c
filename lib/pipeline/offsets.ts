/**
 * Per raw partition: the offset the consumer group committed (stored with
 * the rows, in consumer_offsets), the log's end (log_end_offsets) and the lag
 * between them; per stream: events per second and what was turned away.
 */
import type { Sql } from "../db/mod.ts";
import { STREAM_NAMES, type StreamName, STREAMS } from "../stream/topics.ts";
import { groupId } from "../ingest/worker.ts";
import type { PartitionOffsets, StreamHealth } from "./types.ts";

interface OffsetRow {
  topic: string;
  partition: number;
  committed: string | null;
  committed_at: Date | null;
  log_end: string | null;
  log_end_at: Date | null;
}

/** Every partition of the raw topics under `prefix`, the partitions a stream declares included. */
export async function partitionOffsets(
  sql: Sql,
  prefix: string,
): Promise<PartitionOffsets[]> {
  const topics = STREAM_NAMES.map((s) => prefix + STREAMS[s].topic);
  const groups = STREAM_NAMES.map((s) => groupId(prefix, s));
  const parts = STREAM_NAMES.map((s) => STREAMS[s].partitions);
  const rows = await sql<OffsetRow[]>`
    with declared as (
      select t.topic, t.grp, p as "partition"
      from unnest(${topics}::text[], ${groups}::text[], ${parts}::int[]) as t(topic, grp, n),
           generate_series(0, t.n - 1) as p
    )
    select d.topic, d."partition", c.next_offset::text as committed, c.updated_at as committed_at,
           e.end_offset::text as log_end, e.observed_at as log_end_at
    from declared d
    left join consumer_offsets c
      on c.consumer_group = d.grp and c.topic = d.topic and c."partition" = d."partition"
    left join log_end_offsets e on e.topic = d.topic and e."partition" = d."partition"
    order by d.topic, d."partition"`;
  return rows.map((r) => {
    const committed = r.committed === null ? null : Number(r.committed);
    // The stored end is up to a few seconds old; a committed offset proves the
    // log reached at least that far, so the end is never shown below it.
    const logEnd = r.log_end === null
      ? null
      : Math.max(Number(r.log_end), committed ?? 0);
    const stream = STREAM_NAMES.find((s) =>
      prefix + STREAMS[s].topic === r.topic
    )!;
    return {
      stream,
      topic: STREAMS[stream].topic,
      partition: r.partition,
      committed,
      committedAt: r.committed_at,
      logEnd,
      logEndAt: r.log_end_at,
      lag: logEnd === null ? null : logEnd - (committed ?? 0),
    };
  });
}

const TABLES: Record<StreamName, string> = {
  clickstream: "clickstream_events",
  inventory: "inventory_events",
  competitor: "competitor_price_history",
};

/** Each stream's events per second (last 60 s), lag, dead-lettered and refused counts. */
export async function streamHealth(
  sql: Sql,
  partitions: readonly PartitionOffsets[],
): Promise<StreamHealth[]> {
  const [recent, rejected] = await Promise.all([
    Promise.all(STREAM_NAMES.map((s) =>
      sql<{ n: number }[]>`
        select count(*)::int as n from ${sql(TABLES[s])}
        where "timestamp" > now() - interval '60 seconds'`.then((r) => r[0]!.n)
    )),
    sql<{ topic: string; kind: string; n: number }[]>`
      select topic, kind, count(*)::int as n from rejected_events group by topic, kind`,
  ]);
  const count = (topic: string, kind: string) =>
    rejected.filter((r) => r.topic === topic && r.kind === kind)
      .reduce((n, r) => n + r.n, 0);
  return STREAM_NAMES.map((s, i) => {
    // Rejections are stored under the logical topic, without the prefix.
    const topic = STREAMS[s].topic;
    const lags = partitions.filter((p) => p.stream === s).map((p) => p.lag);
    return {
      stream: s,
      topic,
      eventsPerSecond: Math.round(recent[i]! / 60 * 100) / 100,
      lag: lags.some((l) => l === null)
        ? null
        : lags.reduce<number>((n, l) => n + l!, 0),
      deadLettered: count(topic, "invalid"),
      refused: count(topic, "refused"),
    };
  });
}
