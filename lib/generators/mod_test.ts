import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { ShopSimulator } from "./mod.ts";
import { PRODUCT_BY_ID, PRODUCTS, WAREHOUSES } from "../catalog.ts";
import { applyMoves } from "../ingest/inventory.ts";
import type {
  ClickEvent,
  CompetitorEvent,
  InventoryEvent,
} from "../events/schema.ts";

const T0 = Date.parse("2026-11-25T00:00:00Z");

function within(
  actual: number,
  expected: number,
  tolerance: number,
  what: string,
): void {
  ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual.toFixed(4)} not within ${expected} ± ${tolerance}`,
  );
}

function share<T>(items: T[], pick: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(pick(i), (m.get(pick(i)) ?? 0) + 1);
  for (const [k, v] of m) m.set(k, v / items.length);
  return m;
}

/** An hour of simulated traffic at rate 1, from a fixed seed. */
function simulateHour(seed: string, customers?: number) {
  const sim = new ShopSimulator({ seed, start: T0, customers });
  const out = {
    clickstream: [] as ClickEvent[],
    inventory: [] as InventoryEvent[],
    competitor: [] as CompetitorEvent[],
  };
  for (let t = T0; t <= T0 + 3600_000; t += 50) {
    for (const e of sim.due(t)) (out[e.stream] as unknown[]).push(e.event);
  }
  return out;
}

const hour = simulateHour("mix");

Deno.test("generators - rates at rate 1: clickstream 5-15/s, a stock_sold per purchase plus ~20 housekeeping moves an hour, competitor one per 2-5 s", () => {
  within(hour.clickstream.length / 3600, 9.1, 1.0, "clickstream events/s"); // mean of 1/U(5,15) gaps is 9.1/s
  const purchases = hour.clickstream.filter((e) => e.event_type === "purchase");
  const sold = hour.inventory.filter((e) => e.event_type === "stock_sold");
  assertEquals(sold.length, purchases.length);
  within(purchases.length, 320, 60, "purchases in the hour"); // the demand model's rate at list prices
  const housekeeping = hour.inventory.length - sold.length;
  within(housekeeping, 20, 3, "housekeeping moves in the hour"); // one per U(120, 240) s
  within(hour.competitor.length / 3600, 1 / 3.5, 0.03, "competitor events/s");
});

Deno.test("generators - session outcomes are about 70/20/8/2 and devices 55/35/10", () => {
  const sessions = new Map<string, ClickEvent[]>();
  for (const e of hour.clickstream) {
    sessions.set(e.session_id, [...(sessions.get(e.session_id) ?? []), e]);
  }
  const outcome = (events: ClickEvent[]) => {
    const types = new Set(events.map((e) => e.event_type));
    if (types.has("purchase")) return "purchase";
    if (types.has("add_to_cart")) return "cart";
    if (types.has("product_view")) return "view";
    return "browse";
  };
  // Sessions still open at the end of the hour are cut short; they are few.
  const mix = share([...sessions.values()], outcome);
  within(mix.get("browse")!, 0.70, 0.03, "page-view-only sessions");
  within(mix.get("view")!, 0.20, 0.03, "product-view sessions");
  within(mix.get("cart")!, 0.08, 0.02, "add-to-cart sessions");
  within(mix.get("purchase")!, 0.02, 0.01, "purchase sessions");
  const devices = share([...sessions.values()], (s) => s[0]!.device_type);
  within(devices.get("mobile")!, 0.55, 0.03, "mobile");
  within(devices.get("desktop")!, 0.35, 0.03, "desktop");
  within(devices.get("tablet")!, 0.10, 0.02, "tablet");
  for (const events of sessions.values()) {
    assertEquals(
      new Set(events.map((e) => e.device_type)).size,
      1,
      "a session keeps its device",
    );
  }
});

Deno.test("generators - a session follows the state machine: page views first, purchases only of carted products", () => {
  const sessions = new Map<string, ClickEvent[]>();
  for (const e of hour.clickstream) {
    sessions.set(e.session_id, [...(sessions.get(e.session_id) ?? []), e]);
  }
  for (const events of sessions.values()) {
    assertEquals(events[0]!.event_type, "page_view");
    const carted = new Set(
      events.filter((e) => e.event_type === "add_to_cart").map((e) =>
        e.product_id
      ),
    );
    for (
      const e of events.filter((e) =>
        e.event_type === "purchase" || e.event_type === "remove_from_cart"
      )
    ) {
      ok(
        carted.has(e.product_id),
        `${e.event_type} of ${e.product_id} that was never carted`,
      );
    }
  }
  assertEquals(new Set(hour.clickstream.map((e) => e.user_id)).size, 50);
});

Deno.test("generators - sessions belong to a customer base where returning customers come back more often", () => {
  const shop = simulateHour("customers", 5000);
  const firstOf = new Map<string, string>();
  for (const e of shop.clickstream) {
    const user = firstOf.get(e.session_id);
    if (user !== undefined) {
      assertEquals(e.user_id, user, "a session keeps its customer");
    } else firstOf.set(e.session_id, e.user_id);
  }
  const sessionsOf = new Map<string, number>();
  for (const user of firstOf.values()) {
    sessionsOf.set(user, (sessionsOf.get(user) ?? 0) + 1);
  }
  const ids = [...sessionsOf.keys()].map((u) => Number(u.slice(5)));
  ok(ids.every((i) => i >= 1 && i <= 5000), "ids within the base");
  // ~13k sessions over 5,000 customers: most of the base shows up.
  ok(sessionsOf.size > 2000, `${sessionsOf.size} customers in an hour`);
  // The first tenth of the base starts ~46 % of sessions (⌊n·u³⌋ + 1).
  const sessions = firstOf.size;
  const regulars = [...sessionsOf].filter(([u]) => Number(u.slice(5)) <= 500)
    .reduce((n, [, k]) => n + k, 0);
  within(regulars / sessions, 0.464, 0.03, "sessions of the first tenth");
});

Deno.test("generators - every purchase takes a unit from a warehouse that has it; housekeeping moves keep their ranges", () => {
  const stock = new Map<string, number>();
  for (const p of PRODUCTS) {
    for (const w of WAREHOUSES) stock.set(`${p.id}|${w}`, 100);
  }
  const applied = applyMoves(stock, hour.inventory);
  ok(applied.every((a) => a.applied), "no move takes stock below zero");
  const purchases = hour.clickstream.filter((e) => e.event_type === "purchase");
  const sold = hour.inventory.filter((e) => e.event_type === "stock_sold");
  ok(sold.every((e) => e.quantity_change === -1));
  assertEquals(
    sold.map((e) => [e.product_id, e.timestamp]),
    purchases.map((e) => [e.product_id, e.timestamp]),
  );
  const ranges: Record<string, [number, number]> = {
    stock_returned: [1, 2],
    stock_damaged: [-2, -1],
    manual_adjustment: [-3, 3],
  };
  for (const e of hour.inventory.filter((e) => e.event_type in ranges)) {
    const [lo, hi] = ranges[e.event_type]!;
    ok(
      e.quantity_change >= lo && e.quantity_change <= hi &&
        e.quantity_change !== 0,
      JSON.stringify(e),
    );
  }
  assertEquals(new Set(sold.map((e) => e.warehouse_id)).size, 3);
});

Deno.test("generators - competitors price inside their bands around list (promotions at most 20% off), with consistent differences", () => {
  for (const e of hour.competitor) {
    const base = PRODUCT_BY_ID.get(e.product_id)!.basePrice;
    ok(
      e.competitor_price >= base * 0.85 * 0.8 - 0.01 &&
        e.competitor_price <= base * 1.1 + 0.01,
      JSON.stringify(e),
    );
    within(
      e.price_difference,
      e.competitor_price - e.our_price,
      0.011,
      "price_difference",
    );
    within(
      e.price_difference_pct,
      (e.price_difference / e.our_price) * 100,
      0.011,
      "price_difference_pct",
    );
  }
  assertEquals(new Set(hour.competitor.map((e) => e.competitor_name)).size, 3);
});

Deno.test("generators - the same seed gives the same events; the rate multiplier scales volume", () => {
  const a = new ShopSimulator({ seed: "same", start: T0 }).due(T0 + 10_000);
  const b = new ShopSimulator({ seed: "same", start: T0 }).due(T0 + 10_000);
  assertEquals(a, b);
  const fast = new ShopSimulator({ seed: "same", start: T0, rate: 100 }).due(
    T0 + 10_000,
  );
  ok(
    fast.length > a.length * 50,
    `rate 100 gave ${fast.length} events vs ${a.length}`,
  );
});
