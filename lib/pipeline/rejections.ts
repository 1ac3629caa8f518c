/**
 * What the pipeline turned away, from `rejected_events`: counts grouped by
 * stream, kind and reason, and the newest rows with their payloads made safe
 * to look at. Invalid events were dead-lettered (sent to `dlq.<topic>`);
 * refused ones are valid stock moves that would have taken stock below zero.
 */
import type { Sql } from "../db/mod.ts";
import { STREAM_NAMES, STREAMS } from "../stream/topics.ts";
import { showPayload } from "./payload.ts";
import type { RejectedRow, RejectionGroup } from "./types.ts";

/** Payload characters fetched per row; the page shows fewer. */
const FETCH_CHARS = 1000;

const streamOf = (topic: string) =>
  STREAM_NAMES.find((s) => STREAMS[s].topic === topic) ?? topic;

/**
 * Rejections grouped by what went wrong. The reason's values are blanked
 * (what follows "got", unknown values, numbers), so `field "price" must be
 * positive, got -3` and `…, got -7` are one group.
 */
export async function rejectionGroups(
  sql: Sql,
  limit = 40,
): Promise<RejectionGroup[]> {
  const rows = await sql<
    {
      topic: string;
      kind: "invalid" | "refused";
      field: string | null;
      reason: string;
      example: string;
      count: number;
      last_at: Date;
    }[]
  >`
    with r as (
      select topic, kind, field, reason, rejected_at,
             regexp_replace(
               regexp_replace(reason, '(, got |unknown value |unknown product ).*$', '\\1…'),
               '(^|[\\s(])-?[0-9]+(\\.[0-9]+)?', '\\1N', 'g') as class
      from rejected_events
    )
    select topic, kind, field, class as reason, count(*)::int as count, max(rejected_at) as last_at,
           (array_agg(reason order by rejected_at desc))[1] as example
    from r group by topic, kind, field, class
    order by count desc, last_at desc
    limit ${limit}`;
  return rows.map((r) => ({
    stream: streamOf(r.topic),
    kind: r.kind,
    field: r.field,
    reason: r.reason,
    example: r.example,
    count: r.count,
    lastAt: r.last_at,
  }));
}

/** The newest `limit` rejected events, payloads cut and with hidden characters shown. */
export async function latestRejections(
  sql: Sql,
  limit = 15,
): Promise<RejectedRow[]> {
  const rows = await sql<
    {
      id: string;
      topic: string;
      partition: number;
      offset: string;
      event_id: string | null;
      kind: "invalid" | "refused";
      field: string | null;
      reason: string;
      payload: string;
      payload_length: number;
      rejected_at: Date;
    }[]
  >`
    select id::text, topic, "partition", "offset"::text, event_id, kind, field, reason,
           left(payload, ${FETCH_CHARS}) as payload, char_length(payload) as payload_length, rejected_at
    from rejected_events order by rejected_at desc, id desc limit ${limit}`;
  return rows.map((r) => {
    const shown = showPayload(r.payload);
    return {
      id: Number(r.id),
      stream: streamOf(r.topic),
      partition: r.partition,
      offset: Number(r.offset),
      eventId: r.event_id,
      kind: r.kind,
      field: r.field,
      reason: r.reason,
      payload: shown.text,
      payloadLength: r.payload_length,
      truncated: shown.truncated || r.payload_length > FETCH_CHARS,
      at: r.rejected_at,
    };
  });
}
