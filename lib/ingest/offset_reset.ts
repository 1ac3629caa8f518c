/**
 * `deno task offsets:reset`: moves a consumer group's stored offsets of one
 * topic to the log's start, its end or a given offset. The one writer that
 * may move an offset backwards: after the log was lost or a topic recreated,
 * the stored offsets are past the log end and the consumers refuse those
 * partitions until an operator decides where to start.
 *
 * In the same transaction, rejections recorded at the positions that will be
 * read again are marked superseded (they stay, for the record), so new
 * rejections at those offsets are stored; and the regression the trigger on
 * consumer_offsets records is removed, since this move was asked for.
 */
import type { Sql } from "../db/mod.ts";
import type { EventLog } from "../stream/log.ts";
import { STREAM_NAMES, type StreamName, STREAMS } from "../stream/topics.ts";
import { groupId } from "./worker.ts";

/** Where to put the offsets: the log's first record, its end, or an offset. */
export type ResetTo = "earliest" | "latest" | number;

export interface ResetOptions {
  /** Logical topic, e.g. `raw.clickstream` (TOPIC_PREFIX is added). */
  topic: string;
  prefix: string;
  to: ResetTo;
  /** Consumer group; default the topic's ingest group. */
  group?: string;
}

/** One partition's move. */
export interface PartitionReset {
  partition: number;
  /** The stored offset before (null: none stored). */
  from: number | null;
  to: number;
}

/** Reads `--to`: earliest, latest or a non-negative whole number. */
export function parseResetTo(raw: string | undefined): ResetTo {
  if (raw === undefined || raw === "earliest") return "earliest";
  if (raw === "latest") return "latest";
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(
      `Cannot read option "--to": expected earliest, latest or an offset, got "${raw}"`,
    );
  }
  return n;
}

function streamOf(topic: string): StreamName {
  const s = STREAM_NAMES.find((n) => STREAMS[n].topic === topic);
  if (!s) {
    throw new RangeError(
      `Cannot reset offsets of "${topic}": expected one of ${
        STREAM_NAMES.map((n) => `"${STREAMS[n].topic}"`).join(", ")
      }`,
    );
  }
  return s;
}

/** Where each partition goes, checked against the log. */
async function targets(
  log: EventLog,
  physical: string,
  to: ResetTo,
): Promise<Map<number, number>> {
  const [starts, ends] = await Promise.all([
    log.startOffsets(physical),
    log.endOffsets(physical),
  ]);
  const out = new Map<number, number>();
  for (const [p, end] of ends) {
    const start = starts.get(p) ?? 0;
    const at = to === "earliest" ? start : to === "latest" ? end : to;
    if (at < start || at > end) {
      throw new RangeError(
        `Cannot reset "${physical}" partition ${p} to ${at}: the log holds offsets ${start} to ${end}`,
      );
    }
    out.set(p, at);
  }
  return out;
}

/** Moves the offsets of `o.group` on `o.topic`; returns what moved. */
export async function resetOffsets(
  sql: Sql,
  log: EventLog,
  o: ResetOptions,
): Promise<PartitionReset[]> {
  const stream = streamOf(o.topic);
  const physical = o.prefix + o.topic;
  const group = o.group ?? groupId(o.prefix, stream);
  const to = await targets(log, physical, o.to);
  return await sql.begin(async (tx) => {
    const before = await tx<{ partition: number; next_offset: string }[]>`
      select "partition", next_offset from consumer_offsets
      where consumer_group = ${group} and topic = ${physical}
      for update`;
    const old = new Map(
      before.map((r) => [r.partition, Number(r.next_offset)]),
    );
    const parts = [...to.keys()];
    const next = parts.map((p) => to.get(p)!);
    await tx`
      insert into consumer_offsets (consumer_group, topic, "partition", next_offset)
      select ${group}, ${physical}, p, o from unnest(${parts}::int[], ${next}::bigint[]) as t(p, o)
      on conflict (consumer_group, topic, "partition") do update
        set next_offset = excluded.next_offset, updated_at = now()`;
    await tx`
      update rejected_events r set superseded_at = now()
      from unnest(${parts}::int[], ${next}::bigint[]) as t(p, o)
      where r.topic = ${o.topic} and r."partition" = t.p and r."offset" >= t.o
        and r.superseded_at is null`;
    await tx`
      delete from consumer_offset_regressions
      where consumer_group = ${group} and topic = ${physical} and changed_at = now()`;
    return parts.map((p) => ({
      partition: p,
      from: old.get(p) ?? null,
      to: to.get(p)!,
    }));
  });
}
