/**
 * The Kafka side of `EventLog.consume`: a kafkajs consumer group whose
 * positions come from PostgreSQL, not from Kafka. kafkajs never commits
 * offsets here; on every (re)assignment the stored offsets are loaded and the
 * consumer seeks to them, and each batch is checked against them again, so a
 * late seek, a rebalance during a batch or a batch for a partition that was
 * just lost can neither skip records nor store them twice.
 */
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from "kafkajs";
import {
  type ConsumerHandle,
  type ConsumerOptions,
  offsetPastEnd,
} from "./log.ts";
import { sleep } from "./sleep.ts";
import { toRecord } from "./kafka_support.ts";
import { WritePipeline } from "./write_pipeline.ts";
import type { KafkaConsumerTuning } from "./kafka_tuning.ts";
import { logger } from "../log.ts";

const log = logger("kafka");
/** A failed batch is retried after 100 ms, doubling to 10 s (as the embedded log does). */
const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 10_000;

/** The log-end offset of each partition of a topic (the broker's high watermark). */
export type LogEnds = (topic: string) => Promise<Map<number, number>>;

/** What one group generation owns and where it stands. */
interface Generation {
  partitions: Set<number>;
  /** Next offset to process per partition, as stored in PostgreSQL. */
  positions: Map<number, number>;
  /** Partitions already sought to their stored offset once. */
  sought: Set<number>;
  /** Partitions whose stored offset is past the log end: paused, never read. */
  refused: Set<number>;
  loading: Promise<void> | null;
}

/** Starts a consumer of `opts.topic` in group `opts.groupId`. */
export async function startKafkaConsumer(
  kafka: Kafka,
  opts: ConsumerOptions,
  tuning: KafkaConsumerTuning,
  logEnds: LogEnds,
): Promise<ConsumerHandle> {
  const heartbeatMs = Math.max(500, tuning.sessionTimeoutMs / 10);
  const consumer = kafka.consumer({
    groupId: opts.groupId,
    sessionTimeout: tuning.sessionTimeoutMs,
    heartbeatInterval: heartbeatMs,
    rebalanceTimeout: 30_000,
    maxWaitTimeInMs: Math.max(10, opts.maxWaitMs),
    minBytes: tuning.minBytes,
    maxBytesPerPartition: tuning.maxBytesPerPartition,
    maxBytes: tuning.maxBytes,
    allowAutoTopicCreation: false,
    retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
  const group = new StoredPositionConsumer(
    consumer,
    opts,
    opts.maxBatchSize * tuning.concurrency,
    heartbeatMs,
    logEnds,
  );
  const done = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) reject(e.payload.error);
    });
    consumer.on(consumer.events.STOP, () => {
      if (group.stopping.signal.aborted) resolve();
    });
  });
  done.catch(() => {});

  await connectAndRun(consumer, opts, (p) => group.eachBatch(p), tuning);
  return {
    done,
    async stop() {
      group.stopping.abort();
      // The transactions in flight end first; what is queued is dropped (its
      // offsets are not stored, so it is read again). disconnect() then waits
      // for the eachBatch call in flight and leaves the group.
      await group.writes.settled();
      await consumer.disconnect();
    },
  };
}

/**
 * One consumer's view of its group: which partitions this generation owns,
 * and where each stands according to PostgreSQL.
 */
class StoredPositionConsumer {
  readonly stopping = new AbortController();
  /** Where fetched records are written, one fetch ahead of the reads. */
  readonly writes: WritePipeline;
  #gen: Generation = newGeneration([]);
  /**
   * Next wait per partition after eachBatch failed before its records were
   * queued (loading the stored offsets; a failed write backs off in the
   * write pipeline). It lives here, not in one eachBatch call: reloading the
   * offsets seeks, which makes kafkajs end the call and fetch again, so a
   * local backoff would restart at 100 ms forever.
   */
  #backoff = new Map<number, number>();

  constructor(
    private readonly consumer: Consumer,
    private readonly opts: ConsumerOptions,
    maxRecordsPerWrite: number,
    private readonly heartbeatMs: number,
    private readonly logEnds: LogEnds,
  ) {
    this.writes = new WritePipeline({
      handle: (records) => opts.handleBatch(records),
      reload: (partitions) => opts.loadOffsets(partitions),
      maxRecords: maxRecordsPerWrite,
      signal: this.stopping.signal,
      onFailure: (error, partitions, backoff) =>
        log.warn(
          "batch failed; backing off, then retrying from the stored offset",
          {
            topic: opts.topic,
            partitions: partitions.join(","),
            error,
            backoff_ms: backoff,
          },
        ),
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const parts = e.payload.memberAssignment[opts.topic] ?? [];
      this.#gen = newGeneration(parts);
      opts.onAssign?.(parts);
      // Seek early so the first fetch already starts at the stored offsets;
      // handleRecords checks again, in case this lands after that fetch.
      void this.#ensurePositions(this.#gen).catch(() => {});
    });
  }

  #seek(partition: number, offset: number): void {
    this.consumer.seek({
      topic: this.opts.topic,
      partition,
      offset: String(offset),
    });
  }

  async #ensurePositions(g: Generation): Promise<void> {
    g.loading ??= (async () => {
      // A write of the last generation that commits after the offsets are
      // read would make this one read those records again.
      await this.writes.settled();
      const [stored, ends] = await Promise.all([
        this.opts.loadOffsets([...g.partitions]),
        this.logEnds(this.opts.topic),
      ]);
      for (const p of g.partitions) {
        const at = stored.get(p);
        if (at === undefined) continue; // never consumed: kafkajs starts at the earliest offset
        const end = ends.get(p) ?? 0;
        if (at > end) {
          this.#refuse(g, p, at, end);
          continue;
        }
        g.positions.set(p, at);
        g.sought.add(p);
        this.#seek(p, at);
      }
    })().catch((err) => {
      g.loading = null;
      throw err;
    });
    await g.loading;
  }

  /**
   * Stops reading partition `p`: seeking past the log end would make kafkajs
   * reset to the earliest offset, and every record below the stored offset
   * would then be skipped as already seen, without a word.
   */
  #refuse(g: Generation, p: number, at: number, end: number): void {
    if (g.refused.has(p)) return;
    g.refused.add(p);
    this.consumer.pause([{ topic: this.opts.topic, partitions: [p] }]);
    const reason = offsetPastEnd(this.opts.topic, p, at, end);
    log.error(reason, {
      topic: this.opts.topic,
      partition: p,
      stored: at,
      end,
    });
    this.opts.onRefuse?.(p, reason);
  }

  /** Handles one fetched batch; returns when it is stored or no longer ours. */
  async eachBatch(payload: EachBatchPayload): Promise<void> {
    const p = payload.batch.partition;
    while (true) {
      const g = this.#gen;
      if (!this.#owns(g, p, payload)) return;
      try {
        await this.#handleRecords(g, payload);
        return;
      } catch (err) {
        if (!this.#owns(this.#gen, p, payload)) return;
        const backoff = this.#backoff.get(p) ?? MIN_BACKOFF_MS;
        this.#backoff.set(p, Math.min(backoff * 2, MAX_BACKOFF_MS));
        log.warn(
          "batch failed; backing off, then retrying from the stored offset",
          {
            topic: this.opts.topic,
            partition: p,
            error: err,
            backoff_ms: backoff,
          },
        );
        // The transaction may have committed before the error reached us:
        // reload the stored offsets rather than trust what we last knew.
        g.loading = null;
        g.positions.clear();
        await this.#withHeartbeats(
          payload,
          () => sleep(backoff, this.stopping.signal),
        );
      }
    }
  }

  /**
   * Runs `fn` while heartbeating, so a long database outage or a long
   * backoff does not make the group think this processor died.
   */
  async #withHeartbeats<T>(
    payload: EachBatchPayload,
    fn: () => Promise<T>,
  ): Promise<T> {
    const timer = setInterval(
      () => void payload.heartbeat().catch(() => {}),
      this.heartbeatMs,
    );
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  #owns(g: Generation, p: number, payload: EachBatchPayload): boolean {
    return !this.stopping.signal.aborted && payload.isRunning() &&
      !payload.isStale() && g === this.#gen && g.partitions.has(p);
  }

  async #handleRecords(
    g: Generation,
    payload: EachBatchPayload,
  ): Promise<void> {
    await this.#ensurePositions(g);
    if (g.refused.has(payload.batch.partition)) return;
    const fresh = this.#freshMessages(g, payload);
    if (fresh === null) return;
    const p = payload.batch.partition;
    const owned = () => this.#owns(g, p, payload);
    // Every chunk is queued at once; this returns once the first is in a
    // transaction, not when it commits, so kafkajs fetches and decodes the
    // next records while the writes run, and at most one fetch waits behind
    // them. A failed write is retried by the pipeline from the stored offset.
    const started: Promise<boolean>[] = [];
    for (let i = 0; i < fresh.length; i += this.opts.maxBatchSize) {
      const chunk = fresh.slice(i, i + this.opts.maxBatchSize);
      const records = chunk.map((m) => toRecord(this.opts.topic, p, m));
      started.push(this.writes.submit({ partition: p, records, owned }));
    }
    const handed = await this.#withHeartbeats(payload, () => started[0]!);
    if (!handed) return;
    this.#backoff.delete(p);
    const last = fresh[fresh.length - 1]!.offset;
    g.positions.set(p, Number(last) + 1);
    g.sought.add(p);
    payload.resolveOffset(last);
    await payload.heartbeat().catch(() => {});
  }

  /**
   * The batch's messages at or after the stored offset; null when there is
   * nothing to handle (all seen before, or kafkajs fetched past the stored
   * offset and was sent back to it).
   */
  #freshMessages(
    g: Generation,
    payload: EachBatchPayload,
  ): KafkaMessage[] | null {
    const { batch } = payload;
    const p = batch.partition;
    const stored = g.positions.get(p);
    const fresh = stored === undefined
      ? batch.messages
      : batch.messages.filter((m) => Number(m.offset) >= stored);
    if (fresh.length === 0) {
      if (batch.messages.length > 0) payload.resolveOffset(batch.lastOffset());
      return null;
    }
    const first = Number(fresh[0]!.offset);
    if (stored !== undefined && first > stored) {
      if (!g.sought.has(p)) {
        // kafkajs fetched past the stored offset: go back instead of skipping.
        g.sought.add(p);
        this.#seek(p, stored);
        return null;
      }
      log.warn("records between the stored offset and the log start are gone", {
        topic: this.opts.topic,
        partition: p,
        stored,
        first,
      });
    }
    return fresh;
  }
}

async function connectAndRun(
  consumer: Consumer,
  opts: ConsumerOptions,
  eachBatch: (p: EachBatchPayload) => Promise<void>,
  tuning: KafkaConsumerTuning,
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic: opts.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: tuning.concurrency,
    eachBatch,
  });
}

function newGeneration(partitions: readonly number[]): Generation {
  return {
    partitions: new Set(partitions),
    positions: new Map(),
    sought: new Set(),
    refused: new Set(),
    loading: null,
  };
}
