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
  const s = new Supervisor(name, start, registry, onFatal, policy);
  s.watch(await start());
  registry.set(name, "running");
  return { stop: () => s.stop() };
}

/** One supervised consumer: the handle it runs now and how often it died. */
class Supervisor {
  readonly stopping = new AbortController();
  #handle: ConsumerHandle | null = null;
  #startedAt = Date.now();
  #failures = 0;

  constructor(
    readonly name: string,
    readonly start: () => Promise<ConsumerHandle>,
    readonly registry: WorkerRegistry,
    readonly onFatal: (err: Error) => void,
    readonly policy: RestartPolicy,
  ) {}

  watch(h: ConsumerHandle): void {
    this.#handle = h;
    this.#startedAt = Date.now();
    h.done.then(
      () => this.died(new Error("it stopped by itself")),
      (e) => this.died(e),
    );
  }

  async died(err: unknown): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const { name, policy, registry } = this;
    const why = (err as Error)?.message ?? String(err);
    if (Date.now() - this.#startedAt >= policy.stableMs) this.#failures = 0;
    const failures = ++this.#failures;
    registry.set(name, "down", why);
    if (failures > policy.maxFailures) {
      log.error("consumer keeps dying; giving up", {
        worker: name,
        error: why,
      });
      this.onFatal(
        new Error(`${name} died ${failures} times in a row: ${why}`),
      );
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
    await sleep(delay, this.stopping.signal);
    await this.#restart();
  }

  async #restart(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    try {
      const next = await this.start();
      if (this.stopping.signal.aborted) return void await next.stop();
      this.registry.set(this.name, "running");
      this.watch(next);
    } catch (e) {
      await this.died(e);
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.#handle?.stop();
    this.registry.set(this.name, "stopped");
  }
}
