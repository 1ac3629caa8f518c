/**
 * The embedded log: Kafka's model (topics, partitions, offsets, keyed
 * partitioning) in one process, stored under `dir` as one folder of segments
 * per partition (partition_store.ts). One consumer per group owns every
 * partition of its topic, since everything runs in one process.
 *
 * What `send` resolving means depends on `fsync`:
 * - `always` (default): the records were fdatasync'ed, so they survive an OS
 *   crash or power loss; concurrent sends share one fsync (group_commit.ts);
 * - `never`: they are in the kernel's page cache, so they survive the process
 *   crashing but not the machine.
 * Consumers only see records whose `send` resolved. A second process opening
 * the same folder is refused (dir_lock.ts).
 */
import type {
  ConsumerHandle,
  ConsumerOptions,
  EventLog,
  LogRecord,
  Message,
  TopicSpec,
} from "./log.ts";
import {
  DEFAULT_PARTITION_OPTIONS,
  PartitionStore,
} from "./partition_store.ts";
import type { Entry } from "./record_frame.ts";
import {
  type FileConsumerHandle,
  type FileTopic,
  startFileConsumer,
} from "./file_consumer.ts";
import { GroupCommit } from "./group_commit.ts";
import { lockDir } from "./dir_lock.ts";
import { partitionFor } from "./partitioner.ts";
import { logger } from "../log.ts";

const log = logger("log");
const enc = new TextEncoder();

/** `LOG_FSYNC`: when an acknowledged send is durable, see the module doc. */
export type FsyncMode = "always" | "never";

export interface FileLogOptions {
  fsync: FsyncMode;
  /** A partition starts a new segment file at about this size. */
  segmentBytes: number;
  /** How often {@linkcode FileLog.startRetention} checks for deletable segments. */
  retentionCheckMs: number;
  /** An index entry at least every this many bytes of segment. */
  indexIntervalBytes: number;
  /** Records per partition kept in memory behind the head. */
  tailCapacity: number;
}

export const DEFAULT_FILE_LOG_OPTIONS: FileLogOptions = {
  fsync: "always",
  segmentBytes: DEFAULT_PARTITION_OPTIONS.segmentBytes,
  retentionCheckMs: 5 * 60_000,
  indexIntervalBytes: DEFAULT_PARTITION_OPTIONS.indexIntervalBytes,
  tailCapacity: DEFAULT_PARTITION_OPTIONS.tailCapacity,
};

/**
 * The lowest offset of a partition that something may still read (the
 * runtime will answer min(stored consumer offsets, lake watermark)).
 */
export type SafeOffset = (topic: string, partition: number) => Promise<number>;

export class FileLog implements EventLog {
  readonly kind = "embedded" as const;
  readonly options: Readonly<FileLogOptions>;
  #topics = new Map<string, FileTopic>();
  #groups = new Set<string>();
  #consumers = new Set<ConsumerHandle>();
  /** What each running consumer of a topic still has to read, by topic. */
  #needs = new Map<string, Set<(partition: number) => number>>();
  #commit = new GroupCommit();
  #lock: Deno.FsFile | null = null;
  #retentionTimer: ReturnType<typeof setTimeout> | undefined;

  /** `dir` undefined keeps the log in memory only. */
  constructor(
    private readonly dir?: string,
    options: Partial<FileLogOptions> = {},
  ) {
    this.options = { ...DEFAULT_FILE_LOG_OPTIONS, ...options };
  }

  /** fsync rounds run by sends so far (one per group of concurrent sends). */
  get fsyncRounds(): number {
    return this.#commit.rounds;
  }

  /** Opens or creates the topics; the first call takes the folder's lock. */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    if (this.dir && !this.#lock) this.#lock = await lockDir(this.dir);
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
      const folder = this.dir ? `${this.dir}/${spec.name}` : undefined;
      if (folder) await Deno.mkdir(folder, { recursive: true });
      const opts = { ...this.options, fsync: this.options.fsync === "always" };
      const stores: PartitionStore[] = [];
      for (let p = 0; p < spec.partitions; p++) {
        const path = folder ? `${folder}/${p}` : undefined;
        stores.push(await PartitionStore.open(spec.name, p, path, opts));
      }
      this.#topics.set(spec.name, {
        name: spec.name,
        stores,
        waiters: new Set(),
      });
    }
  }

  #topic(name: string): FileTopic {
    const t = this.#topics.get(name);
    if (!t) {
      throw new Error(`Topic "${name}" does not exist in the embedded log`);
    }
    return t;
  }

  #store(topic: string, partition: number): PartitionStore {
    const store = this.#topic(topic).stores[partition];
    if (!store) {
      throw new Error(`Topic "${topic}" has no partition ${partition}`);
    }
    return store;
  }

  /** Appends; resolves once the records are as durable as `fsync` promises. */
  async send(topic: string, messages: readonly Message[]): Promise<void> {
    const t = this.#topic(topic);
    const byPartition = new Map<number, Entry[]>();
    const now = Date.now();
    for (const m of messages) {
      const p = partitionFor(m.key, t.stores.length);
      const value = typeof m.value === "string" ? enc.encode(m.value) : m.value;
      let list = byPartition.get(p);
      if (!list) byPartition.set(p, list = []);
      list.push({ key: m.key, value, timestamp: m.timestamp ?? now });
    }
    const written = new Map<PartitionStore, number>();
    for (const [p, entries] of byPartition) {
      const store = t.stores[p]!;
      store.append(entries);
      written.set(store, store.end);
    }
    if (this.dir && this.options.fsync === "always") {
      await this.#commit.sync(written.keys());
    }
    for (const [store, end] of written) store.commit(end);
    for (const wake of t.waiters) wake();
    t.waiters.clear();
  }

  /** Acknowledged log end per partition (the offset the next message will get). */
  endOffsets(topic: string): Promise<Map<number, number>> {
    const t = this.#topic(topic);
    return Promise.resolve(
      new Map(t.stores.map((s, p) => [p, s.committedEnd])),
    );
  }

  /** First offset still stored per partition (retention moves it up). */
  startOffsets(topic: string): Promise<Map<number, number>> {
    const t = this.#topic(topic);
    return Promise.resolve(new Map(t.stores.map((s, p) => [p, s.start])));
  }

  /** Reads up to `max` acknowledged records of one partition from `offset`, without a consumer. */
  read(
    topic: string,
    partition: number,
    offset: number,
    max: number,
  ): LogRecord[] {
    return this.#store(topic, partition).read(offset, max);
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
    let inner: FileConsumerHandle;
    try {
      inner = await startFileConsumer(t, opts);
    } catch (err) {
      this.#groups.delete(groupKey);
      throw err;
    }
    const needs = this.#needs.get(opts.topic) ?? new Set();
    this.#needs.set(opts.topic, needs);
    needs.add(inner.needs);
    const done = inner.done.finally(() => {
      this.#groups.delete(groupKey);
      needs.delete(inner.needs);
    });
    const handle: ConsumerHandle = {
      done,
      stop: async () => {
        await inner.stop();
        this.#consumers.delete(handle);
      },
    };
    this.#consumers.add(handle);
    return handle;
  }

  /**
   * Deletes the segments of one partition that lie entirely below `offset`;
   * the segment being written always stays. Returns how many went.
   */
  deleteBelow(topic: string, partition: number, offset: number): number {
    return this.#store(topic, partition).deleteBelow(offset);
  }

  /**
   * One retention pass over every partition; returns the segments deleted.
   * Below `safeOffset`, and below what any running consumer of the topic in
   * this process has yet to commit: a group that has stored no offset for
   * the topic yet is invisible to the stored offsets, and once another
   * group was done with a partition its unread records went (seen in CI: a
   * new group's first commit came after the pass, and 238 records were lost).
   */
  async runRetention(safeOffset: SafeOffset): Promise<number> {
    let deleted = 0;
    for (const [name, t] of this.#topics) {
      for (let p = 0; p < t.stores.length; p++) {
        const stored = await safeOffset(name, p);
        // The log may have been closed while we awaited the answer.
        if (this.#topics.get(name) !== t) return deleted;
        let safe = stored;
        for (const needs of this.#needs.get(name) ?? []) {
          safe = Math.min(safe, needs(p));
        }
        deleted += t.stores[p]!.deleteBelow(safe);
      }
    }
    return deleted;
  }

  /** Runs {@linkcode runRetention} every `everyMs` until {@linkcode close}. */
  startRetention(
    safeOffset: SafeOffset,
    everyMs = this.options.retentionCheckMs,
  ): void {
    clearTimeout(this.#retentionTimer);
    const tick = async () => {
      try {
        await this.runRetention(safeOffset);
      } catch (err) {
        log.warn("retention pass failed; trying again later", { error: err });
      }
      if (this.#retentionTimer !== undefined) {
        this.#retentionTimer = setTimeout(tick, everyMs);
      }
    };
    this.#retentionTimer = setTimeout(tick, everyMs);
  }

  /** Stops consumers, makes everything written durable, releases the folder. */
  async close(): Promise<void> {
    clearTimeout(this.#retentionTimer);
    this.#retentionTimer = undefined;
    await Promise.all([...this.#consumers].map((c) => c.stop()));
    const stores = [...this.#topics.values()].flatMap((t) => t.stores);
    this.#topics.clear();
    try {
      // Even with fsync "never", a clean stop leaves nothing in the page cache only.
      await Promise.all(stores.map((s) => s.flush()));
    } finally {
      for (const s of stores) s.close();
      this.#lock?.close();
      this.#lock = null;
    }
  }
}
