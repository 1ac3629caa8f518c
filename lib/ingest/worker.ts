/**
 * A consumer worker: reads one topic through the log seam and hands each batch
 * to the sink. A batch the database refuses as data (SQL class 22 or 23, a
 * value validation did not foresee) is split until the bad record is alone;
 * that record is rejected with the database's reason and the rest go in, so
 * one poison message never blocks a partition.
 */
import type { Sql } from "../db/mod.ts";
import type { ConsumerHandle, EventLog, LogRecord } from "../stream/log.ts";
import { dlqTopic, type StreamName, STREAMS } from "../stream/topics.ts";
import type { CommitBus, CommitSummary } from "../feed/bus.ts";
import type { Reference, TimeLimits } from "../events/schema.ts";
import { ingestBatch, type SinkOptions } from "./sink.ts";
import { withCatalog } from "./reference.ts";
import { loadOffsets } from "./offsets.ts";
import { pgText } from "./types.ts";
import { deadLetterEnvelope, deadLetterSafely } from "./dead_letter.ts";
import { logger } from "../log.ts";
import { noteQueryError } from "../db/guard.ts";

const log = logger("consumer");

export interface WorkerOptions {
  log: EventLog;
  sql: Sql;
  stream: StreamName;
  /**
   * What ids are checked against. A `LiveReference` (reference.ts) makes the
   * worker reload the catalog when a batch names an id it does not know and
   * the catalog changed since it loaded; with Kafka's per-partition
   * concurrency two batches of one worker share its trust, so a batch may
   * trust a miss on a check its neighbour made a moment before.
   */
  reference: Reference;
  bus: CommitBus;
  topicPrefix: string;
  batchSize: number;
  batchWaitMs: number;
  /** Timestamp limits of validation (default: 5 minutes ahead, not before 2000). */
  timeLimits?: TimeLimits;
  /** Told when a partition is refused (stored offset past the log end), with the sentence. */
  onRefuse?: (partition: number, reason: string) => void;
}

/** Consumer group of a stream's workers. */
export function groupId(prefix: string, stream: StreamName): string {
  return `${prefix}ingest.${stream}`;
}

function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && /^2[23]/.test(code);
}

/** Where a stream's worker reads and stores: logical topic, physical topic and group. */
interface Names {
  topic: string;
  physical: string;
  group: string;
}

/** Starts the worker of `stream`; the handle stops it after the batch in flight. */
export function startWorker(o: WorkerOptions): Promise<ConsumerHandle> {
  const { topic } = STREAMS[o.stream];
  const names: Names = {
    topic,
    physical: o.topicPrefix + topic,
    group: groupId(o.topicPrefix, o.stream),
  };
  const sink: SinkOptions = {
    sql: o.sql,
    stream: o.stream,
    topic,
    offsetTopic: names.physical,
    groupId: names.group,
    reference: o.reference,
    timeLimits: o.timeLimits,
    deadLetter: deadLetterTo(o.log, o.topicPrefix, topic),
  };
  return o.log.consume({
    groupId: names.group,
    topic: names.physical,
    maxBatchSize: o.batchSize,
    maxWaitMs: o.batchWaitMs,
    loadOffsets: (partitions) =>
      loadOffsets(o.sql, names.group, names.physical, partitions),
    handleBatch: batchWriter(o, sink, names),
    onRefuse: o.onRefuse,
    onAssign: (partitions) =>
      log.info("partitions assigned", {
        topic: names.physical,
        partitions: partitions.join(","),
      }),
  });
}

/** Produces rejections to the topic's dead-letter topic, each with its reason. */
function deadLetterTo(
  eventLog: EventLog,
  prefix: string,
  topic: string,
): NonNullable<SinkOptions["deadLetter"]> {
  return (rejections) =>
    eventLog.send(
      prefix + dlqTopic(topic),
      rejections.map((r) => ({
        key: r.record.key,
        value: deadLetterEnvelope(topic, r),
      })),
    );
}

/**
 * The batch handler: the sink, and on a data error from the database, halves
 * until the one bad record is alone and stored as rejected.
 */
function batchWriter(
  o: WorkerOptions,
  sink: SinkOptions,
  names: Names,
): (records: readonly LogRecord[]) => Promise<void> {
  const write = async (records: readonly LogRecord[]): Promise<void> => {
    try {
      o.bus.publish(
        await withCatalog(o.reference, () => ingestBatch(sink, records)),
      );
    } catch (err) {
      if (!isDataError(err)) {
        noteQueryError(err);
        throw err;
      }
      if (records.length > 1) {
        const mid = records.length >> 1;
        await write(records.slice(0, mid));
        await write(records.slice(mid));
        return;
      }
      const r = records[0]!;
      const reason = `database refused the event: ${(err as Error).message}`;
      log.warn("record refused by the database", {
        topic: names.topic,
        partition: r.partition,
        offset: r.offset,
        reason,
      });
      const failed = await deadLetterSafely(sink.deadLetter, names.topic, [
        { record: r, reason, field: null, eventId: null, kind: "invalid" },
      ]);
      await storePoison(o.sql, names, r, reason);
      o.bus.publish(poisonSummary(o.stream, names.topic, failed));
    }
  };
  return write;
}

/** Stores one record the database refused, and moves its partition past it. */
async function storePoison(
  sql: Sql,
  { topic, physical, group }: Names,
  r: LogRecord,
  reason: string,
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      insert into rejected_events (topic, "partition", "offset", payload, reason, kind)
      values (${topic}, ${r.partition}, ${r.offset}, ${
      pgText(new TextDecoder().decode(r.value))
    }, ${reason}, 'invalid')
      on conflict (topic, "partition", "offset") where superseded_at is null do nothing`;
    await tx`
      insert into consumer_offsets (consumer_group, topic, "partition", next_offset)
      values (${group}, ${physical}, ${r.partition}, ${r.offset + 1})
      on conflict (consumer_group, topic, "partition") do update
        set next_offset = greatest(consumer_offsets.next_offset, excluded.next_offset), updated_at = now()`;
  });
}

function poisonSummary(
  stream: StreamName,
  topic: string,
  deadLetterFailed: number,
): CommitSummary {
  return {
    stream,
    topic,
    accepted: 0,
    duplicates: 0,
    rejected: 1,
    refused: 0,
    batchSize: 1,
    commitMs: 0,
    latenciesMs: [],
    committedAt: Date.now(),
    deadLetterFailed,
  };
}
