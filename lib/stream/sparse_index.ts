/**
 * The sparse offset index of one segment, Kafka style: every few KiB of log,
 * one 8-byte entry (u32 offset relative to the segment's base | u32 byte
 * position), big-endian. A reader seeks to the last entry at or below the
 * offset it wants and scans forward from there.
 *
 * The index is a hint that can be rebuilt from the log, so it is never
 * fsynced: after a crash any prefix of strictly increasing entries that point
 * inside the log is still a correct, if sparser, index.
 */

/** Bytes per entry on disk. */
export const ENTRY_BYTES = 8;

export class SparseIndex {
  #data = new Uint32Array(64);
  #length = 0;

  /**
   * Parses an index file, keeping the longest valid prefix: entries strictly
   * increasing in both fields, positions below `logSize`, relative offsets
   * below `maxRelative`. `complete` is false when something was dropped.
   */
  static parse(
    bytes: Uint8Array,
    logSize: number,
    maxRelative = Infinity,
  ): { index: SparseIndex; complete: boolean } {
    const index = new SparseIndex();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const count = Math.floor(bytes.length / ENTRY_BYTES);
    for (let i = 0; i < count; i++) {
      const rel = view.getUint32(i * ENTRY_BYTES);
      const pos = view.getUint32(i * ENTRY_BYTES + 4);
      const last = index.#length - 1;
      const valid = pos < logSize && rel < maxRelative &&
        (last < 0 ||
          (rel > index.relative(last) && pos > index.position(last)));
      if (!valid) return { index, complete: false };
      index.add(rel, pos);
    }
    return { index, complete: bytes.length === count * ENTRY_BYTES };
  }

  /** Encodes one entry as it is stored. */
  static entry(relative: number, position: number): Uint8Array {
    const out = new Uint8Array(ENTRY_BYTES);
    const view = new DataView(out.buffer);
    view.setUint32(0, relative);
    view.setUint32(4, position);
    return out;
  }

  get length(): number {
    return this.#length;
  }

  relative(i: number): number {
    return this.#data[i * 2]!;
  }

  position(i: number): number {
    return this.#data[i * 2 + 1]!;
  }

  /** Appends an entry; the caller keeps entries increasing. */
  add(relative: number, position: number): void {
    if (this.#length * 2 === this.#data.length) {
      const bigger = new Uint32Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#length * 2] = relative;
    this.#data[this.#length * 2 + 1] = position;
    this.#length++;
  }

  /** Keeps the first `n` entries. */
  truncate(n: number): void {
    this.#length = Math.min(n, this.#length);
  }

  /** The last entry whose relative offset is at most `relative`, or -1. */
  floor(relative: number): number {
    let lo = 0;
    let hi = this.#length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relative(mid) <= relative) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The whole index as it is stored. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.#length * ENTRY_BYTES);
    const view = new DataView(out.buffer);
    for (let i = 0; i < this.#length; i++) {
      view.setUint32(i * ENTRY_BYTES, this.relative(i));
      view.setUint32(i * ENTRY_BYTES + 4, this.position(i));
    }
    return out;
  }
}
