/**
 * One segment of a partition of the embedded log: `<base offset>.log`, frames
 * of records numbered from the base offset (record_frame.ts), and
 * `<base offset>.index`, its sparse index (sparse_index.ts). Only the last
 * segment of a partition is written; the others are sealed and only read.
 *
 * Reads go through a bounded buffer (`scanFrames`), so neither start-up nor a
 * consumer far behind ever holds a whole segment in memory.
 */
import {
  decodeFrame,
  type Entry,
  type FrameVisit,
  scanFrames,
  type ScanStop,
} from "./record_frame.ts";
import { readAt, readIfExists, writeAll } from "./file_io.ts";
import { SparseIndex } from "./sparse_index.ts";
import { logger } from "../log.ts";

const log = logger("log");

/** What the segments of one partition share. */
export interface SegmentContext {
  topic: string;
  partition: number;
  /** The partition's folder. */
  dir: string;
  /** An index entry at least every this many bytes of log. */
  indexIntervalBytes: number;
  /** Bytes read from `.log` files (not indexes): start-up must keep it small. */
  stats: { logBytesRead: number };
}

/** A record that exists but cannot be read back as written. */
export class CorruptLogError extends Error {
  override name = "CorruptLogError";
}

/** `00000000000000000042`: file names sort in offset order, as in Kafka. */
export function segmentName(base: number): string {
  return String(base).padStart(20, "0");
}

export class Segment {
  #index: SparseIndex;
  #size: number;
  /** Position of the last index entry (0 = the implicit entry of the base). */
  #lastIndexed = 0;
  #file?: Deno.FsFile;
  #indexFile?: Deno.FsFile;

  private constructor(
    private readonly ctx: SegmentContext,
    readonly base: number,
    index: SparseIndex,
    size: number,
  ) {
    this.#index = index;
    this.#size = size;
    if (index.length > 0) this.#lastIndexed = index.position(index.length - 1);
  }

  /** Creates an empty segment to write at `base`. */
  static create(ctx: SegmentContext, base: number): Segment {
    const s = new Segment(ctx, base, new SparseIndex(), 0);
    s.#openForWriting(true);
    return s;
  }

  /**
   * Opens a sealed segment: reads its index (rebuilt when missing or damaged)
   * and its size, not its records. `nextBase` bounds its offsets.
   */
  static load(ctx: SegmentContext, base: number, nextBase: number): Segment {
    const s = new Segment(ctx, base, new SparseIndex(), 0);
    s.#size = Deno.statSync(s.logPath).size;
    const bytes = readIfExists(s.indexPath);
    const parsed = bytes &&
      SparseIndex.parse(bytes, s.#size, nextBase - base);
    if (parsed?.complete) {
      s.#index = parsed.index;
      return s;
    }
    log.warn("rebuilding a missing or damaged segment index", {
      topic: ctx.topic,
      partition: ctx.partition,
      segment: segmentName(base),
    });
    let expected = base;
    s.#scan(0, s.#size, (_buf, _at, offset, pos) => {
      if (offset !== expected) return false;
      s.#indexIfDue(offset, pos);
      expected++;
      return true;
    });
    Deno.writeFileSync(s.indexPath, s.#index.toBytes());
    return s;
  }

  /**
   * Opens the last segment for writing after a stop or a crash: scans from
   * its last index entry that still checks out and cuts the file at the first
   * incomplete or corrupt frame. Returns the segment and its end offset.
   */
  static recover(
    ctx: SegmentContext,
    base: number,
  ): { segment: Segment; end: number } {
    const s = new Segment(ctx, base, new SparseIndex(), 0);
    s.#openForWriting(false);
    s.#size = s.#file!.statSync().size;
    const bytes = readIfExists(s.indexPath) ?? new Uint8Array(0);
    s.#index = SparseIndex.parse(bytes, s.#size).index;
    let keep = s.#index.length;
    while (keep > 0 && !s.#entryChecksOut(keep - 1)) keep--;
    s.#index.truncate(keep);
    s.#lastIndexed = keep > 0 ? s.#index.position(keep - 1) : 0;
    let expected = base + (keep > 0 ? s.#index.relative(keep - 1) : 0);
    let wrongAt: number | undefined;
    const stop = s.#scan(s.#lastIndexed, s.#size, (_buf, _at, offset, pos) => {
      if (offset !== expected) {
        wrongAt = pos;
        return false;
      }
      s.#indexIfDue(offset, pos);
      expected++;
      return true;
    });
    const cutAt = wrongAt ?? stop.pos;
    if (cutAt < s.#size) {
      s.#cut(cutAt, stop.problem ?? "it holds a wrong offset");
    }
    s.#indexFile!.truncateSync(0);
    writeAll(s.#indexFile!, s.#index.toBytes());
    return { segment: s, end: expected };
  }

  get logPath(): string {
    return `${this.ctx.dir}/${segmentName(this.base)}.log`;
  }

  get indexPath(): string {
    return `${this.ctx.dir}/${segmentName(this.base)}.index`;
  }

  /** Bytes of log written. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends encoded frames (`starts` from record_frame.ts). On a failed write
   * both files are put back as they were, so the segment never holds a
   * record the caller was told failed.
   */
  append(bytes: Uint8Array, starts: readonly number[], first: number): void {
    const before = { size: this.#size, entries: this.#index.length };
    const lastIndexed = this.#lastIndexed;
    try {
      this.#file!.seekSync(this.#size, Deno.SeekMode.Start);
      writeAll(this.#file!, bytes);
      const added: Uint8Array[] = [];
      for (let i = 0; i < starts.length; i++) {
        const rel = this.#indexIfDue(first + i, this.#size + starts[i]!);
        if (rel !== undefined) {
          added.push(SparseIndex.entry(rel, this.#size + starts[i]!));
        }
      }
      for (const e of added) writeAll(this.#indexFile!, e);
      this.#size += bytes.length;
    } catch (err) {
      this.#index.truncate(before.entries);
      this.#lastIndexed = lastIndexed;
      this.#file!.truncateSync(before.size);
      this.#indexFile!.truncateSync(before.entries * 8);
      throw err;
    }
  }

  /**
   * Reads up to `max` records from offset `from`, stopping before `end`.
   * Throws {@linkcode CorruptLogError} naming the offset that cannot be read.
   */
  read(from: number, max: number, end: number): Entry[] {
    const out: Entry[] = [];
    if (from >= end || max <= 0) return out;
    const i = this.#index.floor(from - this.base);
    let cursor = this.base + (i < 0 ? 0 : this.#index.relative(i));
    let wrong: { offset: number; pos: number } | undefined;
    const stop = this.#scan(
      i < 0 ? 0 : this.#index.position(i),
      this.#size,
      (buf, at, offset, pos) => {
        if (offset !== cursor) {
          wrong = { offset, pos };
          return false;
        }
        if (cursor >= from) out.push(decodeFrame(buf, at));
        cursor++;
        return out.length < max && cursor < end;
      },
    );
    if (wrong) {
      throw this.#corrupt(cursor, wrong.pos, `it holds offset ${wrong.offset}`);
    }
    if (out.length < max && cursor < end) {
      throw this.#corrupt(cursor, stop.pos, stop.problem ?? "it is missing");
    }
    return out;
  }

  /** Makes every appended byte durable (fdatasync). */
  async flush(): Promise<void> {
    if (this.#indexFile) await this.#file!.syncData();
  }

  /** Ends writing; `sync` makes the log and its index durable first. */
  seal(sync: boolean): void {
    if (sync && this.#indexFile) {
      this.#file!.syncDataSync();
      this.#indexFile.syncDataSync();
    }
    this.close();
  }

  /** Closes the files; a sealed segment reopens them when read again. */
  close(): void {
    this.#file?.close();
    this.#indexFile?.close();
    this.#file = this.#indexFile = undefined;
  }

  /** Closes and removes both files. */
  delete(): void {
    this.close();
    for (const path of [this.logPath, this.indexPath]) {
      try {
        Deno.removeSync(path);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
  }

  #openForWriting(create: boolean): void {
    const opts = { read: true, write: true, create, createNew: create };
    this.#file = Deno.openSync(this.logPath, opts);
    this.#indexFile = Deno.openSync(this.indexPath, {
      ...opts,
      createNew: false,
      create: true,
      append: true,
    });
  }

  /** Adds an index entry for the frame at `pos` when enough log has passed. */
  #indexIfDue(offset: number, pos: number): number | undefined {
    if (pos - this.#lastIndexed < this.ctx.indexIntervalBytes) return;
    const rel = offset - this.base;
    this.#index.add(rel, pos);
    this.#lastIndexed = pos;
    return rel;
  }

  #entryChecksOut(i: number): boolean {
    const want = this.base + this.#index.relative(i);
    let ok = false;
    this.#scan(this.#index.position(i), this.#size, (_b, _a, offset) => {
      ok = offset === want;
      return false;
    });
    return ok;
  }

  #cut(at: number, reason: string): void {
    log.warn("cut a torn or corrupt tail off the embedded log", {
      topic: this.ctx.topic,
      partition: this.ctx.partition,
      segment: `${segmentName(this.base)}.log`,
      at,
      bytes_cut: this.#size - at,
      reason,
    });
    this.#file!.truncateSync(at);
    this.#size = at;
  }

  #corrupt(offset: number, pos: number, what: string): CorruptLogError {
    return new CorruptLogError(
      `Cannot read offset ${offset} of topic "${this.ctx.topic}" partition ${this.ctx.partition}: the record at byte ${pos} of ${
        segmentName(this.base)
      }.log is corrupt (${what})`,
    );
  }

  #scan(pos: number, end: number, visit: FrameVisit): ScanStop {
    return scanFrames((at, n) => this.#readAt(at, n), pos, end, visit);
  }

  #readAt(pos: number, length: number): Uint8Array {
    this.#file ??= Deno.openSync(this.logPath, { read: true });
    const buf = readAt(this.#file, pos, length);
    this.ctx.stats.logBytesRead += buf.length;
    return buf;
  }
}
