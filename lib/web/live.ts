/**
 * The one live feed all open pages share. Commits arrive from the in-process
 * CommitBus or, in a web-only process, from PostgreSQL NOTIFY; each marks the
 * snapshot stale, and at most once per `minIntervalMs` ONE snapshot is
 * queried and the same encoded text is written to every subscriber. Cost
 * therefore grows with commits, not with open tabs, and nothing runs while
 * nobody watches.
 */
import type { Sql } from "../db/mod.ts";
import type { CommitBus } from "../feed/bus.ts";
import { COMMIT_CHANNEL } from "../feed/bus.ts";
import { kpis } from "../dashboard/overview.ts";
import { recentEvents, throughput } from "../dashboard/activity.ts";
import type { LiveSnapshot } from "../dashboard/types.ts";
import { serializeProps } from "../islands/serialize.ts";
import { logger } from "../log.ts";

const log = logger("live");

/** One message for subscribers: an SSE event name and its encoded data. */
export interface LiveMessage {
  /** `close` ends the stream (shutdown); the browser reconnects by itself. */
  event: "snapshot" | "status" | "close";
  data: string;
}

type Subscriber = (m: LiveMessage) => void;

export interface LiveFeedOptions {
  sql: Sql;
  bus: CommitBus;
  lowStockThreshold: number;
  /**
   * Also follow commits made by other processes (a web-only process): LISTEN
   * on the commit channel, plus a cheap watermark check every
   * `watermarkMs` while someone watches, because NOTIFY does not reach
   * other connections through PGlite's socket.
   */
  listen: boolean;
  /**
   * With `listen`, also LISTEN for NOTIFY (default true). False keeps to the
   * watermark check: for runtimes without long-lived connections (edge).
   */
  notify?: boolean;
  watermarkMs?: number;
  minIntervalMs?: number;
  recent?: number;
}

export class LiveFeed {
  #opts: Required<LiveFeedOptions>;
  #subs = new Set<Subscriber>();
  #commits = 0;
  #refreshes = 0;
  #dropped = 0;
  #refused = 0;
  #watermark: string | null = null;
  #watermarkTimer: ReturnType<typeof setInterval> | undefined;
  #stale = true;
  #last: LiveMessage | null = null;
  #lastAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<LiveMessage> | null = null;
  #stopBus: () => void;
  #unlisten: Promise<{ unlisten(): Promise<void> } | null> = Promise.resolve(
    null,
  );

  constructor(opts: LiveFeedOptions) {
    this.#opts = {
      minIntervalMs: 1000,
      recent: 50,
      watermarkMs: 2000,
      notify: true,
      ...opts,
    };
    this.#stopBus = opts.bus.subscribe(() => this.#changed());
    if (opts.listen && this.#opts.notify) {
      this.#unlisten = opts.sql.listen(COMMIT_CHANNEL, () => this.#changed())
        .catch((err) => {
          log.warn(
            "cannot LISTEN for commits; the live feed follows this process only",
            {
              error: err,
            },
          );
          return null;
        });
    }
  }

  /** Snapshot queries run so far (they grow with commits, not with subscribers). */
  get refreshes(): number {
    return this.#refreshes;
  }

  /** Number of open subscriptions (pages). */
  get subscribers(): number {
    return this.#subs.size;
  }

  /** Streams ended because their client stopped reading. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Streams turned away because the subscriber cap was reached. */
  get refused(): number {
    return this.#refused;
  }

  /** Counts a stream dropped for a client that stopped reading. */
  noteDropped(): void {
    this.#dropped++;
  }

  /** Counts a stream refused at the subscriber cap. */
  noteRefused(): void {
    this.#refused++;
  }

  /** Subscribes; the current snapshot is delivered first. Returns the unsubscribe function. */
  subscribe(fn: Subscriber): () => void {
    this.#subs.add(fn);
    if (this.#opts.listen && !this.#watermarkTimer) {
      this.#watermarkTimer = setInterval(
        () => this.#checkWatermark(),
        this.#opts.watermarkMs,
      );
    }
    this.current().then((m) => this.#subs.has(fn) && fn(m), () => {});
    return () => {
      this.#subs.delete(fn);
      if (this.#subs.size === 0) {
        clearTimeout(this.#timer), (this.#timer = undefined);
      }
    };
  }

  /** The latest message, queried now if stale (concurrent callers share one query). */
  current(): Promise<LiveMessage> {
    if (this.#last && !this.#stale) return Promise.resolve(this.#last);
    return this.#refresh();
  }

  /** Ends every open stream (their pages reconnect); the feed keeps working. */
  disconnectAll(): void {
    const subs = [...this.#subs];
    this.#subs.clear();
    clearTimeout(this.#timer);
    clearInterval(this.#watermarkTimer);
    this.#timer = this.#watermarkTimer = undefined;
    for (const fn of subs) fn({ event: "close", data: "" });
  }

  /** Ends every open stream and stops following commits (so a server can shut down). */
  async close(): Promise<void> {
    this.#stopBus();
    this.disconnectAll();
    await (await this.#unlisten)?.unlisten().catch(() => {});
  }

  /** Sum of all consumed offsets: it moves exactly when some process commits a batch. */
  async #checkWatermark(): Promise<void> {
    try {
      const [r] = await this.#opts.sql<{ n: string }[]>`
        select coalesce(sum(next_offset), 0)::text as n from consumer_offsets`;
      if (this.#watermark !== null && r!.n !== this.#watermark) this.#changed();
      this.#watermark = r!.n;
    } catch {
      // The snapshot query reports an unreachable database; nothing to add here.
    }
  }

  #changed(): void {
    this.#commits++;
    this.#stale = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#subs.size === 0 || this.#timer) return;
    const wait = Math.max(
      0,
      this.#lastAt + this.#opts.minIntervalMs - Date.now(),
    );
    this.#timer = setTimeout(async () => {
      const m = await this.#refresh();
      this.#timer = undefined;
      for (const fn of this.#subs) fn(m);
      // Commits that landed while the query ran are not in this snapshot.
      if (this.#stale) this.#schedule();
    }, wait);
  }

  #refresh(): Promise<LiveMessage> {
    this.#refreshing ??= this.#query().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #query(): Promise<LiveMessage> {
    const opts = this.#opts;
    const { sql, lowStockThreshold, recent } = opts;
    this.#stale = false;
    this.#lastAt = Date.now();
    this.#refreshes++;
    try {
      // Take the first watermark before the first snapshot, so a commit made
      // in between is seen at the next check instead of becoming the baseline.
      if (opts.listen && this.#watermark === null) await this.#checkWatermark();
      const [k, r, t] = await Promise.all([
        kpis(sql, lowStockThreshold),
        recentEvents(sql, recent),
        throughput(sql),
      ]);
      const snapshot: LiveSnapshot = {
        kpis: k,
        recent: r,
        throughput: t,
        commits: this.#commits,
      };
      this.#last = { event: "snapshot", data: serializeProps({ ...snapshot }) };
      return this.#last;
    } catch (err) {
      this.#stale = true;
      log.warn("cannot refresh the live snapshot", { error: err });
      return { event: "status", data: JSON.stringify({ database: "down" }) };
    }
  }
}
