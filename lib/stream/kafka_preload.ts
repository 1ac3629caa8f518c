/**
 * Faster versions of five kafkajs 2.2.4 modules of its producer, put into its
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
 * - Its record and record-batch encoders, which made a zero-filled buffer per
 *   record and copied each batch three times (kafka_records.ts).
 */
import { createRequire } from "node:module";
import { Buffer } from "node:buffer";
import { crc32c } from "./crc32c.ts";
import { murmur2 } from "./partitioner.ts";
import {
  type BatchArgs,
  batchEncoder,
  type Encoder,
  type EncoderClass,
  type RecordArgs,
  recordEncoder,
} from "./kafka_records.ts";

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

const utf8 = new TextEncoder();
/** Room for the UTF-8 of a key (product ids and user ids are far shorter). */
const keyBytes = new Uint8Array(256);

/** kafkajs's murmur2 of a message key: a Buffer's bytes, else the UTF-8 of `String(key)`. */
export function keyMurmur2(key: unknown): number {
  if (Buffer.isBuffer(key)) return murmur2(key);
  const text = String(key);
  if (text.length * 3 > keyBytes.length) return murmur2(Buffer.from(text));
  return murmur2(keyBytes, utf8.encodeInto(text, keyBytes).written);
}

const GROUPING = "kafkajs/src/producer/groupMessagesPerPartition.js";
const CRC = "kafkajs/src/protocol/recordBatch/crc32C/index.js";
const MURMUR2 = "kafkajs/src/producer/partitioners/default/murmur2.js";
const RECORD = "kafkajs/src/protocol/recordBatch/record/v0/index.js";
const BATCH = "kafkajs/src/protocol/recordBatch/v0/index.js";
/** The modules that take the five above when they load. */
const TAKERS = [
  "kafkajs/src/producer/sendMessages.js",
  BATCH,
  "kafkajs/src/producer/partitioners/default/index.js",
  "kafkajs/src/protocol/requests/produce/v3/request.js",
];

type BatchEncoder = (args: BatchArgs) => Promise<Encoder>;

/** kafkajs's own versions (for the tests; its batch encoder once replaced). */
export const originals: {
  groupMessagesPerPartition: Grouping;
  crc32C: (buffer: Uint8Array) => number;
  murmur2: (key: unknown) => number;
  record: (args: RecordArgs) => Encoder;
  recordBatch?: BatchEncoder;
} = {
  groupMessagesPerPartition: require(GROUPING) as Grouping,
  crc32C: require(CRC) as (buffer: Uint8Array) => number,
  murmur2: require(MURMUR2) as (key: unknown) => number,
  record: require(RECORD) as (args: RecordArgs) => Encoder,
};

/** Whether kafkajs takes the versions above (false: it had loaded first). */
export const replaced: boolean = (() => {
  if (TAKERS.some((m) => require.cache[require.resolve(m)])) return false;
  require.cache[require.resolve(GROUPING)]!.exports = groupMessagesPerPartition;
  require.cache[require.resolve(CRC)]!.exports = crc32c;
  require.cache[require.resolve(MURMUR2)]!.exports = keyMurmur2;
  const E = require("kafkajs/src/protocol/encoder.js") as EncoderClass;
  const Long = require("kafkajs/src/utils/long.js") as {
    fromInt(n: number): unknown;
    fromValue(v: unknown): unknown;
  };
  require.cache[require.resolve(RECORD)]!.exports = recordEncoder(
    E,
    originals.record,
  );
  // Loaded after the CRC's replacement, so kafkajs's own batch encoder (still
  // used for compressed batches) takes it too.
  const batch = require(BATCH) as { RecordBatch: BatchEncoder };
  originals.recordBatch = batch.RecordBatch;
  batch.RecordBatch = batchEncoder(E, originals.recordBatch, {
    firstOffset: () => Long.fromInt(0),
    producerId: () => Long.fromValue(-1),
  });
  return true;
})();
