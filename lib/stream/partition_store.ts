/**
 * Storage of one partition of the embedded log: an append-only file of
 * length-prefixed frames plus an in-memory index of frame positions, with the
 * newest records kept in memory so consumers near the tail never touch disk.
 * Without a file (`path` undefined) it is memory only, for tests and benches.
 *
 * Frame: u32 key length (0xffffffff = null) | u32 value length | f64 timestamp | key | value
 */
import type { LogRecord } from "./log.ts";

const HEADER = 16;
const NULL_KEY = 0xffffffff;
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Entry {
  key: string | null;
  value: Uint8Array;
  timestamp: number;
}

export class PartitionStore {
  #file?: Deno.FsFile;
  #positions: number[] = [];
  #count = 0;
  #size = 0;
  #tail: Entry[] = [];
  #tailStart = 0;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly tailCapacity: number,
  ) {}

  /** Opens (or creates) the partition file and rebuilds the index, dropping a torn last frame. */
  static async open(
    topic: string,
    partition: number,
    path?: string,
    tailCapacity = 20_000,
  ): Promise<PartitionStore> {
    const s = new PartitionStore(topic, partition, tailCapacity);
    if (path === undefined) return s;
    s.#file = await Deno.open(path, { read: true, write: true, create: true });
    const data = await Deno.readFile(path);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let pos = 0;
    while (pos + HEADER <= data.length) {
      const kl = view.getUint32(pos);
      const vl = view.getUint32(pos + 4);
      const end = pos + HEADER + (kl === NULL_KEY ? 0 : kl) + vl;
      if (end > data.length) break;
      s.#positions.push(pos);
      pos = end;
    }
    if (pos < data.length) await s.#file.truncate(pos);
    s.#size = pos;
    s.#count = s.#positions.length;
    s.#tailStart = s.#count;
    return s;
  }

  /** The offset the next record will get. */
  get end(): number {
    return this.#count;
  }

  /** Appends records; returns the offset of the first. */
  append(entries: readonly Entry[]): number {
    const first = this.end;
    if (this.#file) {
      const frames = entries.map((e) => encodeFrame(e));
      const total = frames.reduce((n, f) => n + f.length, 0);
      const buf = new Uint8Array(total);
      let at = 0;
      for (const f of frames) {
        this.#positions.push(this.#size + at);
        buf.set(f, at);
        at += f.length;
      }
      let written = 0;
      this.#file.seekSync(this.#size, Deno.SeekMode.Start);
      while (written < buf.length) {
        written += this.#file.writeSync(buf.subarray(written));
      }
      this.#size += total;
    }
    for (const e of entries) this.#tail.push(e);
    this.#count += entries.length;
    this.#trimTail();
    return first;
  }

  #trimTail(): void {
    // Memory-only partitions keep everything: there is nowhere else to read from.
    // Trimming in chunks keeps appends amortised O(1).
    const excess = this.#tail.length - this.tailCapacity;
    if (excess > this.tailCapacity / 2 && this.#file) {
      this.#tail.splice(0, excess);
      this.#tailStart += excess;
    }
  }

  /** Reads up to `max` records starting at `offset`. */
  read(offset: number, max: number): LogRecord[] {
    const end = this.end;
    const out: LogRecord[] = [];
    const tailBase = this.#tailStart;
    for (let o = offset; o < end && out.length < max; o++) {
      const e = o >= tailBase
        ? this.#tail[o - tailBase]!
        : this.#readFromDisk(o);
      out.push({
        topic: this.topic,
        partition: this.partition,
        offset: o,
        ...e,
      });
    }
    return out;
  }

  #readFromDisk(offset: number): Entry {
    const pos = this.#positions[offset]!;
    const next = this.#positions[offset + 1] ?? this.#size;
    const buf = new Uint8Array(next - pos);
    this.#file!.seekSync(pos, Deno.SeekMode.Start);
    let got = 0;
    while (got < buf.length) {
      const n = this.#file!.readSync(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    return decodeFrame(buf);
  }

  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}

function encodeFrame(e: Entry): Uint8Array {
  const key = e.key === null ? null : enc.encode(e.key);
  const buf = new Uint8Array(HEADER + (key?.length ?? 0) + e.value.length);
  const view = new DataView(buf.buffer);
  view.setUint32(0, key === null ? NULL_KEY : key.length);
  view.setUint32(4, e.value.length);
  view.setFloat64(8, e.timestamp);
  if (key) buf.set(key, HEADER);
  buf.set(e.value, HEADER + (key?.length ?? 0));
  return buf;
}

function decodeFrame(buf: Uint8Array): Entry {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const kl = view.getUint32(0);
  const vl = view.getUint32(4);
  const timestamp = view.getFloat64(8);
  const keyLen = kl === NULL_KEY ? 0 : kl;
  const key = kl === NULL_KEY
    ? null
    : dec.decode(buf.subarray(HEADER, HEADER + keyLen));
  const value = buf.slice(HEADER + keyLen, HEADER + keyLen + vl);
  return { key, value, timestamp };
}
