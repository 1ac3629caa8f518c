/**
 * Faster versions of three kafkajs 2.2.4 modules of its producer, put into its
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
 * - The default partitioner's murmur2 on BigInt-backed `Long`s, ~7 %: its
 *   result is the low 32 bits throughout, which `Math.imul` computes
 *   (partitioner.ts, the embedded log's placement).
 */
import { createRequire } from "node:module";
import { Buffer } from "node:buffer";
import { crc32c } from "./crc32c.ts";
import { murmur2 } from "./partitioner.ts";

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

/** kafkajs's murmur2 of a message key: a Buffer's bytes, else the UTF-8 of `String(key)`. */
export function keyMurmur2(key: unknown): number {
  return murmur2(Buffer.isBuffer(key) ? key : Buffer.from(String(key)));
}

const GROUPING = "kafkajs/src/producer/groupMessagesPerPartition.js";
const CRC = "kafkajs/src/protocol/recordBatch/crc32C/index.js";
const MURMUR2 = "kafkajs/src/producer/partitioners/default/murmur2.js";
/** The modules that take the three above when they load. */
const TAKERS = [
  "kafkajs/src/producer/sendMessages.js",
  "kafkajs/src/protocol/recordBatch/v0/index.js",
  "kafkajs/src/producer/partitioners/default/index.js",
];

/** kafkajs's own versions (for the tests). */
export const originals = {
  groupMessagesPerPartition: require(GROUPING) as Grouping,
  crc32C: require(CRC) as (buffer: Uint8Array) => number,
  murmur2: require(MURMUR2) as (key: unknown) => number,
};

/** Whether kafkajs takes the versions above (false: it had loaded first). */
export const replaced: boolean = (() => {
  if (TAKERS.some((m) => require.cache[require.resolve(m)])) return false;
  require.cache[require.resolve(GROUPING)]!.exports = groupMessagesPerPartition;
  require.cache[require.resolve(CRC)]!.exports = crc32c;
  require.cache[require.resolve(MURMUR2)]!.exports = keyMurmur2;
  return true;
})();
