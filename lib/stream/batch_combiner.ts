/**
 * Several partitions' batches in one `handleBatch` call, so one database
 * transaction holds them all. kafkajs hands each partition's batch to its own
 * `eachBatch` call (six at once on raw.clickstream); written separately they
 * were six transactions that each paid a commit and waited for the others'
 * locks on the same product_metrics rows.
 *
 * Offsets stay exact: a combined call holds every chunk whole, each chunk is
 * the next records of its partition in offset order, and the sink stores the
 * next offset of every partition the call covers in the same transaction. A
 * failure rejects every chunk of the call, so each partition backs off and
 * reads again from its stored offset, exactly as when it failed alone; a data
 * error is split by the worker as before (halves of the combined records).
 */
import type { LogRecord } from "./log.ts";

interface Waiting {
  records: readonly LogRecord[];
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Wraps `handle` so that calls made while `inFlight` calls are running (or in
 * the same turn of the event loop) are written together by the next call, at
 * most `maxRecords` records per call (a single larger chunk goes alone).
 * Two calls in flight keep the database busy while the next batch is decoded
 * and staged; more would only queue on the same product_metrics row locks.
 */
export function combineBatches(
  handle: (records: readonly LogRecord[]) => Promise<void>,
  maxRecords: number,
  inFlight = 2,
): (records: readonly LogRecord[]) => Promise<void> {
  const queue: Waiting[] = [];
  let running = 0;

  const take = (): Waiting[] => {
    const out = [queue.shift()!];
    let n = out[0]!.records.length;
    while (queue.length > 0 && n + queue[0]!.records.length <= maxRecords) {
      const next = queue.shift()!;
      n += next.records.length;
      out.push(next);
    }
    return out;
  };

  const drain = async () => {
    running++;
    // kafkajs starts the partitions' eachBatch calls one after another in
    // the same turn: waiting one macrotask lets them all join this call.
    await new Promise((r) => setTimeout(r, 0));
    while (queue.length > 0) {
      const group = take();
      try {
        await handle(
          group.length === 1
            ? group[0]!.records
            : group.flatMap((g) => g.records),
        );
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    running--;
  };

  return (records) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ records, resolve, reject });
      if (running < inFlight) void drain();
    });
}
