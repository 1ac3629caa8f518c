import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseEvent } from "../events/schema.ts";
import type { StreamName } from "../stream/topics.ts";
import { contentHash } from "./content.ts";

const ref = {
  products: new Set(["P001"]),
  warehouses: new Set(["WH-EAST"]),
  competitors: new Set(["RivalMart"]),
};
const ids = (n: number) => `${n}b9f3c1e-8a4e-4c1e-9e4e-1c2d3e4f5a6b`;
const product = {
  product_id: "P001",
  product_name: "Kettle",
  product_category: "Kitchen",
};

/**
 * Payloads in a scrambled key order, with an upper-case UUID and an offset
 * zone, and the hash each has been stored with since content hashes began.
 */
const STORED: [StreamName, Record<string, unknown>, string][] = [
  ["clickstream", {
    device_type: "mobile",
    event_type: "add_to_cart",
    product_price: 19.99,
    event_id: ids(0).toUpperCase(),
    user_id: "user_42",
    session_id: ids(1),
    ...product,
    timestamp: "2026-11-26T07:59:00.000Z",
  }, "917356083c92b26de997307c12996d43c6fa605668be89763ea3770be83b1c71"],
  ["clickstream", {
    event_type: "page_view",
    event_id: ids(2),
    user_id: "user_42",
    session_id: ids(1),
    product_id: null,
    product_name: null,
    product_category: null,
    product_price: null,
    timestamp: "2026-11-26T07:59:00+00:00",
    device_type: "desktop",
  }, "3478115aea4066e0b20456fabc4b12525c2fc09a40d87c504fdd9ffe07d0f6b5"],
  ["inventory", {
    event_id: ids(3),
    ...product,
    event_type: "stock_sold",
    quantity_change: -2,
    warehouse_id: "WH-EAST",
    timestamp: "2026-11-26T07:59:00.000Z",
  }, "4098b99dc8791e55051d13d1687984953facd6889b8e5268451d0400cb4b03c7"],
  ["competitor", {
    event_id: ids(4),
    ...product,
    competitor_name: "RivalMart",
    competitor_price: 18.5,
    our_price: 19.99,
    price_difference: -1.49,
    price_difference_pct: -7.45,
    timestamp: "2026-11-26T07:59:00.000Z",
  }, "c21598813e59855be064bde940b3397946cfcad5546a768b579fc8707195b5e8"],
];

Deno.test("content hash - a validated event hashes as it always has, so a redelivery after an upgrade is no conflict", () => {
  const now = Date.parse("2026-11-26T08:00:00.000Z");
  for (const [stream, payload, stored] of STORED) {
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    const p = parseEvent(stream, bytes, ref, now);
    if (!p.ok) throw new Error(p.reason);
    assertEquals(contentHash(p.event), stored, JSON.stringify(payload));
  }
});
