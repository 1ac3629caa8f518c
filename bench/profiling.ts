/**
 * Profiles of one phase of a benchmark, taken through V8's inspector in the
 * process itself, so they cover that phase and nothing else (`deno run
 * --cpu-prof` covers the whole run, and only when the process exits by
 * itself):
 * - a sampling heap profile of what outlives V8's young generation: objects
 *   that a scavenge frees are dropped from the samples, so what remains is
 *   what was promoted (or allocated old) — the allocations that major GCs
 *   pay for. Written as a `.heapprofile` (Chrome DevTools, Memory tab,
 *   "Load");
 * - a CPU profile, written as a `.cpuprofile` (Chrome DevTools, Performance
 *   tab, "Load profile").
 */
import inspector from "node:inspector";

/** A running profiler; `stop` writes its profile to the file. */
export interface Profiler {
  stop(): Promise<void>;
}

/** An inspector session of this process and a promise-returning `post`. */
function openSession() {
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
  return { session, post };
}

/** Starts sampling every `interval` bytes allocated (on average); `stop()` writes `file`. */
export async function startHeapSampling(
  file: string,
  interval = 16 * 1024,
): Promise<Profiler> {
  const { session, post } = openSession();
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

/** Starts a CPU profile sampled every `intervalUs` µs; `stop()` writes `file`. */
export async function startCpuProfile(
  file: string,
  intervalUs = 500,
): Promise<Profiler> {
  const { session, post } = openSession();
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: intervalUs });
  await post("Profiler.start");
  return {
    async stop() {
      const { profile } = await post("Profiler.stop") as { profile: unknown };
      await Deno.writeTextFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
