/**
 * The embedded log: Kafka's model (topics, partitions, offsets, keyed
 * partitioning) in one process, persisted to `dir` so a restart, or a crash,
 * loses nothing that `send` acknowledged. One consumer per group owns every
 * partition of its topic, since everything runs in one process.
 */
import type {
  ConsumerHandle,
  ConsumerOptions,
  EventLog,
  LogRecord,
  Message,
  TopicSpec,
} from "./log.ts";
import { PartitionStore } from "./partition_store.ts";
import { partitionFor } from "./partitioner.ts";
import { logger } from "../log.ts";

const log = logger("log");
const enc = new TextEncoder();

interface Topic {
  stores: PartitionStore[];
  waiters: Set<() => void>;
}

export class FileLog implements EventLog {
  readonly kind = "embedded" as const;
  #topics = new Map<string, Topic>();
  #groups = new Set<string>();
  #consumers = new Set<ConsumerHandle>();

  /** `dir` undefined keeps the log in memory only. */
  constructor(private readonly dir?: string) {}

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      const existing = this.#topics.get(spec.name);
      if (existing) {
        if (existing.stores.length !== spec.partitions) {
          throw new Error(
            `Topic "${spec.name}" has ${existing.stores.length} partitions, expected ${spec.partitions}`,
          );
        }
        continue;
      }
      let folder: string | undefined;
      if (this.dir) {
        folder = `${this.dir}/${spec.name}`;
        await Deno.mkdir(folder, { recursive: true });
      }
      const stores = await Promise.all(
        Array.from(
          { length: spec.partitions },
          (_, p) =>
            PartitionStore.open(
              spec.name,
              p,
              folder ? `${folder}/${p}.log` : undefined,
            ),
        ),
      );
      this.#topics.set(spec.name, { stores, waiters: new Set() });
    }
  }

  #topic(name: string): Topic {
    const t = this.#topics.get(name);
    if (!t) {
      throw new Error(`Topic "${name}" does not exist in the embedded log`);
    }
    return t;
  }

  send(topic: string, messages: readonly Message[]): Promise<void> {
    const t = this.#topic(topic);
    const byPartition = new Map<
      number,
      { key: string | null; value: Uint8Array; timestamp: number }[]
    >();
    const now = Date.now();
    for (const m of messages) {
      const p = partitionFor(m.key, t.stores.length);
      const value = typeof m.value === "string" ? enc.encode(m.value) : m.value;
      let list = byPartition.get(p);
      if (!list) byPartition.set(p, list = []);
      list.push({ key: m.key, value, timestamp: m.timestamp ?? now });
    }
    for (const [p, entries] of byPartition) t.stores[p]!.append(entries);
    for (const wake of t.waiters) wake();
    t.waiters.clear();
    return Promise.resolve();
  }

  endOffsets(topic: string): Promise<Map<number, number>> {
    const t = this.#topic(topic);
    return Promise.resolve(new Map(t.stores.map((s, p) => [p, s.end])));
  }

  async consume(opts: ConsumerOptions): Promise<ConsumerHandle> {
    const t = this.#topic(opts.topic);
    const groupKey = `${opts.groupId}\u0000${opts.topic}`;
    if (this.#groups.has(groupKey)) {
      throw new Error(
        `Group "${opts.groupId}" already consumes "${opts.topic}" in this process`,
      );
    }
    this.#groups.add(groupKey);
    const partitions = t.stores.map((_, p) => p);
    const positions = await this.#loadPositions(t, partitions, opts);
    opts.onAssign?.(partitions);
    const stop = new AbortController();
    const done = this.#loop(t, opts, positions, stop.signal).finally(() =>
      this.#groups.delete(groupKey)
    );
    const handle: ConsumerHandle = {
      done,
      stop: async () => {
        stop.abort();
        for (const wake of t.waiters) wake();
        await done.catch(() => {});
        this.#consumers.delete(handle);
      },
    };
    this.#consumers.add(handle);
    return handle;
  }

  async #loadPositions(
    t: Topic,
    partitions: number[],
    opts: ConsumerOptions,
  ): Promise<number[]> {
    const stored = await opts.loadOffsets(partitions);
    return partitions.map((p) => {
      const end = t.stores[p]!.end;
      const at = stored.get(p) ?? 0;
      if (at > end) {
        // The database is ahead of the log: the log folder was removed. Start
        // from its end rather than skip what comes next.
        log.warn("stored offset is past the log end; the log was reset", {
          topic: opts.topic,
          partition: p,
          at,
          end,
        });
        return end;
      }
      return at;
    });
  }

  #available(t: Topic, positions: number[]): number {
    return t.stores.reduce((n, s, p) => n + s.end - positions[p]!, 0);
  }

  #wait(t: Topic, ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        t.waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      }
      t.waiters.add(done);
      signal.addEventListener("abort", done);
    });
  }

  async #loop(
    t: Topic,
    opts: ConsumerOptions,
    positions: number[],
    signal: AbortSignal,
  ): Promise<void> {
    let backoff = 100;
    while (!signal.aborted) {
      if (this.#available(t, positions) === 0) {
        await this.#wait(t, 1000, signal);
        continue;
      }
      // Give a batch up to maxWaitMs to fill, so commits stay few under load.
      const firstSeen = Date.now();
      while (
        !signal.aborted && this.#available(t, positions) < opts.maxBatchSize
      ) {
        const left = opts.maxWaitMs - (Date.now() - firstSeen);
        if (left <= 0) break;
        await this.#wait(t, left, signal);
      }
      const records = this.#take(t, positions, opts.maxBatchSize);
      try {
        await opts.handleBatch(records);
        for (const r of records) positions[r.partition] = r.offset + 1;
        backoff = 100;
      } catch (err) {
        log.warn("batch failed; reloading offsets and retrying", {
          topic: opts.topic,
          error: err,
          backoff_ms: backoff,
        });
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 10_000);
        const reloaded = await this.#loadPositions(
          t,
          positions.map((_, p) => p),
          opts,
        ).catch(() => null);
        if (reloaded) positions.splice(0, positions.length, ...reloaded);
      }
    }
  }

  /** Takes up to `max` records, round-robin over partitions so none starves. */
  #take(t: Topic, positions: number[], max: number): LogRecord[] {
    const out: LogRecord[] = [];
    const share = Math.max(1, Math.ceil(max / t.stores.length));
    for (let p = 0; p < t.stores.length && out.length < max; p++) {
      out.push(
        ...t.stores[p]!.read(positions[p]!, Math.min(share, max - out.length)),
      );
    }
    if (out.length < max) {
      const seen = new Map<number, number>();
      for (const r of out) seen.set(r.partition, r.offset + 1);
      for (let p = 0; p < t.stores.length && out.length < max; p++) {
        out.push(
          ...t.stores[p]!.read(seen.get(p) ?? positions[p]!, max - out.length),
        );
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((c) => c.stop()));
    for (const t of this.#topics.values()) for (const s of t.stores) s.close();
    this.#topics.clear();
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done);
  });
}
