/**
 * The throughput line printed every STATS_INTERVAL_MS:
 * `[14:32:10] clickstream=1,240 (12.4/s) | inventory=418 (4.2/s) | competitor=183 (1.8/s) | recommendations=30`
 * Counts are events committed by this process (or produced, in a process that only generates).
 */
import type { CommitBus } from "../feed/bus.ts";
import { STREAM_NAMES, type StreamName } from "../stream/topics.ts";

const fmt = new Intl.NumberFormat("en-US");
const LABEL: Record<StreamName, string> = {
  clickstream: "clickstream",
  inventory: "inventory",
  competitor: "competitor",
};

export class Throughput {
  readonly totals: Record<StreamName, number> = {
    clickstream: 0,
    inventory: 0,
    competitor: 0,
  };
  rejected = 0;
  #last: Record<StreamName, number> = {
    clickstream: 0,
    inventory: 0,
    competitor: 0,
  };
  #lastAt = Date.now();

  /** Counts commits from `bus`; returns the unsubscribe function. */
  follow(bus: CommitBus): () => void {
    return bus.subscribe((s) => {
      this.totals[s.stream] += s.accepted + s.refused;
      this.rejected += s.rejected;
    });
  }

  /** Formats one line and starts the next interval. */
  line(recommendations: number | null, now = new Date()): string {
    const secs = Math.max((now.getTime() - this.#lastAt) / 1000, 0.001);
    const parts = STREAM_NAMES.map((s) => {
      const rate = (this.totals[s] - this.#last[s]) / secs;
      return `${LABEL[s]}=${fmt.format(this.totals[s])} (${rate.toFixed(1)}/s)`;
    });
    if (recommendations !== null) {
      parts.push(`recommendations=${fmt.format(recommendations)}`);
    }
    if (this.rejected > 0) parts.push(`rejected=${fmt.format(this.rejected)}`);
    this.#last = { ...this.totals };
    this.#lastAt = now.getTime();
    const hms = now.toTimeString().slice(0, 8);
    return `[${hms}] ${parts.join(" | ")}`;
  }
}
