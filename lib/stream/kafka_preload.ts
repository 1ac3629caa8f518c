/**
 * Faster versions of two kafkajs 2.2.4 modules of its producer, put into its
 * module cache before kafkajs loads them: kafkajs's modules take each other
 * with `require` once, when they load, so a replacement has to be in the
 * cache first. The Kafka adapter's modules import this one before kafkajs;
 * `replaced` says whether it came first (lib/stream/kafka_preload_test.ts
 * checks it does, and that each replacement returns what the original does).
 *
 * - `groupMessagesPerPartition` copied a partition's whole list for every
 *   message it added (`[...current, message]`): quadratic in a send's size,
 *   11 % of the benchmark producer's CPU (a profile of 300k events).
 * - CRC-32C of each record batch: kafkajs's one-table loop, then an unsigned
 *   conversion through a new `Uint32Array`, 6 % of that CPU; the slicing-by-8
 *   one of the embedded log (crc32c.ts) computes the same checksum.
 */
import { createRequire } from "node:module";
import { crc32c } from "./crc32c.ts";

const require = createRequire(import.meta.url);

/** A message as kafkajs's partitioner sees it (only passed through here). */
type Message = unknown;

/** What kafkajs's `groupMessagesPerPartition` is called with. */
export interface GroupArgs {
  topic: string;
  partitionMetadata: unknown[];
  messages: Message[];
  partitioner: (
    a: { topic: string; partitionMetadata: unknown[]; message: Message },
  ) => number;
}

type Grouping = (a: GroupArgs) => Record<number, Message[]>;

/** kafkajs's grouping with one list per partition, appended to in place. */
export function groupMessagesPerPartition(
  { topic, partitionMetadata, messages, partitioner }: GroupArgs,
): Record<number, Message[]> {
  const groups: Record<number, Message[]> = {};
  if (partitionMetadata.length === 0) return groups;
  for (const message of messages) {
    const p = partitioner({ topic, partitionMetadata, message });
    (groups[p] ??= []).push(message);
  }
  return groups;
}

/** CRC-32C of a record batch, unsigned, as kafkajs's `crc32C` module returns it. */
export function recordBatchCrc(buffer: Uint8Array): number {
  return crc32c(buffer);
}

const GROUPING = "kafkajs/src/producer/groupMessagesPerPartition.js";
const CRC = "kafkajs/src/protocol/recordBatch/crc32C/index.js";
/** The modules that take the two above when they load. */
const TAKERS = [
  "kafkajs/src/producer/sendMessages.js",
  "kafkajs/src/protocol/recordBatch/v0/index.js",
];

/** kafkajs's own versions (for the tests). */
export const originals = {
  groupMessagesPerPartition: require(GROUPING) as Grouping,
  crc32C: require(CRC) as (buffer: Uint8Array) => number,
};

/** Whether kafkajs takes the versions above (false: it had loaded first). */
export const replaced: boolean = (() => {
  if (TAKERS.some((m) => require.cache[require.resolve(m)])) return false;
  require.cache[require.resolve(GROUPING)]!.exports = groupMessagesPerPartition;
  require.cache[require.resolve(CRC)]!.exports = recordBatchCrc;
  return true;
})();
