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
   * 48k/s, 512 KiB/4 MiB at 327 MiB and 42k/s.
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
  maxBytesPerPartition: 1024 * 1024,
  maxBytes: 8 * 1024 * 1024,
  minBytes: 64 * 1024,
};
