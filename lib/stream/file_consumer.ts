/**
 * The embedded side of `EventLog.consume`: one loop per consumer that owns
 * every partition of its topic (everything runs in one process), reads only
 * what `send` has acknowledged, and batches up to `maxBatchSize` records or
 * `maxWaitMs`.
 */
import {
  type ConsumerHandle,
  type ConsumerOptions,
  type LogRecord,
  offsetPastEnd,
} from "./log.ts";
import type { PartitionStore } from "./partition_store.ts";
import { sleep } from "./sleep.ts";
import { logger } from "../log.ts";

const log = logger("log");

/** A topic of the embedded log, as its consumers see it. */
export interface FileTopic {
  name: string;
  stores: PartitionStore[];
  /** Woken by every acknowledged send. */
  waiters: Set<() => void>;
}

/** Where a consumer stands: next offset per partition, and the partitions it refuses. */
interface Positions {
  next: number[];
  refused: Set<number>;
}

/** A running file consumer's handle, and what it still has to read. */
export interface FileConsumerHandle extends ConsumerHandle {
  /**
   * The lowest offset of `partition` this consumer may still read: the first
   * record it has not committed. Retention must keep it even while the
   * consumer's group has stored nothing yet.
   */
  needs(partition: number): number;
}

/** Starts consuming `t` from the stored offsets; the handle stops it. */
export async function startFileConsumer(
  t: FileTopic,
  opts: ConsumerOptions,
): Promise<FileConsumerHandle> {
  const partitions = t.stores.map((_, p) => p);
  const positions = await loadPositions(t, partitions, opts, new Set());
  opts.onAssign?.(partitions);
  const stop = new AbortController();
  const done = loop(t, opts, positions, stop.signal);
  return {
    needs: (p) => positions.next[p] ?? 0,
    done,
    stop: async () => {
      stop.abort();
      for (const wake of t.waiters) wake();
      await done.catch(() => {});
    },
  };
}

/**
 * The stored offsets, checked against the log. A partition whose offset is
 * past the log end is refused (reported once): reading from the end would
 * skip, without a word, every event appended below the stored offset.
 */
async function loadPositions(
  t: FileTopic,
  partitions: number[],
  opts: ConsumerOptions,
  refusedBefore: ReadonlySet<number>,
): Promise<Positions> {
  const stored = await opts.loadOffsets(partitions);
  const refused = new Set<number>();
  const next = partitions.map((p) => {
    const at = stored.get(p) ?? 0;
    const end = t.stores[p]!.committedEnd;
    if (at <= end) return clampToStart(t, p, at);
    refused.add(p);
    if (!refusedBefore.has(p)) {
      const reason = offsetPastEnd(t.name, p, at, end);
      log.error(reason, { topic: t.name, partition: p, stored: at, end });
      opts.onRefuse?.(p, reason);
    }
    return end;
  });
  return { next, refused };
}

/** Moves a position below the log start up to it, and says so. */
function clampToStart(t: FileTopic, p: number, at: number): number {
  const store = t.stores[p]!;
  if (at < store.start) {
    // Retention removed records this consumer never committed: the safe
    // offset given to runRetention was wrong. Read on from what is left.
    log.warn("stored offset is below the log start; records were deleted", {
      topic: t.name,
      partition: p,
      at,
      start: store.start,
    });
    return store.start;
  }
  return at;
}

function available(t: FileTopic, positions: Positions): number {
  return t.stores.reduce(
    (n, s, p) =>
      positions.refused.has(p) ? n : n + s.committedEnd - positions.next[p]!,
    0,
  );
}

function wait(t: FileTopic, ms: number, signal: AbortSignal): Promise<void> {
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

async function loop(
  t: FileTopic,
  opts: ConsumerOptions,
  positions: Positions,
  signal: AbortSignal,
): Promise<void> {
  let backoff = 100;
  while (!signal.aborted) {
    if (available(t, positions) === 0) {
      await wait(t, 1000, signal);
      continue;
    }
    // Give a batch up to maxWaitMs to fill, so commits stay few under load.
    const firstSeen = Date.now();
    while (!signal.aborted && available(t, positions) < opts.maxBatchSize) {
      const left = opts.maxWaitMs - (Date.now() - firstSeen);
      if (left <= 0) break;
      await wait(t, left, signal);
    }
    // A corrupt record throws here, outside the retry: reading it again
    // cannot help, and the error names the topic, partition and offset.
    const records = take(t, positions, opts.maxBatchSize);
    try {
      await opts.handleBatch(records);
      for (const r of records) positions.next[r.partition] = r.offset + 1;
      backoff = 100;
    } catch (err) {
      log.warn("batch failed; reloading offsets and retrying", {
        topic: opts.topic,
        error: err,
        backoff_ms: backoff,
      });
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, 10_000);
      const all = positions.next.map((_, p) => p);
      const reloaded = await loadPositions(t, all, opts, positions.refused)
        .catch(() => null);
      if (reloaded) Object.assign(positions, reloaded);
    }
  }
}

/** Takes up to `max` records, round-robin over partitions so none starves. */
function take(t: FileTopic, positions: Positions, max: number): LogRecord[] {
  const out: LogRecord[] = [];
  const next = positions.next.map((at, p) => clampToStart(t, p, at));
  positions.next = [...next];
  const share = Math.max(1, Math.ceil(max / t.stores.length));
  for (let round = 0; round < 2; round++) {
    // The first round takes a fair share from each; the second fills up.
    for (let p = 0; p < t.stores.length && out.length < max; p++) {
      if (positions.refused.has(p)) continue;
      const limit = round === 0
        ? Math.min(share, max - out.length)
        : max - out.length;
      const got = t.stores[p]!.read(next[p]!, limit);
      for (const r of got) out.push(r);
      next[p] = next[p]! + got.length;
    }
  }
  return out;
}
