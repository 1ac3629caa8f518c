/**
 * A bounded cache for expensive reports: each key is computed once at a time
 * (single flight) and kept for its TTL, at most `maxEntries` keys are kept
 * (least recently used go first), and at most `maxConcurrent` computations
 * run at once. A request beyond that waits up to `queueWaitMs` in a queue of
 * at most `maxQueued`, then gets a 503: on the embedded database a pile of
 * full scans would pause ingestion, so the dashboard says "busy" instead.
 */
import { HttpError } from "./http_error.ts";

export interface ReportCacheLimits {
  maxEntries: number;
  maxConcurrent: number;
  maxQueued: number;
  queueWaitMs: number;
}

interface Entry {
  until: number;
  value?: unknown;
  pending?: Promise<unknown>;
}

/** See the module doc: cached, single-flight, bounded report computations. */
export class ReportCache {
  #entries = new Map<string, Entry>();
  #running = 0;
  #queue: (() => void)[] = [];
  /** Reports computed so far (cache misses). */
  computed = 0;

  constructor(private readonly limits: ReportCacheLimits) {}

  /** The report of `key`: cached, being computed, or computed now by `fn` and kept `ttlMs`. */
  async get<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
    const now = performance.now();
    const e = this.#entries.get(key);
    if (e) {
      this.#entries.delete(key); // re-insert: most recently used last
      this.#entries.set(key, e);
      if (e.pending) return await e.pending as T;
      if (e.until > now) return e.value as T;
    }
    const entry: Entry = { until: 0 };
    entry.pending = this.#limited(fn);
    this.#entries.set(key, entry);
    this.#trim();
    try {
      entry.value = await entry.pending;
      entry.until = performance.now() + ttlMs;
      return entry.value as T;
    } catch (err) {
      this.#entries.delete(key);
      throw err;
    } finally {
      delete entry.pending;
    }
  }

  /** Drops the least recently used reports beyond `maxEntries` (never one being computed). */
  #trim(): void {
    for (const [key, e] of this.#entries) {
      if (this.#entries.size <= this.limits.maxEntries) return;
      if (!e.pending) this.#entries.delete(key);
    }
  }

  async #limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limits.maxConcurrent) await this.#wait();
    this.#running++;
    this.computed++;
    try {
      return await fn();
    } finally {
      this.#running--;
      this.#queue.shift()?.();
    }
  }

  #wait(): Promise<void> {
    const busy = () =>
      new HttpError(
        503,
        `The analytics are busy: ${this.limits.maxConcurrent} reports are being computed (ANALYTICS_MAX_CONCURRENT); try again in a few seconds`,
      );
    if (this.#queue.length >= this.limits.maxQueued) {
      return Promise.reject(busy());
    }
    return new Promise((resolve, reject) => {
      const go = () => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => {
        this.#queue = this.#queue.filter((q) => q !== go);
        reject(busy());
      }, this.limits.queueWaitMs);
      this.#queue.push(go);
    });
  }
}
