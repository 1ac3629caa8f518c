/**
 * The batch sink: one log batch becomes ONE transaction holding the rows, the
 * metric updates, the rejections and the consumed offsets. A crash at any
 * point therefore either keeps all of a batch or none of it.
 */
import type { Sql } from "../db/mod.ts";
import type { LogRecord } from "../stream/log.ts";
import type { StreamName } from "../stream/topics.ts";
import {
  DEFAULT_TIME_LIMITS,
  type EventOf,
  parseEvent,
  type Reference,
  type TimeLimits,
} from "../events/schema.ts";
import { COMMIT_CHANNEL, type CommitSummary } from "../feed/bus.ts";
import { nextOffsets, storeOffsets } from "./offsets.ts";
import { type Accepted, pgText, type Rejection, type Writer } from "./types.ts";
import { writeClickstream } from "./clickstream.ts";
import { writeInventory } from "./inventory.ts";
import { writeCompetitor } from "./competitor.ts";

const WRITERS: { [S in StreamName]: Writer<EventOf[S]> } = {
  clickstream: writeClickstream,
  inventory: writeInventory,
  competitor: writeCompetitor,
};

const MAX_STORED_PAYLOAD = 1024 * 1024;
const dec = new TextDecoder();

export interface SinkOptions {
  sql: Sql;
  stream: StreamName;
  /** Logical topic name (stored with rejections). */
  topic: string;
  /** Physical topic and group the offsets belong to. */
  offsetTopic: string;
  groupId: string;
  reference: Reference;
  /** Timestamp limits of validation (default {@linkcode DEFAULT_TIME_LIMITS}). */
  timeLimits?: TimeLimits;
  /** Sends invalid records to the dead-letter topic (before the commit: at least once). */
  deadLetter?: (rejections: readonly Rejection[]) => Promise<void>;
}

/** Splits a batch into valid events (first of each event_id) and rejections. */
export function classify<S extends StreamName>(
  stream: S,
  records: readonly LogRecord[],
  reference: Reference,
  limits: TimeLimits = DEFAULT_TIME_LIMITS,
): { accepted: Accepted<EventOf[S]>[]; invalid: Rejection[]; repeats: number } {
  const accepted: Accepted<EventOf[S]>[] = [];
  const invalid: Rejection[] = [];
  const ids = new Set<string>();
  let repeats = 0;
  for (const record of records) {
    const p = parseEvent(stream, record.value, reference, Date.now(), limits);
    if (!p.ok) {
      invalid.push({
        record,
        reason: p.reason,
        field: p.field,
        eventId: p.eventId,
        kind: "invalid",
      });
    } else if (ids.has(p.event.event_id)) {
      repeats++;
    } else {
      ids.add(p.event.event_id);
      accepted.push({ event: p.event, record });
    }
  }
  return { accepted, invalid, repeats };
}

function payloadText(r: LogRecord): string {
  const bytes = r.value.length > MAX_STORED_PAYLOAD
    ? r.value.subarray(0, MAX_STORED_PAYLOAD)
    : r.value;
  const text = pgText(dec.decode(bytes));
  return r.value.length > MAX_STORED_PAYLOAD
    ? `${text}... [truncated, ${r.value.length} bytes in all]`
    : text;
}

/** Writes one batch of records in one transaction and returns what it did. */
export async function ingestBatch(
  opts: SinkOptions,
  records: readonly LogRecord[],
): Promise<CommitSummary> {
  const t0 = performance.now();
  const { accepted, invalid, repeats } = classify(
    opts.stream,
    records,
    opts.reference,
    opts.timeLimits,
  );
  if (invalid.length > 0 && opts.deadLetter) await opts.deadLetter(invalid);
  const writer = WRITERS[opts.stream] as Writer<EventOf[StreamName]>;
  const offsets = nextOffsets(records);
  const result = await opts.sql.begin(async (tx) => {
    const written = await writer(tx, accepted);
    const rejections = [...invalid, ...written.refused];
    if (rejections.length > 0) {
      const c = <T>(f: (r: Rejection) => T) => rejections.map(f);
      await tx`
        insert into rejected_events (topic, "partition", "offset", event_id, payload, reason, field, kind)
        select * from unnest(${c(() => opts.topic)}::text[], ${
        c((r) => r.record.partition)
      }::int[],
          ${c((r) => r.record.offset)}::bigint[], ${
        c((r) => r.eventId && pgText(r.eventId))
      }::text[],
          ${c((r) => payloadText(r.record))}::text[], ${
        c((r) => pgText(r.reason))
      }::text[], ${c((r) => r.field)}::text[],
          ${c((r) => r.kind)}::text[])
        on conflict (topic, "partition", "offset") do nothing`;
    }
    await storeOffsets(tx, opts.groupId, opts.offsetTopic, offsets);
    const note = JSON.stringify({
      stream: opts.stream,
      accepted: written.inserted,
      rejected: rejections.length,
    });
    await tx`select pg_notify(${COMMIT_CHANNEL}, ${note})`;
    return written;
  });
  const committedAt = Date.now();
  // Redelivered events have no meaningful latency; a batch with any is left out.
  const latenciesMs = result.duplicates === 0
    ? accepted.map((a) => committedAt - Date.parse(a.event.timestamp))
    : [];
  return {
    stream: opts.stream,
    topic: opts.topic,
    accepted: result.inserted - result.refused.length,
    duplicates: result.duplicates + repeats,
    rejected: invalid.length,
    refused: result.refused.length,
    batchSize: records.length,
    commitMs: performance.now() - t0,
    latenciesMs,
    committedAt,
  };
}
