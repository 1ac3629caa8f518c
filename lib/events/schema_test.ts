import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
} from "node:assert/strict";
import { parseEvent, type Reference } from "./schema.ts";
import fc from "fast-check";
import { ShopSimulator } from "../generators/mod.ts";
import { COMPETITORS, PRODUCTS, WAREHOUSES } from "../catalog.ts";
import type { StreamName } from "../stream/topics.ts";

const ref: Reference = {
  products: new Set(PRODUCTS.map((p) => p.id)),
  warehouses: new Set(WAREHOUSES),
  competitors: new Set(COMPETITORS),
};
const NOW = Date.parse("2026-11-25T12:00:00Z");
const enc = new TextEncoder();
const sim = new ShopSimulator({ seed: "schema" });

function valid(stream: StreamName): Record<string, unknown> {
  if (stream === "clickstream") {
    // A product event, so every product field is present.
    for (;;) {
      const e = sim.make("clickstream", NOW);
      if (e.event_type !== "page_view") return { ...e };
    }
  }
  return { ...sim.make(stream, NOW) };
}

function reject(
  stream: StreamName,
  payload: unknown,
): { reason: string; field: string | null } {
  const bytes = payload instanceof Uint8Array
    ? payload
    : enc.encode(JSON.stringify(payload));
  const r = parseEvent(stream, bytes, ref, NOW);
  if (r.ok) {
    throw new Error(
      `expected a rejection for ${JSON.stringify(payload).slice(0, 80)}`,
    );
  }
  return r;
}

Deno.test("event schema - accepts what the generators produce", () => {
  for (const stream of ["clickstream", "inventory", "competitor"] as const) {
    for (let i = 0; i < 200; i++) {
      const e = sim.make(stream, NOW);
      const r = parseEvent(stream, enc.encode(JSON.stringify(e)), ref, NOW);
      assertEquals(r.ok, true, JSON.stringify(r));
    }
  }
});

Deno.test("event schema - refuses payloads that are not JSON objects, saying so", () => {
  assertMatch(
    reject("clickstream", enc.encode("{not json")).reason,
    /not valid UTF-8 JSON/,
  );
  assertMatch(
    reject("clickstream", enc.encode("[1,2]")).reason,
    /not a JSON object/,
  );
  assertMatch(
    reject("clickstream", new Uint8Array([0xff, 0xfe, 0x7b])).reason,
    /not valid UTF-8 JSON/,
  );
  assertMatch(
    reject("inventory", new Uint8Array(70_000).fill(32)).reason,
    /70000 bytes, over the 65536 byte limit/,
  );
});

Deno.test("event schema - bytes that are not UTF-8 inside a text field are refused; a U+FFFD is kept", () => {
  const e = valid("clickstream");
  const [head, tail] = JSON.stringify({ ...e, product_name: "@" }).split("@");
  const withName = (bytes: Uint8Array) =>
    new Uint8Array([...enc.encode(head), ...bytes, ...enc.encode(tail)]);
  const strict = new TextDecoder("utf-8", { fatal: true });
  // Every byte string in the name: refused as "not valid UTF-8 JSON"
  // exactly when a strict decoder and JSON.parse refuse the payload
  // (otherwise accepted, or refused for another reason).
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 12 }),
        fc.string({ unit: "binary", maxLength: 6 }).map((t) => enc.encode(t)),
      ),
      (bytes) => {
        const payload = withName(bytes);
        let readable = true;
        try {
          JSON.parse(strict.decode(payload));
        } catch {
          readable = false;
        }
        const r = parseEvent("clickstream", payload, ref, NOW);
        const unreadable = !r.ok && /not valid UTF-8 JSON/.test(r.reason);
        assertEquals(unreadable, !readable);
      },
    ),
    { numRuns: 3_000 },
  );
  assertMatch(
    reject("clickstream", withName(new Uint8Array([0x43, 0xff, 0x65])))
      .reason,
    /not valid UTF-8 JSON/,
  );
  const kept = parseEvent(
    "clickstream",
    withName(enc.encode("Caf\uFFFD")),
    ref,
    NOW,
  );
  assertEquals(kept.ok && kept.event.product_name, "Caf\uFFFD");
});

const cases: [StreamName, string, unknown, RegExp][] = [
  ["clickstream", "event_type", undefined, /field "event_type" is missing/],
  [
    "clickstream",
    "event_type",
    "checkout",
    /field "event_type" has unknown value "checkout", expected one of/,
  ],
  [
    "clickstream",
    "event_id",
    "abc",
    /field "event_id" must be a UUID, got "abc"/,
  ],
  [
    "clickstream",
    "session_id",
    42,
    /field "session_id" must be a non-empty string, got 42/,
  ],
  [
    "clickstream",
    "product_id",
    "P999",
    /field "product_id" names unknown product "P999"/,
  ],
  [
    "clickstream",
    "product_price",
    "12.5",
    /field "product_price" must be a number, got "12.5"/,
  ],
  [
    "clickstream",
    "product_price",
    -3,
    /field "product_price" must be positive, got -3/,
  ],
  [
    "clickstream",
    "device_type",
    "watch",
    /field "device_type" has unknown value "watch"/,
  ],
  [
    "clickstream",
    "timestamp",
    "yesterday",
    /field "timestamp" must be ISO-8601 with a zone/,
  ],
  [
    "clickstream",
    "timestamp",
    "2026-11-25T12:06:00Z",
    /field "timestamp" is 360 s in the future/,
  ],
  [
    "clickstream",
    "timestamp",
    "2024-02-30T10:00:00Z",
    /field "timestamp" is not a calendar time, got "2024-02-30T10:00:00Z": day 30 does not exist in 2024-02/,
  ],
  [
    "inventory",
    "timestamp",
    "2026-11-24T24:00:00Z",
    /field "timestamp" is not a calendar time, got .*: time 24:00:00 does not exist/,
  ],
  [
    "competitor",
    "timestamp",
    "0001-01-01T00:00:00Z",
    /field "timestamp" "0001-01-01T00:00:00Z" is before 2000-01-01T00:00:00.000Z, the earliest accepted/,
  ],
  [
    "competitor",
    "timestamp",
    "2026-13-01T00:00:00Z",
    /month 13 does not exist/,
  ],
  [
    "inventory",
    "timestamp",
    "2026-11-25T10:00:00+25:00",
    /zone offset \+25:00 does not exist/,
  ],
  [
    "clickstream",
    "user_id",
    "user_0001\u0000\u0007",
    /field "user_id" contains a control character/,
  ],
  [
    "inventory",
    "warehouse_id",
    "WH-KANO",
    /field "warehouse_id" has unknown value "WH-KANO"/,
  ],
  [
    "inventory",
    "quantity_change",
    2.5,
    /field "quantity_change" must be an integer, got 2.5/,
  ],
  ["inventory", "quantity_change", 0, /field "quantity_change" must not be 0/],
  [
    "inventory",
    "product_id",
    "P000",
    /field "product_id" names unknown product "P000"/,
  ],
  [
    "competitor",
    "competitor_name",
    "ShopRite",
    /field "competitor_name" has unknown value "ShopRite"/,
  ],
  [
    "competitor",
    "competitor_price",
    0,
    /field "competitor_price" must be positive, got 0/,
  ],
  ["competitor", "our_price", null, /field "our_price" is missing/],
  [
    "competitor",
    "competitor_price",
    0.001,
    /field "competitor_price" must be a price of at least 0.01, got 0.001/,
  ],
  [
    "clickstream",
    "product_price",
    0.004,
    /field "product_price" must be a price of at least 0.01, got 0.004/,
  ],
];

for (const [stream, field, value, reason] of cases) {
  Deno.test(`event schema - ${stream} with ${field}=${JSON.stringify(value)} is refused naming the field`, () => {
    const e = valid(stream);
    if (value === undefined) delete e[field];
    else e[field] = value;
    const r = reject(stream, e);
    assertMatch(r.reason, reason);
    assertEquals(r.field, field);
  });
}

Deno.test("event schema - a page_view must not name a product", () => {
  const e = {
    ...sim.make("clickstream", NOW),
    event_type: "page_view",
    product_id: "P001",
  };
  const r = reject("clickstream", e);
  assertEquals(r.field, "product_id");
  assertMatch(r.reason, /must be null for page_view/);
});

Deno.test("event schema - a sale takes stock out: stock_sold with a negative quantity is accepted, a positive one refused", () => {
  const sale = { ...valid("inventory"), event_type: "stock_sold" };
  const parse = (q: number) =>
    parseEvent(
      "inventory",
      enc.encode(JSON.stringify({ ...sale, quantity_change: q })),
      ref,
      NOW,
    );
  assertEquals(parse(-1).ok, true);
  assertEquals(parse(-3).ok, true);
  const r = reject("inventory", { ...sale, quantity_change: 2 });
  assertEquals(r.field, "quantity_change");
  assertMatch(r.reason, /must be negative for stock_sold, got 2/);
});

Deno.test("event schema - a timestamp up to five minutes ahead is accepted as clock skew", () => {
  const e = { ...valid("inventory"), timestamp: "2026-11-25T12:04:59Z" };
  assertEquals(
    parseEvent("inventory", enc.encode(JSON.stringify(e)), ref, NOW).ok,
    true,
  );
});

Deno.test("event schema - 29 February exists in a leap year only, and the time limits are settings", () => {
  const at = (timestamp: string) =>
    parseEvent(
      "inventory",
      enc.encode(JSON.stringify({ ...valid("inventory"), timestamp })),
      ref,
      NOW,
    );
  assertEquals(at("2024-02-29T23:59:59Z").ok, true);
  assertEquals(at("2025-02-29T00:00:00Z").ok, false);
  const e = enc.encode(
    JSON.stringify({
      ...valid("inventory"),
      timestamp: "1999-12-31T23:00:00Z",
    }),
  );
  assertEquals(parseEvent("inventory", e, ref, NOW).ok, false);
  const lenient = { maxFutureMs: 0, minTimestampMs: Date.UTC(1990, 0, 1) };
  assertEquals(parseEvent("inventory", e, ref, NOW, lenient).ok, true);
});

Deno.test("event schema - a rejection carries the payload's event_id and product_id when it has them, to key it by", () => {
  const e: Record<string, unknown> = {
    ...valid("clickstream"),
    product_id: "P999",
  };
  const r = parseEvent("clickstream", enc.encode(JSON.stringify(e)), ref, NOW);
  if (r.ok) throw new Error("expected a rejection");
  assertEquals([r.eventId, r.productId, r.code], [
    e.event_id,
    "P999",
    "unknown_product",
  ]);
  const junk = parseEvent("clickstream", enc.encode("{not json"), ref, NOW);
  if (junk.ok) throw new Error("expected a rejection");
  assertEquals([junk.eventId, junk.productId], [null, null]);
});
