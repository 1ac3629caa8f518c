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
        fc.string({ unit: "binary", maxLength: 60 }),
        fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)),
        fc.integer(),
      ),
      (key) => assertEquals(keyMurmur2(key), originals.murmur2(key)),
    ),
    { numRuns: 5_000 },
  );
});

Deno.test("kafka preload - kafkajs takes the replacements", () => {
  assertEquals(replaced, true);
  const require = createRequire(import.meta.url);
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
});
