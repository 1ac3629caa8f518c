/**
 * A sampling heap profile of what outlives V8's young generation: objects
 * that a scavenge frees are dropped from the samples, so what remains is
 * what was promoted (or allocated old) — the allocations that major GCs pay
 * for. Written as a `.heapprofile` (Chrome DevTools, Memory tab, "Load").
 */
import inspector from "node:inspector";

/** A running sampler; `stop` writes its profile to the file. */
export interface HeapSampler {
  stop(): Promise<void>;
}

/** Starts sampling every `interval` bytes allocated (on average); `stop()` writes `file`. */
export async function startHeapSampling(
  file: string,
  interval = 16 * 1024,
): Promise<HeapSampler> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(
        method,
        params,
        (err: Error | null, result: unknown) =>
          err ? reject(err) : resolve(result),
      )
    );
  await post("HeapProfiler.enable");
  await post("HeapProfiler.startSampling", {
    samplingInterval: interval,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  return {
    async stop() {
      const { profile } = await post("HeapProfiler.stopSampling") as {
        profile: unknown;
      };
      await Deno.writeTextFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
