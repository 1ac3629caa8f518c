/**
 * The batch sink: one log batch becomes ONE transaction holding the rows, the
 * metric updates, the rejections and the consumed offsets. A crash at any
 * point therefore either keeps all of a batch or none of it.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
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
import {
  type Accepted,
  hashedOf,
  pgText,
  type Rejection,
  type Write,
  type Writer,
} from "./types.ts";
import { writeClickstream } from "./clickstream.ts";
import { writeInventory } from "./inventory.ts";
import { writeCompetitor } from "./competitor.ts";
import { deadLetterSafely } from "./dead_letter.ts";
import { conflictOf, contentHash } from "./content.ts";
import { canCopyIn } from "../db/copy.ts";
import { canonicalTimestamp } from "../events/timestamp.ts";

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
  /** Sends invalid records to the dead-letter topic (before the commit: at least once, never blocking). */
  deadLetter?: (rejections: readonly Rejection[]) => Promise<void>;
}

/** What {@linkcode classify} makes of a batch. */
export interface Classified<E> {
  /** Valid events, the first of each event_id. */
  accepted: Accepted<E>[];
  invalid: Rejection[];
  /** Repeats of an event_id in the batch with other content. */
  conflicts: Rejection[];
  /** Repeats of an event_id in the batch with the same content. */
  repeats: number;
}

/** Splits a batch into valid events (first of each event_id) and rejections. */
export function classify<S extends StreamName>(
  stream: S,
  records: readonly LogRecord[],
  reference: Reference,
  limits: TimeLimits = DEFAULT_TIME_LIMITS,
): Classified<EventOf[S]> {
  const out: Classified<EventOf[S]> = {
    accepted: [],
    invalid: [],
    conflicts: [],
    repeats: 0,
  };
  const first = new Map<string, string>();
  const now = Date.now();
  for (const record of records) {
    const p = parseEvent(stream, record.value, reference, now, limits);
    if (!p.ok) {
      const { reason, field, eventId } = p;
      out.invalid.push({ record, reason, field, eventId, kind: "invalid" });
      continue;
    }
    const item = { event: p.event, record, hash: contentHash(p.event) };
    const seen = first.get(p.event.event_id);
    if (seen === undefined) {
      first.set(p.event.event_id, item.hash);
      out.accepted.push(item);
    } else if (seen === item.hash) {
      out.repeats++;
    } else {
      out.conflicts.push(
        conflictOf(hashedOf(item), seen, "earlier in this batch"),
      );
    }
  }
  return out;
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

/** Inserts `rejections` of `topic` (a position already recorded is left as it is). */
async function storeRejections(
  tx: TransactionSql,
  topic: string,
  rejections: readonly Rejection[],
): Promise<void> {
  if (rejections.length === 0) return;
  const c = <T>(f: (r: Rejection) => T) => rejections.map(f);
  await tx`
    insert into rejected_events (topic, "partition", "offset", event_id, payload, reason, field, kind,
                                 payload_hash, stored_hash)
    select * from unnest(${c(() => topic)}::text[], ${
    c((r) => r.record.partition)
  }::int[],
      ${c((r) => r.record.offset)}::bigint[], ${
    c((r) => r.eventId && pgText(r.eventId))
  }::text[],
      ${c((r) => payloadText(r.record))}::text[], ${
    c((r) => pgText(r.reason))
  }::text[], ${c((r) => r.field)}::text[],
      ${c((r) => r.kind)}::text[], ${
    c((r) => r.hashes?.payload ?? null)
  }::text[],
      ${c((r) => r.hashes?.stored ?? null)}::text[])
    on conflict (topic, "partition", "offset") where superseded_at is null do nothing`;
}

/** A batch ready for its transaction: the write, the rejections, and what latencies need. */
interface Prepared {
  write: Write;
  invalid: Rejection[];
  conflicts: Rejection[];
  repeats: number;
  /** Each accepted event's timestamp, in ms since the epoch. */
  eventMs: Float64Array;
}

/**
 * Classifies `records` and runs the writer's first step. Not async, so the
 * parsed events are collected as soon as the writer has built its rows,
 * rather than held through the transaction by the caller (see Writer).
 */
function prepare(
  opts: SinkOptions,
  records: readonly LogRecord[],
  copy: boolean,
): Prepared {
  const { accepted, invalid, conflicts, repeats } = classify(
    opts.stream,
    records,
    opts.reference,
    opts.timeLimits,
  );
  const eventMs = new Float64Array(accepted.length);
  for (let k = 0; k < accepted.length; k++) {
    // Validated timestamps are canonical; read digit by digit, not parsed.
    const ts = accepted[k]!.event.timestamp;
    eventMs[k] = canonicalTimestamp(ts) ?? Date.parse(ts);
  }
  const writer = WRITERS[opts.stream] as Writer<EventOf[StreamName]>;
  const write = writer(accepted, { copy });
  return {
    write,
    invalid,
    conflicts,
    repeats,
    eventMs,
  };
}

/** Writes one batch of records in one transaction and returns what it did. */
export async function ingestBatch(
  opts: SinkOptions,
  records: readonly LogRecord[],
): Promise<CommitSummary> {
  const t0 = performance.now();
  const copy = await canCopyIn(opts.sql);
  const { write, invalid, conflicts, repeats, eventMs } = prepare(
    opts,
    records,
    copy,
  );
  const deadLetterFailed = await deadLetterSafely(
    opts.deadLetter,
    opts.topic,
    invalid,
  );
  const offsets = nextOffsets(records);
  const result = await opts.sql.begin(async (tx) => {
    const written = await write(tx);
    const rejections = [
      ...invalid,
      ...written.refused,
      ...conflicts,
      ...written.conflicts,
    ];
    await storeRejections(tx, opts.topic, rejections);
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
    ? Array.from(eventMs, (ms) => committedAt - ms)
    : [];
  return {
    stream: opts.stream,
    topic: opts.topic,
    accepted: result.inserted - result.refused.length,
    duplicates: result.duplicates + repeats,
    rejected: invalid.length,
    refused: result.refused.length,
    conflicts: conflicts.length + result.conflicts.length,
    batchSize: records.length,
    commitMs: performance.now() - t0,
    latenciesMs,
    committedAt,
    deadLetterFailed,
  };
}
