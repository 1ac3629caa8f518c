/** A small concurrency limit for the export's streams. */

/**
 * Runs `fn` over `items`, at most `n` at a time; results in the order of
 * `items`. After a failure no new item starts, and the call settles only
 * once every started item has (so the export lock is never released while
 * a stream is still being written), then rejects with the first error.
 */
export async function inParallel<T, R>(
  items: readonly T[],
  n: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const lanes = await Promise.allSettled(
    Array.from({ length: Math.max(1, n) }, lane),
  );
  const error = lanes.find((l) => l.status === "rejected");
  if (error) throw (error as PromiseRejectedResult).reason;
  return out;
}
