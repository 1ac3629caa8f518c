/**
 * What each long-running worker of this process is doing, for `/api/health`
 * and the logs. Workers report their own state; nothing polls them. A
 * worker that is not `running` (or was stopped on purpose) makes the process
 * unhealthy, and so does a partition a consumer refuses to read.
 */

export type WorkerState =
  | "starting"
  | "running"
  | "restarting"
  | "down"
  | "stopped";

/** One worker's state as `/api/health` shows it. */
export interface WorkerStatus {
  name: string;
  state: WorkerState;
  /** When it entered this state (ISO). */
  since: string;
  /** Restarts after a crash, since the process started. */
  restarts: number;
  /** Why it is down or restarting. */
  error?: string;
  /** Partitions it refuses to read, with the reason (see `ConsumerOptions.onRefuse`). */
  refused: Record<string, string>;
}

/** The state of every worker of this process, as they report it. */
export class WorkerRegistry {
  #workers = new Map<string, WorkerStatus>();

  /** Records that `name` is now in `state` (with the error that put it there). */
  set(name: string, state: WorkerState, error?: string): void {
    const w = this.#entry(name);
    if (w.state === "restarting" && state === "running") w.restarts++;
    w.state = state;
    w.since = new Date().toISOString();
    if (error === undefined) delete w.error;
    else w.error = error;
  }

  /** Records that `name` refuses `partition`, and why. */
  refuse(name: string, partition: number, reason: string): void {
    this.#entry(name).refused[String(partition)] = reason;
  }

  /** Every worker, in registration order. */
  list(): WorkerStatus[] {
    return [...this.#workers.values()].map((w) => ({
      ...w,
      refused: { ...w.refused },
    }));
  }

  /** True when every worker runs (or was stopped on purpose) and reads all its partitions. */
  get healthy(): boolean {
    return [...this.#workers.values()].every((w) =>
      (w.state === "running" || w.state === "stopped") &&
      Object.keys(w.refused).length === 0
    );
  }

  #entry(name: string): WorkerStatus {
    let w = this.#workers.get(name);
    if (!w) {
      w = {
        name,
        state: "starting",
        since: new Date().toISOString(),
        restarts: 0,
        refused: {},
      };
      this.#workers.set(name, w);
    }
    return w;
  }
}
