/**
 * A small seeded random source (sfc32), so a generator run with `--seed` is
 * reproducible down to event ids. Without a seed it is seeded from crypto.
 */

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed?: string) {
    const s = seed === undefined || seed === ""
      ? crypto.getRandomValues(new Uint32Array(4))
      : hashSeed(seed);
    [this.#a, this.#b, this.#c, this.#d] = [s[0]!, s[1]!, s[2]!, s[3]!];
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /**
   * Picks a key of `weights` with probability proportional to its weight.
   * The table is read once per weights object (the simulated shop draws from
   * the same few tables for every event), so `weights` must not change.
   */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const { entries, total } = tableOf(weights);
    let x = this.next() * total;
    for (const [k, w] of entries) {
      if ((x -= w) < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }

  /**
   * A version-4 UUID drawn from this source: sixteen bytes, one draw each
   * (the same draws, so the same ids, as ever), written through a table of
   * hex pairs; the simulated shop makes one or two per event.
   */
  uuid(): string {
    let s = "";
    for (let i = 0; i < 16; i++) {
      let b = this.int(0, 255);
      if (i === 6) b = (b & 0x0f) | 0x40;
      else if (i === 8) b = (b & 0x3f) | 0x80;
      if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
      s += HEX[b];
    }
    return s;
  }
}

/** The entries of a weights object and their sum, made once per object. */
const TABLES = new WeakMap<
  object,
  { entries: [string, number][]; total: number }
>();

function tableOf<K extends string>(
  weights: Readonly<Record<K, number>>,
): { entries: [K, number][]; total: number } {
  let t = TABLES.get(weights);
  if (!t) {
    const entries = Object.entries(weights) as [string, number][];
    t = { entries, total: entries.reduce((n, [, w]) => n + w, 0) };
    TABLES.set(weights, t);
  }
  return t as { entries: [K, number][]; total: number };
}

const HEX = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).padStart(2, "0"),
);

function hashSeed(seed: string): Uint32Array {
  // cyrb128: spreads any string over four 32-bit words.
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return new Uint32Array([h1 ^ h2 ^ h3 ^ h4, h2 ^ h1, h3 ^ h1, h4 ^ h1]);
}
