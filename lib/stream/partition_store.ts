/**
 * Storage of one partition of the embedded log: a folder of segments named by
 * their base offset (segment.ts), the newest records also kept in memory so
 * consumers near the head never touch disk. Opening reads the segment indexes
 * and the tail of the last segment only.
 *
 * Without a folder (`dir` undefined) it is memory only, for tests and benches.
 */
import type { LogRecord } from "./log.ts";
import { encodeFrames, type Entry } from "./record_frame.ts";
import { Segment, type SegmentContext } from "./segment.ts";
import { syncDir } from "./file_io.ts";
import { migrateLegacyPartition } from "./legacy_partition.ts";
import { logger } from "../log.ts";

const log = logger("log");
const SEGMENT_FILE = /^(\d{20})\.(log|index)$/;
/** Sealed segments whose read handle stays open, per partition. */
const OPEN_READERS = 4;

export interface PartitionOptions {
  /** A new segment starts when a batch would take the current one past this. */
  segmentBytes: number;
  indexIntervalBytes: number;
  /** Sync segments when they are sealed (the log's group commit does the rest). */
  fsync: boolean;
  /**
   * Records kept in memory behind the head (up to half as many again before
   * a trim). Consumers within this distance of the head read from memory;
   * further behind, from the segments (the page cache, for a recent write).
   */
  tailCapacity: number;
}

export const DEFAULT_PARTITION_OPTIONS: PartitionOptions = {
  segmentBytes: 64 * 1024 * 1024,
  indexIntervalBytes: 4096,
  fsync: true,
  // 5,000: five consumer batches per partition. 20,000 held ~180 MiB of
  // heap and external memory once every partition's tail was full (after
  // 480k events of the simulated shop; an idle default process fills the
  // clickstream's in about five hours), against ~50 MiB; the embedded bench peaked 50-90 MiB lower at
  // a rate within its noise.
  tailCapacity: 5_000,
};

export class PartitionStore {
  #ctx?: SegmentContext;
  #segments: Segment[] = [];
  #readers: Segment[] = [];
  #start = 0;
  #end = 0;
  #committed = 0;
  #tail: Entry[] = [];
  #tailStart = 0;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly opts: PartitionOptions,
  ) {}

  /**
   * Opens (or creates) the partition folder `dir`, converting a partition of
   * the single-file format found at `<dir>.log`, and cuts a torn tail.
   */
  static async open(
    topic: string,
    partition: number,
    dir?: string,
    options: Partial<PartitionOptions> = {},
  ): Promise<PartitionStore> {
    const opts = { ...DEFAULT_PARTITION_OPTIONS, ...options };
    const s = new PartitionStore(topic, partition, opts);
    if (dir === undefined) return s;
    await migrateLegacyPartition(
      { topic, partition, dir },
      (tmp, batches) => convertInto(topic, partition, tmp, opts, batches),
    );
    await Deno.mkdir(dir, { recursive: true });
    s.#ctx = {
      topic,
      partition,
      dir,
      indexIntervalBytes: opts.indexIntervalBytes,
      stats: { logBytesRead: 0 },
    };
    s.#openSegments(listSegments(dir));
    s.#start = s.#segments[0]!.base;
    s.#committed = s.#tailStart = s.#end;
    return s;
  }

  #openSegments(bases: number[]): void {
    const ctx = this.#ctx!;
    if (bases.length === 0) {
      this.#segments.push(Segment.create(ctx, 0));
      if (this.opts.fsync) syncDir(ctx.dir);
      return;
    }
    for (let i = 0; i + 1 < bases.length; i++) {
      this.#segments.push(Segment.load(ctx, bases[i]!, bases[i + 1]!));
    }
    const last = Segment.recover(ctx, bases.at(-1)!);
    this.#segments.push(last.segment);
    this.#end = last.end;
  }

  /** The first offset still stored (retention deletes below it). */
  get start(): number {
    return this.#start;
  }

  /** The offset the next record will get. */
  get end(): number {
    return this.#end;
  }

  /** The end of what `send` has acknowledged: consumers read up to here. */
  get committedEnd(): number {
    return this.#committed;
  }

  /** Bytes of segment files read since open (indexes not counted). */
  get logBytesRead(): number {
    return this.#ctx?.stats.logBytesRead ?? 0;
  }

  /** Writes records (not yet durable: see {@linkcode flush}); returns the first offset. */
  append(entries: readonly Entry[]): number {
    const first = this.#end;
    if (this.#ctx && entries.length > 0) {
      const { bytes, starts } = encodeFrames(entries, first);
      let active = this.#segments.at(-1)!;
      if (
        active.size > 0 && active.size + bytes.length > this.opts.segmentBytes
      ) {
        active = this.#roll();
      }
      active.append(bytes, starts, first);
    }
    for (const e of entries) this.#tail.push(e);
    this.#end += entries.length;
    this.#trimTail();
    return first;
  }

  /** Makes records below `end` visible to readers: `send` acknowledged them. */
  commit(end: number): void {
    this.#committed = Math.max(this.#committed, Math.min(end, this.#end));
  }

  /** Makes every appended record durable. */
  async flush(): Promise<void> {
    await this.#segments.at(-1)?.flush();
  }

  #roll(): Segment {
    // Create first: if that fails, the active segment is still open and intact.
    const next = Segment.create(this.#ctx!, this.#end);
    try {
      this.#segments.at(-1)!.seal(this.opts.fsync);
      if (this.opts.fsync) syncDir(this.#ctx!.dir);
    } catch (err) {
      next.delete();
      throw err;
    }
    this.#segments.push(next);
    return next;
  }

  #trimTail(): void {
    // Memory-only partitions keep everything: there is nowhere else to read from.
    // Trimming in chunks keeps appends amortised O(1).
    const excess = this.#tail.length - this.opts.tailCapacity;
    if (excess > this.opts.tailCapacity / 2 && this.#ctx) {
      this.#tail.splice(0, excess);
      this.#tailStart += excess;
    }
  }

  /** Reads up to `max` acknowledged records from `offset`, from memory or the segments. */
  read(offset: number, max: number): LogRecord[] {
    if (offset < this.#start) {
      throw new RangeError(
        `Cannot read offset ${offset} of topic "${this.topic}" partition ${this.partition}: the log starts at ${this.#start}, retention deleted what came before`,
      );
    }
    const end = this.#committed;
    const out: LogRecord[] = [];
    let o = offset;
    while (o < end && o < this.#tailStart && out.length < max) {
      const i = this.#segmentOf(o);
      const seg = this.#segments[i]!;
      const segEnd = Math.min(this.#segments[i + 1]?.base ?? end, end);
      const entries = seg.read(o, max - out.length, segEnd);
      this.#keepReader(seg);
      for (const e of entries) out.push(this.#record(o++, e));
    }
    for (; o < end && out.length < max; o++) {
      out.push(this.#record(o, this.#tail[o - this.#tailStart]!));
    }
    return out;
  }

  #record(offset: number, e: Entry): LogRecord {
    return { topic: this.topic, partition: this.partition, offset, ...e };
  }

  /** Index of the segment holding `offset`: the last one based at or below it. */
  #segmentOf(offset: number): number {
    let lo = 0;
    let hi = this.#segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#segments[mid]!.base <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Keeps the read handles of the few sealed segments read last, closes older ones. */
  #keepReader(seg: Segment): void {
    if (seg === this.#segments.at(-1)) return;
    this.#readers = this.#readers.filter((r) => r !== seg);
    this.#readers.push(seg);
    while (this.#readers.length > OPEN_READERS) this.#readers.shift()!.close();
  }

  /**
   * Deletes the segments that lie entirely below `offset` (never the one
   * being written, never an acknowledged record at or above `offset`) and
   * moves the log start up. Returns how many segments went.
   */
  deleteBelow(offset: number): number {
    const safe = Math.min(offset, this.#committed);
    let deleted = 0;
    while (this.#segments.length > 1 && this.#segments[1]!.base <= safe) {
      const seg = this.#segments.shift()!;
      this.#readers = this.#readers.filter((r) => r !== seg);
      seg.delete();
      deleted++;
    }
    if (deleted === 0) return 0;
    this.#start = this.#segments[0]!.base;
    if (this.#tailStart < this.#start) {
      this.#tail.splice(0, this.#start - this.#tailStart);
      this.#tailStart = this.#start;
    }
    log.info("retention deleted old segments", {
      topic: this.topic,
      partition: this.partition,
      segments: deleted,
      log_start: this.#start,
    });
    return deleted;
  }

  close(): void {
    for (const seg of this.#segments) seg.close();
    this.#readers = [];
  }
}

/** Base offsets of the segments in `dir`, in order; removes indexes left without their log. */
function listSegments(dir: string): number[] {
  const logs = new Set<string>();
  const indexes: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const m = SEGMENT_FILE.exec(e.name);
    if (!m || !e.isFile) continue;
    if (m[2] === "log") logs.add(m[1]!);
    else indexes.push(m[1]!);
  }
  // Retention removes a segment's log before its index; a crash between the two leaves this.
  for (const base of indexes) {
    if (!logs.has(base)) Deno.removeSync(`${dir}/${base}.index`);
  }
  return [...logs].map(Number).sort((a, b) => a - b);
}

/** Writes converted records into a new partition folder, durably whatever LOG_FSYNC says. */
async function convertInto(
  topic: string,
  partition: number,
  dir: string,
  opts: PartitionOptions,
  batches: Iterable<Entry[]>,
): Promise<number> {
  const store = await PartitionStore.open(topic, partition, dir, {
    ...opts,
    fsync: true,
    tailCapacity: 0,
  });
  try {
    for (const batch of batches) store.append(batch);
    await store.flush();
    return store.end;
  } finally {
    store.close();
  }
}
