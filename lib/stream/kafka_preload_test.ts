// As the Kafka adapter loads them: this module's first import is the
// preload, then kafkajs (the order the "takes" test checks).
import "./kafka_log.ts";
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { createRequire } from "node:module";
import { Buffer } from "node:buffer";
import fc from "fast-check";
import {
  groupMessagesPerPartition,
  keyMurmur2,
  originals,
  replaced,
} from "./kafka_preload.ts";
import { crc32c } from "./crc32c.ts";
import type { BatchArgs, RecordArgs } from "./kafka_records.ts";

const require = createRequire(import.meta.url);
const Record = require("kafkajs/src/protocol/recordBatch/record/v0/index.js");
const { RecordBatch } = require("kafkajs/src/protocol/recordBatch/v0/index.js");
const Long = require("kafkajs/src/utils/long.js");

/** A key or value as a producer may give it. */
const bytesOrText = fc.oneof(
  fc.constant(null),
  fc.string({ unit: "binary", maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
);

const recordArgs: fc.Arbitrary<RecordArgs> = fc.record({
  offsetDelta: fc.nat({ max: 100_000 }),
  timestampDelta: fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000_000 }),
    fc.maxSafeInteger(),
  ),
  key: bytesOrText,
  value: bytesOrText,
  headers: fc.option(
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 10 }), {
      maxKeys: 2,
    }),
    { nil: undefined },
  ),
});

Deno.test("kafka preload - messages are grouped per partition exactly as kafkajs groups them", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ key: fc.string(), value: fc.string() }), {
        maxLength: 300,
      }),
      fc.integer({ min: 0, max: 8 }),
      (messages, partitions) => {
        const args = {
          topic: "t",
          partitionMetadata: Array.from({ length: partitions }, (_, i) => i),
          messages,
          partitioner: ({ message }: { message: unknown }) =>
            (message as { key: string }).key.length % Math.max(partitions, 1),
        };
        assertEquals(
          groupMessagesPerPartition(args),
          originals.groupMessagesPerPartition(args),
        );
      },
    ),
    { numRuns: 2_000 },
  );
});

Deno.test("kafka preload - record batches get kafkajs's CRC-32C", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
      const b = Buffer.from(bytes);
      assertEquals(crc32c(b), originals.crc32C(b));
    }),
    { numRuns: 2_000 },
  );
});

Deno.test("kafka preload - keys hash as kafkajs's murmur2 hashes them", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        // Past 85 characters the key may not fit the scratch buffer.
        fc.string({ unit: "binary", maxLength: 120 }),
        fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)),
        fc.integer(),
      ),
      (key) => assertEquals(keyMurmur2(key), originals.murmur2(key)),
    ),
    { numRuns: 5_000 },
  );
});

Deno.test("kafka preload - records are encoded exactly as kafkajs encodes them", () => {
  fc.assert(
    fc.property(recordArgs, (args) => {
      assertEquals([...Record(args).buffer], [
        ...originals.record(args).buffer,
      ]);
    }),
    { numRuns: 3_000 },
  );
});

Deno.test("kafka preload - record batches are encoded exactly as kafkajs encodes them", async () => {
  const timestamp = fc.integer({ min: 0, max: 2 ** 42 }).map(String);
  await fc.assert(
    fc.asyncProperty(
      fc.array(recordArgs, { maxLength: 40 }),
      fc.record({
        firstTimestamp: timestamp,
        maxTimestamp: timestamp,
        transactional: fc.boolean(),
        producerId: fc.oneof(
          fc.constant(Long.fromInt(-1)),
          fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map((n) =>
            Long.fromString(String(n))
          ),
        ),
        producerEpoch: fc.nat({ max: 32_767 }),
        firstSequence: fc.nat(),
        partitionLeaderEpoch: fc.nat(),
      }),
      async (records, rest) => {
        const args: BatchArgs = {
          ...rest,
          records: records.map((r, i) => Record({ ...r, offsetDelta: i })),
          lastOffsetDelta: records.length - 1,
        };
        const ours = await RecordBatch(args);
        const theirs = await originals.recordBatch!(args);
        assertEquals([...ours.buffer], [...theirs.buffer]);
        assertEquals(ours.size(), theirs.size());
      },
    ),
    { numRuns: 1_000 },
  );
});

Deno.test("kafka preload - kafkajs takes the replacements", () => {
  assertEquals(replaced, true);
  // Loaded only now (lazily, as at a first send), it still finds them.
  require("kafkajs/src/protocol/recordBatch/v0/index.js");
  assertEquals(
    require("kafkajs/src/producer/groupMessagesPerPartition.js"),
    groupMessagesPerPartition,
  );
  assertEquals(
    require("kafkajs/src/protocol/recordBatch/crc32C/index.js"),
    crc32c,
  );
  assertEquals(
    require("kafkajs/src/producer/partitioners/default/murmur2.js"),
    keyMurmur2,
  );
  assertEquals(Record === originals.record, false);
  assertEquals(RecordBatch === originals.recordBatch, false);
});
