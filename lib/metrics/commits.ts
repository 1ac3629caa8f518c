/** Turns the consumers' commit summaries into counters and histograms. */
import type { CommitBus, CommitSummary } from "../feed/bus.ts";
import type { Metrics } from "./definitions.ts";

/** Records one committed batch. */
export function recordCommit(m: Metrics, s: CommitSummary): void {
  const topic = s.topic;
  const outcomes = {
    accepted: s.accepted,
    duplicate: s.duplicates,
    rejected: s.rejected,
    refused: s.refused,
  };
  for (const [outcome, n] of Object.entries(outcomes)) {
    // Touch every outcome so each series exists (at 0) from the first batch on.
    m.consumed.inc({ topic, outcome }, n);
  }
  m.rejected.inc({ topic, kind: "invalid" }, s.rejected);
  m.rejected.inc({ topic, kind: "refused" }, s.refused);
  m.rejected.inc({ topic, kind: "conflict" }, s.conflicts ?? 0);
  m.deadLetterFailures.inc({ topic }, s.deadLetterFailed ?? 0);
  m.batchSize.observe({ topic }, s.batchSize);
  m.batchCommit.observe({ topic }, s.commitMs / 1000);
  const latency = m.latency.labels({ topic });
  for (const ms of s.latenciesMs) {
    // A producer clock slightly ahead of ours must not produce negative latencies.
    latency.observe(Math.max(ms, 0) / 1000);
  }
}

/** Records every batch committed on `bus`; returns the unsubscribe function. */
export function followCommits(m: Metrics, bus: CommitBus): () => void {
  return bus.subscribe((s) => recordCommit(m, s));
}
