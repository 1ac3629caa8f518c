import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import {
  checkFrame,
  decodeFrame,
  encodeFrames,
  type Entry,
  scanFrames,
} from "./record_frame.ts";

const enc = new TextEncoder();
const list: Entry[] = [
  { key: "P001", value: enc.encode('{"a":1}'), timestamp: 1.5 },
  { key: null, value: new Uint8Array(0), timestamp: 0 },
  { key: "", value: enc.encode("ü"), timestamp: 1_700_000_000_000 },
];

Deno.test("record frame - encodes and decodes keys, null keys, empty values and offsets past 2^32", () => {
  const first = 2 ** 32 + 7;
  const { bytes, starts } = encodeFrames(list, first);
  for (let i = 0; i < list.length; i++) {
    const check = checkFrame(bytes, starts[i]!);
    ok(check.ok);
    assertEquals(check.offset, first + i);
    assertEquals(starts[i]! + check.size, starts[i + 1] ?? bytes.length);
    assertEquals(decodeFrame(bytes, starts[i]!), list[i]);
  }
});

Deno.test("record frame - any flipped bit makes the frame fail its check", () => {
  const { bytes } = encodeFrames([list[0]!], 0);
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    const copy = bytes.slice();
    copy[bit >> 3]! ^= 1 << (bit & 7);
    ok(!checkFrame(copy, 0).ok, `bit ${bit}`);
  }
});

Deno.test("record frame - a scan stops at a cut frame and says where", () => {
  const { bytes, starts } = encodeFrames(list, 0);
  const cut = bytes.subarray(0, bytes.length - 2);
  const seen: number[] = [];
  const stop = scanFrames(
    (pos, n) => cut.slice(pos, pos + n),
    0,
    cut.length,
    (_b, _a, offset) => (seen.push(offset), true),
  );
  assertEquals(seen, [0, 1]);
  assertEquals(stop, { pos: starts[2], problem: "the frame is cut" });
});
