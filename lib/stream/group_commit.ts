/**
 * Group commit: callers that ask for durability while an fsync round runs
 * wait for the next round together, so N concurrent sends cost one fsync per
 * touched file per round instead of N. This is what keeps `LOG_FSYNC=always`
 * affordable under concurrent producers.
 */

/** Something whose written bytes can be made durable. */
export interface Flushable {
  flush(): Promise<void>;
}

interface Round {
  items: Set<Flushable>;
  done: Promise<void>;
}

export class GroupCommit {
  #queued: Round | null = null;
  #running: Promise<void> = Promise.resolve();
  #failed: Error | null = null;
  #rounds = 0;

  /** fsync rounds run so far. */
  get rounds(): number {
    return this.#rounds;
  }

  /**
   * Resolves once `items` are durable, sharing the round with every caller
   * that joins before it starts. After a failed fsync every call rejects: the
   * kernel may have dropped the unsynced pages, so retrying could report data
   * durable that is gone.
   */
  sync(items: Iterable<Flushable>): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (!this.#queued) {
      const round: Round = { items: new Set(), done: Promise.resolve() };
      round.done = this.#running.catch(() => {}).then(() => {
        // From here on, new callers queue the round after this one.
        if (this.#queued === round) this.#queued = null;
        return this.#running = this.#run(round.items);
      });
      this.#queued = round;
    }
    for (const item of items) this.#queued.items.add(item);
    return this.#queued.done;
  }

  async #run(items: Set<Flushable>): Promise<void> {
    if (this.#failed) throw this.#failed;
    this.#rounds++;
    try {
      await Promise.all([...items].map((i) => i.flush()));
    } catch (err) {
      this.#failed = new Error(
        "Cannot make the embedded log durable: fsync failed; restart the process to recover from its files",
        { cause: err },
      );
      throw this.#failed;
    }
  }
}
