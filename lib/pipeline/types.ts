/**
 * What the pipeline page shows, as plain data: the page, its JSON twin
 * (`/api/pipeline`) and the live island share these shapes. Pure: islands
 * import it.
 */
import type { JobRunRow } from "./job_runs.ts";

export type { JobRunRow } from "./job_runs.ts";

/** One raw partition: what the consumers committed, where the log ends, and the gap. */
export interface PartitionOffsets {
  stream: string;
  topic: string;
  partition: number;
  /** Next offset the consumer group will read (stored with the rows); null before its first batch. */
  committed: number | null;
  committedAt: Date | null;
  /**
   * The log's end as last stored by a process holding the log (and never
   * below `committed`, which proves the log got that far); null when none has.
   */
  logEnd: number | null;
  logEndAt: Date | null;
  /** logEnd − committed (committed counts as 0 before the first batch); null without a log end. */
  lag: number | null;
}

/** One stream's throughput and troubles. */
export interface StreamHealth {
  stream: string;
  topic: string;
  /** Events with a timestamp in the last 60 s, per second. */
  eventsPerSecond: number;
  lag: number | null;
  /** Invalid events: dead-lettered to `dlq.<topic>` and kept in rejected_events. */
  deadLettered: number;
  /** Valid stock moves refused (they would take stock below zero). */
  refused: number;
}

/** Rejections of one kind on one stream, grouped by what went wrong. */
export interface RejectionGroup {
  stream: string;
  kind: "invalid" | "refused";
  field: string | null;
  /** The reason with its values blanked, so alike rejections group together. */
  reason: string;
  /** The newest full reason of the group. */
  example: string;
  count: number;
  lastAt: Date;
}

/** One rejected event, its payload cut and made visible (lib/pipeline/payload.ts). */
export interface RejectedRow {
  id: number;
  stream: string;
  partition: number;
  offset: number;
  eventId: string | null;
  kind: "invalid" | "refused";
  field: string | null;
  reason: string;
  payload: string;
  payloadLength: number;
  truncated: boolean;
  at: Date;
}

export interface QualityRunRow {
  runId: number;
  startedAt: Date;
  finishedAt: Date | null;
  source: string;
  passed: number;
  failed: number;
  warned: number;
  errored: number;
  ok: boolean;
}

/** A check's result in the latest run, and its status in the runs before (oldest first). */
export interface QualityCheckRow {
  name: string;
  group: string;
  severity: string;
  status: string;
  value: number | null;
  expected: number | null;
  expectation: string;
  detail: string | null;
  history: { runId: number; status: string | null }[];
}

export interface JobStatus {
  job: string;
  every: string;
  last: JobRunRow | null;
  lastOkAt: Date | null;
}

/** Waiting rows counted at most: past this the page says "over" (a lake never exported would count every row). */
export const WAITING_CAP = 100_000;

/** One lake stream's watermark: what is in the lake, and what waits for the next export. */
export interface LakeWatermark {
  stream: string;
  /** Every row of a transaction below this id is in the lake. */
  doneXid: string;
  lastExportAt: Date | null;
  rowsExported: number;
  filesExported: number;
  bytesExported: number;
  /** Rows committed since, waiting for the next export; null when it could not be counted. */
  waiting: number | null;
  /** A window is half written (the next run finishes it). */
  pending: boolean;
}

export interface PipelineStatus {
  at: Date;
  streams: StreamHealth[];
  partitions: PartitionOffsets[];
  rejections: { groups: RejectionGroup[]; latest: RejectedRow[] };
  quality: { runs: QualityRunRow[]; checks: QualityCheckRow[] };
  jobs: { status: JobStatus[]; runs: JobRunRow[] };
  lake: LakeWatermark[];
}
