import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { crc32c } from "./crc32c.ts";

const enc = new TextEncoder();

/** The byte-at-a-time definition, to check the sliced tables against. */
function slowCrc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

Deno.test("crc32c - matches the published check values", () => {
  // "123456789" is the standard check input; the 32-byte vectors are RFC 3720's (iSCSI), B.4.
  assertEquals(crc32c(enc.encode("123456789")), 0xe3069283);
  assertEquals(crc32c(new Uint8Array(0)), 0);
  assertEquals(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assertEquals(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assertEquals(
    crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)),
    0x46dd794e,
  );
  assertEquals(
    crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)),
    0x113fdb5c,
  );
});

Deno.test("crc32c - the sliced tables equal the bitwise definition at every length and alignment", () => {
  const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff);
  for (let start = 0; start < 9; start++) {
    for (let len = 0; len + start <= data.length; len += 13) {
      const piece = data.subarray(start, start + len);
      assertEquals(crc32c(piece), slowCrc32c(piece), `at ${start}+${len}`);
    }
  }
});

Deno.test("crc32c - continues a checksum over several pieces", () => {
  const all = enc.encode("the quick brown fox jumps over the lazy dog");
  assertEquals(
    crc32c(all.subarray(11), crc32c(all.subarray(0, 11))),
    crc32c(all),
  );
});
