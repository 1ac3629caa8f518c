/**
 * The write side of a Kafka consumer, decoupled from its fetches. kafkajs
 * fetches again only when every `eachBatch` call of the last fetch has
 * returned; if those calls waited for the database, the fetch, its decoding
 * and the writes took turns and a drain kept about a third of two cores idle.
 * Here `eachBatch` hands its partition's records to this pipeline and returns
 * as soon as they are in a transaction, so the next fetch is read and decoded
 * while that transaction runs (one fetch ahead, no more).
 *
 * Several partitions' chunks share one `handle` call, hence one transaction
 * (six eachBatch calls at once on raw.clickstream, written separately, were six
 * commits waiting on each other's product_metrics row locks). Two calls run at
 * a time, never with a partition in both: a partition's chunks are handled in
 * offset order, and a later chunk never commits before an earlier one. No call
 * waits in JavaScript for another one while it holds row locks, so PostgreSQL
 * still sees (and breaks) every deadlock.
 *
 * Offsets stay exact: `handle` stores, in the same transaction, the next
 * offset of every partition in the call. A call that fails puts its chunks
 * back at the head of the queue; after a backoff the pipeline reloads the
 * stored offsets of those partitions (the commit may have landed before the
 * error reached us), drops what was stored, and writes the rest.
 */
import type { LogRecord } from "./log.ts";
import { sleep } from "./sleep.ts";

/** The next records of one partition, in offset order. */
export interface Chunk {
  partition: number;
  records: readonly LogRecord[];
  /** False once the chunk is no longer this consumer's to write (a new generation, stopping). */
  owned(): boolean;
}

export interface WritePipelineOptions {
  /** Writes the records and stores their partitions' next offsets, in one transaction. */
  handle(records: readonly LogRecord[]): Promise<void>;
  /** The next offset stored per partition (absent: none stored). */
  reload(partitions: readonly number[]): Promise<Map<number, number>>;
  /** Told of a failed call before the backoff. */
  onFailure?(
    err: unknown,
    partitions: readonly number[],
    backoffMs: number,
  ): void;
  /** Records per call at most (one larger chunk goes alone). */
  maxRecords: number;
  /** Calls running at once. */
  inFlight?: number;
  /** Ends backoffs at once (the consumer is stopping). */
  signal?: AbortSignal;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

interface Queued extends Chunk {
  /** Settles with true when handed to a call, false when dropped. */
  started(handed: boolean): void;
  /** Set once `started` has been called. */
  told: boolean;
}

/** See the module comment. */
export class WritePipeline {
  readonly #o:
    & Required<Omit<WritePipelineOptions, "onFailure" | "signal">>
    & WritePipelineOptions;
  #queue: Queued[] = [];
  /** Partitions in a running call or waiting out a failed one's backoff. */
  #busy = new Set<number>();
  #running = 0;
  #retrying = 0;
  #backoff: number;
  #scheduled = false;
  #settled: (() => void)[] = [];

  constructor(opts: WritePipelineOptions) {
    this.#o = {
      inFlight: 2,
      minBackoffMs: 100,
      maxBackoffMs: 10_000,
      ...opts,
    };
    this.#backoff = this.#o.minBackoffMs;
  }

  /**
   * Queues `chunk`. Resolves true once its records are in a running call,
   * false if it was dropped unwritten (no longer owned).
   */
  submit(chunk: Chunk): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const q: Queued = {
        ...chunk,
        told: false,
        started(handed) {
          if (q.told) return;
          q.told = true;
          resolve(handed);
        },
      };
      this.#queue.push(q);
      this.#schedule();
    });
  }

  /**
   * Resolves when nothing is queued, running or backing off: chunks no longer
   * owned are dropped, the rest written. A new generation waits for this
   * before it loads the stored offsets, so no earlier call commits after.
   */
  settled(): Promise<void> {
    this.#schedule();
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#settled.push(resolve));
  }

  #idle(): boolean {
    return this.#queue.length === 0 && this.#running === 0 &&
      this.#retrying === 0;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // kafkajs starts a fetch's eachBatch calls one after another in the same
    // turn: waiting one macrotask lets them all join one call.
    setTimeout(() => {
      this.#scheduled = false;
      this.#pump();
    }, 0);
  }

  #pump(): void {
    while (this.#running < this.#o.inFlight) {
      const group = this.#take();
      if (group.length === 0) break;
      void this.#run(group);
    }
    if (this.#idle()) {
      for (const resolve of this.#settled.splice(0)) resolve();
    }
  }

  /**
   * The next call's chunks: from the head of the queue, skipping partitions
   * that are busy (and, to keep each partition in order, every later chunk
   * of a partition skipped once), up to maxRecords. Chunks no longer owned
   * are dropped on the way.
   */
  #take(): Queued[] {
    const out: Queued[] = [];
    const skipped = new Set<number>();
    let n = 0;
    for (let i = 0; i < this.#queue.length;) {
      const q = this.#queue[i]!;
      if (!q.owned()) {
        this.#queue.splice(i, 1);
        q.started(false);
        continue;
      }
      const p = q.partition;
      const fits = out.length === 0 ||
        n + q.records.length <= this.#o.maxRecords;
      if (this.#busy.has(p) || skipped.has(p) || !fits) {
        skipped.add(p);
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      out.push(q);
      n += q.records.length;
    }
    for (const q of out) this.#busy.add(q.partition);
    return out;
  }

  async #run(group: Queued[]): Promise<void> {
    this.#running++;
    for (const q of group) q.started(true);
    const records = group.length === 1
      ? group[0]!.records
      : group.flatMap((q) => q.records);
    try {
      await this.#o.handle(records);
      this.#backoff = this.#o.minBackoffMs;
      this.#running--;
      for (const q of group) this.#busy.delete(q.partition);
    } catch (err) {
      this.#running--;
      this.#retrying++;
      try {
        await this.#retry(group, err);
      } finally {
        this.#retrying--;
        for (const q of group) this.#busy.delete(q.partition);
      }
    }
    this.#pump();
  }

  /**
   * Backs off, then puts what the failed call did not store back at the head
   * of the queue. Its partitions stay busy meanwhile, so nothing later of
   * theirs is written first.
   */
  async #retry(group: Queued[], err: unknown): Promise<void> {
    let chunks: Queued[] = group;
    while (true) {
      chunks = chunks.filter((q) => q.owned());
      if (chunks.length === 0 || this.#o.signal?.aborted) return;
      const partitions = [...new Set(chunks.map((q) => q.partition))];
      const wait = this.#backoff;
      this.#backoff = Math.min(wait * 2, this.#o.maxBackoffMs);
      this.#o.onFailure?.(err, partitions, wait);
      await sleep(wait, this.#o.signal);
      try {
        const stored = await this.#o.reload(partitions);
        const rest = chunks.map((q) => {
          const at = stored.get(q.partition);
          return at === undefined ? q : {
            ...q,
            records: q.records.filter((r) => r.offset >= at),
          };
        }).filter((q) => q.records.length > 0);
        this.#queue.unshift(...rest);
        return;
      } catch (e) {
        err = e;
      }
    }
  }
}
