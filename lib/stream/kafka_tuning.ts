/** How a Kafka consumer fetches and how many partitions it handles at once. */

/** Tuning of the consumer; the defaults suit a processor on a small machine. */
export interface KafkaConsumerTuning {
  /** Partitions whose batches are handled at the same time. */
  concurrency: number;
  /** How soon a processor that died is noticed and its partitions handed over. */
  sessionTimeoutMs: number;
  /**
   * Fetch sizes. kafkajs decodes a whole fetch into objects before the
   * first batch is handled, so they bound the processor's memory: measured
   * on a 600k drain, 2 MiB/16 MiB peaked at 533 MiB RSS and 51k events/s,
   * 1 MiB per partition (6 MiB a fetch on raw.clickstream) at ~400 MiB and
   * 48k/s, 512 KiB/4 MiB at 327 MiB and 42k/s. Since the writes run one
   * fetch behind the reads (write_pipeline.ts) two fetches are alive at
   * once; on a 1M-event drain of `deno task bench --kafka` (bench process,
   * V8 flags below): 1 MiB/8 MiB drained 67.8k events/s at a 333 MiB peak,
   * 512 KiB/4 MiB 59.3k at 240 MiB, 768 KiB/6 MiB 67.1k at 287 MiB (and
   * 224–225 MiB for each of two `--role processor` processes). Once clicks
   * were COPYed straight into their table (clickstream.ts), 768 KiB/6 MiB
   * drained 80.5k and 82.3k events/s with the bench process at 272 and 256
   * MiB, but 4 of 16 `--role processor` processes peaked over 250 MiB (the
   * one holding every partition before the group rebalances); 512 KiB/4 MiB
   * drained 72.2k and 70.3k at 216 and 217 MiB, its processes at 170–229
   * MiB against 210–249, and two processes drained as fast (70.5k and 73.2k
   * events/s against 74.8k and 69.5k), in alternation.
   * `minBytes` lets a fetch wait (up to the batch wait) for 64 KiB rather
   * than return every few records.
   */
  maxBytesPerPartition: number;
  maxBytes: number;
  minBytes: number;
}

export const DEFAULT_TUNING: KafkaConsumerTuning = {
  // Every partition of the widest topic at once: a fetch cycle then waits
  // for one transaction, not two rounds of them (p99 766 -> 366 ms at 5k/s).
  concurrency: 6,
  sessionTimeoutMs: 10_000,
  maxBytesPerPartition: 512 * 1024,
  maxBytes: 4 * 1024 * 1024,
  minBytes: 64 * 1024,
};

/**
 * V8 flags a processor-only process runs with (DENO_V8_FLAGS, set in
 * compose.yaml's processor service). Deno sizes V8's heap for the machine
 * (4 GiB here) and lets it grow far past what a processor keeps alive: a
 * heap snapshot at the peak of a backlog drain held 69 MiB, while the heap
 * had grown to 200–240 MiB and the RSS to ~440 MiB. With these flags the
 * same 400k-event `deno task bench --kafka` peaked at ~255 MiB, no slower.
 * What a processor keeps alive is bounded by the fetch sizes above, so 512
 * MiB leaves it several times its need; the all-in-one process (pricing,
 * backtests, PGlite) keeps Deno's default.
 */
export const PROCESSOR_V8_FLAGS =
  "--max-old-space-size=512,--max-semi-space-size=8";
