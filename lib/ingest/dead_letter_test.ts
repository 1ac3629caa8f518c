import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { deadLetterEnvelope, MAX_ENVELOPE_BYTES } from "./dead_letter.ts";
import type { Rejection } from "./types.ts";

function rejection(value: Uint8Array): Rejection {
  return {
    record: {
      topic: "raw.competitor_prices",
      partition: 1,
      offset: 7,
      key: "P001",
      value,
      timestamp: 0,
    },
    reason: "payload is not valid UTF-8 JSON",
    field: null,
    eventId: null,
    kind: "invalid",
  };
}

const size = (s: string) => new TextEncoder().encode(s).length;

Deno.test("dead letter - a 700 KiB payload of 0x01 bytes makes an envelope of at most 1 MiB once encoded", () => {
  const text = deadLetterEnvelope(
    "raw.competitor_prices",
    rejection(new Uint8Array(700 * 1024).fill(1)),
  );
  assert(size(text) <= MAX_ENVELOPE_BYTES, `${size(text)} bytes`);
  const e = JSON.parse(text);
  assertEquals([e.payload_bytes, e.payload_truncated], [716_800, true]);
  assert(e.payload.length > 100_000, "most of what fits is kept");
});

Deno.test("dead letter - a small payload is carried whole", () => {
  const e = JSON.parse(
    deadLetterEnvelope("raw.clickstream", rejection(new Uint8Array([123, 1]))),
  );
  assertEquals([e.payload, e.payload_truncated, e.offset], [
    "{\u0001",
    false,
    7,
  ]);
});

Deno.test("dead letter - the bound holds for any escaping ratio", () => {
  for (const byte of [0x22, 0x5c, 0x0a, 0x41, 0xff]) {
    const text = deadLetterEnvelope(
      "raw.clickstream",
      rejection(new Uint8Array(64 * 1024).fill(byte)),
      16 * 1024,
    );
    assert(size(text) <= 16 * 1024, `byte ${byte}: ${size(text)} bytes`);
  }
});
