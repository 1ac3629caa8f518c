/**
 * The partitioned-log seam. Two adapters implement it: the embedded,
 * file-backed log (`file_log.ts`) and Apache Kafka (`kafka_log.ts`).
 * Consumers never commit offsets to the log: `handleBatch` stores them in
 * PostgreSQL with the rows, and `loadOffsets` reads them back on assignment.
 */

/** A message to produce. The key decides the partition. */
export interface Message {
  key: string | null;
  value: Uint8Array | string;
  /** Producer timestamp in ms; defaults to now. */
  timestamp?: number;
}

/** A message as read back from the log. */
export interface LogRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Uint8Array;
  timestamp: number;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs?: number;
}

export interface ConsumerOptions {
  /** Consumer group; processors sharing it split the partitions. */
  groupId: string;
  topic: string;
  maxBatchSize: number;
  maxWaitMs: number;
  /** Next offset per partition for the partitions just assigned (absent = from the start). */
  loadOffsets(partitions: readonly number[]): Promise<Map<number, number>>;
  /**
   * Processes one batch and durably stores its offsets. Records are in offset
   * order within each partition. Throwing makes the consumer back off, reload
   * the stored offsets and read again.
   */
  handleBatch(records: readonly LogRecord[]): Promise<void>;
  /** Partitions currently owned, reported on every (re)assignment. */
  onAssign?(partitions: readonly number[]): void;
  /**
   * A partition this consumer will not read, and why in one sentence: its
   * stored offset is past the log end (the log was lost, reset or recreated
   * while PostgreSQL kept its offsets). The other partitions go on; the
   * operator chooses a position with `deno task offsets:reset`.
   */
  onRefuse?(partition: number, reason: string): void;
}

/** The sentence a consumer gives when a stored offset is past the log end. */
export function offsetPastEnd(
  topic: string,
  partition: number,
  stored: number,
  end: number,
): string {
  return `Cannot consume "${topic}" partition ${partition}: its stored offset ${stored} is past the log end ${end}, ` +
    `so the log was lost, reset or recreated while the database kept its offsets; ` +
    `stop the processors and run "deno task offsets:reset --topic ${topic}" to choose where to start`;
}

export interface ConsumerHandle {
  /** Stops fetching, lets the batch in flight finish, leaves the group. */
  stop(): Promise<void>;
  /** Settles when the consumer has stopped (rejects if it died). */
  readonly done: Promise<void>;
}

export interface EventLog {
  readonly kind: "embedded" | "kafka";
  /** Creates missing topics with explicit partition counts; checks existing ones. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** Appends messages; resolves once they are durable in the log. */
  send(topic: string, messages: readonly Message[]): Promise<void>;
  consume(opts: ConsumerOptions): Promise<ConsumerHandle>;
  /** Log-end offset per partition (the offset the next message will get). */
  endOffsets(topic: string): Promise<Map<number, number>>;
  /** Log-start offset per partition: the oldest offset retention has kept. */
  startOffsets(topic: string): Promise<Map<number, number>>;
  close(): Promise<void>;
}
