/**
 * Keeps a consumer running: when one dies by itself (a kafkajs crash it will
 * not restart, a corrupt record in the embedded log), the death is recorded
 * in the worker registry (so `/api/health` answers 503) and the consumer is
 * started again after a wait that doubles from 1 s to 30 s. A consumer that
 * keeps dying (more than `maxFailures` times without a minute of running in
 * between) is fatal: `onFatal` ends the process with a non-zero code, so a
 * supervisor outside (systemd, Docker's restart policy) sees it.
 */
import type { ConsumerHandle } from "../stream/log.ts";
import type { WorkerRegistry } from "./registry.ts";
import { sleep } from "../stream/sleep.ts";
import { logger } from "../log.ts";

const log = logger("processor");

export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  maxFailures: number;
  /** Running this long resets the failure count. */
  stableMs: number;
}

export const DEFAULT_RESTART: RestartPolicy = {
  firstDelayMs: 1000,
  maxDelayMs: 30_000,
  maxFailures: 5,
  stableMs: 60_000,
};

export interface Supervised {
  /** Stops the consumer (after its batch in flight) and any pending restart. */
  stop(): Promise<void>;
}

/** Starts `name` with `start` and restarts it whenever it dies by itself. */
export async function supervise(
  name: string,
  start: () => Promise<ConsumerHandle>,
  registry: WorkerRegistry,
  onFatal: (err: Error) => void,
  policy: RestartPolicy = DEFAULT_RESTART,
): Promise<Supervised> {
  const stopping = new AbortController();
  let handle = await start();
  let startedAt = Date.now();
  let failures = 0;
  registry.set(name, "running");

  const died = async (err: unknown): Promise<void> => {
    if (stopping.signal.aborted) return;
    const why = (err as Error)?.message ?? String(err);
    if (Date.now() - startedAt >= policy.stableMs) failures = 0;
    failures++;
    registry.set(name, "down", why);
    if (failures > policy.maxFailures) {
      log.error("consumer keeps dying; giving up", {
        worker: name,
        error: why,
      });
      onFatal(new Error(`${name} died ${failures} times in a row: ${why}`));
      return;
    }
    const delay = Math.min(
      policy.firstDelayMs * 2 ** (failures - 1),
      policy.maxDelayMs,
    );
    log.error("consumer died; restarting it", {
      worker: name,
      error: why,
      in_ms: delay,
    });
    registry.set(name, "restarting", why);
    await sleep(delay, stopping.signal);
    if (stopping.signal.aborted) return;
    try {
      const next = await start();
      if (stopping.signal.aborted) return void await next.stop();
      handle = next;
      startedAt = Date.now();
      registry.set(name, "running");
      watch(next);
    } catch (e) {
      await died(e);
    }
  };
  const watch = (h: ConsumerHandle) =>
    h.done.then(() => died(new Error("it stopped by itself")), died);
  watch(handle);

  return {
    async stop() {
      stopping.abort();
      await handle.stop();
      registry.set(name, "stopped");
    },
  };
}
