/**
 * In-process fan-out of what the consumers commit. The throughput line,
 * metrics and the dashboard's live feed subscribe here; nothing polls.
 * (Processes without a consumer hear the same summaries through PostgreSQL
 * NOTIFY on channel {@linkcode COMMIT_CHANNEL}, sent inside each transaction.)
 */
import type { StreamName } from "../stream/topics.ts";

export const COMMIT_CHANNEL = "ecommerce_commits";

/** One committed batch. */
export interface CommitSummary {
  stream: StreamName;
  topic: string;
  /** New rows (first delivery of each event). */
  accepted: number;
  duplicates: number;
  /** Failed validation: to the DLQ and rejected_events. */
  rejected: number;
  /** Valid but refused (inventory below zero). */
  refused: number;
  /** An event_id seen before with other content (rejected_events, kind conflict). */
  conflicts?: number;
  batchSize: number;
  commitMs: number;
  /** Event timestamp → commit, per accepted event (ms). */
  latenciesMs: number[];
  committedAt: number;
  /** Rejections that could not be produced to the dead-letter topic (stored in rejected_events all the same). */
  deadLetterFailed?: number;
}

type Listener = (s: CommitSummary) => void;

/** A tiny synchronous pub/sub; listener errors never reach the publisher. */
export class CommitBus {
  #listeners = new Set<Listener>();

  /** Subscribes; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  publish(s: CommitSummary): void {
    for (const fn of this.#listeners) {
      try {
        fn(s);
      } catch {
        // A broken subscriber must not fail a batch that is already committed.
      }
    }
  }
}
