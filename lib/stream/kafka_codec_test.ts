import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Buffer } from "node:buffer";
import fc from "fast-check";
import { Decoder, Encoder, Long, original } from "./kafka_codec.ts";

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
/** Numbers and BigInts of every size a varlong can hold, small ones most often. */
const longs = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.integer().map((n) => n * 2 ** 20),
  int64,
  int64.map(String),
);

/** The bytes `write` leaves in a fresh encoder. */
function bytes(write: (e: InstanceType<typeof Encoder>) => void): number[] {
  const e = new Encoder();
  write(e);
  return [...e.buffer];
}

Deno.test("kafka codec - varints are written exactly as kafkajs writes them", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer(), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
      (v) => {
        assertEquals(
          bytes((e) => e.writeUVarInt(v)),
          bytes((e) => original.writeUVarInt.call(e, v)),
        );
        assertEquals(
          bytes((e) => e.writeVarInt(v)),
          bytes((e) => original.writeUVarInt.call(e, (v << 1) ^ (v >> 31))),
        );
      },
    ),
    { numRuns: 20_000 },
  );
});

Deno.test("kafka codec - varlongs are written and sized exactly as kafkajs does", () => {
  fc.assert(
    fc.property(longs, (v) => {
      const fast = bytes((e) => e.writeVarLong(v));
      assertEquals(fast, bytes((e) => original.writeVarLong.call(e, v)));
      assertEquals(Encoder.sizeOfVarLong(v), fast.length);
      assertEquals(
        Encoder.sizeOfVarLong(v),
        original.sizeOfVarLong.call(Encoder, v),
      );
    }),
    { numRuns: 20_000 },
  );
});

Deno.test("kafka codec - varlongs read back as kafkajs reads them, and where they end", () => {
  fc.assert(
    fc.property(longs, fc.integer({ min: 0, max: 3 }), (v, pad) => {
      const b = Buffer.from([
        ...bytes((e) => original.writeVarLong.call(e, v)),
        ...new Array(pad).fill(7),
      ]);
      const fast = new Decoder(b), slow = new Decoder(b);
      const a = fast.readVarLong(), o = original.readVarLong.call(slow);
      assertEquals(a.toString(), o.toString());
      assertEquals(a.toString(), BigInt(v).toString());
      assertEquals(fast.offset, slow.offset);
    }),
    { numRuns: 20_000 },
  );
});

Deno.test("kafka codec - Longs made from strings equal kafkajs's, however the strings repeat", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.constantFrom(
          "0",
          "-1",
          "1732600000000",
          "9223372036854775807",
          "42",
        ),
        { minLength: 1, maxLength: 20 },
      ),
      (strings) => {
        for (const s of strings) {
          const l = Long.fromString(s);
          assertEquals(l.value, original.fromString.call(Long, s).value);
          assertEquals(
            Long.fromValue(s).add(3).toString(),
            String(BigInt(s) + 3n),
          );
        }
      },
    ),
  );
});
