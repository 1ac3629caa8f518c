import {
  deepStrictEqual as assertEquals,
  ok,
  throws,
} from "node:assert/strict";
import { COMPETITORS, PRODUCTS, WAREHOUSES } from "../catalog.ts";
import { parseEvent, type Reference } from "../events/schema.ts";
import { Market, type StepResult } from "./market.ts";
import { LEAD_TIME_HOURS, LEAD_TIME_JITTER_HOURS } from "./stock.ts";

const T0 = Date.parse("2026-11-02T00:00:00Z");
const STEP = 10 * 60_000;
const HOUR = 3_600_000;
const LIST = new Map<string, number>();

function run(m: Market, hours: number, prices = LIST, from = m.now) {
  const steps: StepResult[] = [];
  for (let t = from; t < from + hours * HOUR; t += STEP) {
    steps.push(m.step(t, t + STEP, prices));
  }
  return steps;
}

const total = (
  steps: StepResult[],
  f: (o: {
    units: number;
    lostSales: number;
    stockoutMinutes: number;
    views: number;
  }) => number,
) =>
  steps.reduce(
    (n, s) => n + [...s.products.values()].reduce((a, o) => a + f(o), 0),
    0,
  );

Deno.test("market - the same seed gives the same outcomes and events", () => {
  const a = run(new Market({ seed: "same", start: T0 }), 48);
  const b = run(new Market({ seed: "same", start: T0 }), 48);
  assertEquals(a, b);
  const c = run(new Market({ seed: "other", start: T0 }), 48);
  ok(total(a, (o) => o.units) !== total(c, (o) => o.units));
});

Deno.test("market - a step's outcomes add up: revenue, cost of goods and stock moves match the units sold", () => {
  const m = new Market({ seed: "sums", start: T0 });
  const prices = new Map(PRODUCTS.map((p) => [p.id, p.basePrice * 1.05]));
  for (const s of run(m, 24, prices)) {
    for (const p of PRODUCTS) {
      const o = s.products.get(p.id)!;
      ok(o.units <= o.views);
      assertEquals(o.purchases, o.units);
      ok(Math.abs(o.revenue - o.units * p.basePrice * 1.05) < 1e-6);
      ok(Math.abs(o.costOfGoods - o.units * p.unitCost) < 1e-6);
      const sold = s.events.inventory.filter((e) =>
        e.product_id === p.id && e.event_type === "stock_sold"
      ).reduce((n, e) => n + e.quantity_change, 0);
      ok(sold + o.units === 0, `${p.id}: moves ${sold}, units ${o.units}`);
    }
  }
});

Deno.test("market - with no stock purchases do not happen: they are lost sales and the whole time is a stock-out", () => {
  const m = new Market({ seed: "empty", start: T0, initialStock: () => 0 });
  const steps = run(m, 12);
  assertEquals(total(steps, (o) => o.units), 0);
  ok(total(steps, (o) => o.lostSales) > 100);
  assertEquals(total(steps, (o) => o.stockoutMinutes), 12 * 60 * 30);
  ok(
    steps.every((s) => s.events.inventory.every((e) => e.quantity_change > 0)),
  );
});

Deno.test("market - replenishment arrives after the lead time and then sells", () => {
  const m = new Market({ seed: "restock", start: T0, initialStock: () => 0 });
  const steps = run(m, LEAD_TIME_HOURS + LEAD_TIME_JITTER_HOURS + 1);
  const firstReceipt = steps.findIndex((s) =>
    s.events.inventory.some((e) => e.event_type === "stock_received")
  );
  const hours = (steps[firstReceipt]!.to - T0) / HOUR;
  ok(
    hours >= LEAD_TIME_HOURS - LEAD_TIME_JITTER_HOURS,
    `first delivery after ${hours} h`,
  );
  const after = steps.slice(firstReceipt + 1);
  ok(total(after, (o) => o.units) > 0, "delivered stock sells");
  for (const p of PRODUCTS) {
    ok(m.stock.onHand(p.id) + m.stock.onOrder(p.id) > 0, p.id);
  }
});

Deno.test("market - competitor observations cover every listed price at least hourly and pass the event schema", () => {
  const m = new Market({ seed: "obs", start: T0 });
  const steps = run(m, 6);
  const ref: Reference = {
    products: new Set(PRODUCTS.map((p) => p.id)),
    warehouses: new Set(WAREHOUSES),
    competitors: new Set(COMPETITORS),
  };
  const enc = new TextEncoder();
  const now = T0 + 7 * HOUR;
  for (const s of steps) {
    for (const e of s.events.competitor) {
      const r = parseEvent(
        "competitor",
        enc.encode(JSON.stringify(e)),
        ref,
        now,
      );
      ok(r.ok, JSON.stringify(r));
    }
    for (const e of s.events.inventory) {
      const r = parseEvent(
        "inventory",
        enc.encode(JSON.stringify(e)),
        ref,
        now,
      );
      ok(r.ok, JSON.stringify(r));
    }
  }
  const firstHour = steps.slice(0, 6).flatMap((s) => s.events.competitor);
  const pairs = new Set(
    firstHour.map((e) => `${e.competitor_name}|${e.product_id}`),
  );
  const listed = PRODUCTS.reduce(
    (n, p) => n + m.competitors.offers(p.id).length,
    0,
  );
  ok(pairs.size >= listed - 3, `${pairs.size} pairs seen, ${listed} listed`);
});

Deno.test("market - stepping backwards is refused", () => {
  const m = new Market({ seed: "clock", start: T0 });
  m.step(T0, T0 + STEP, LIST);
  throws(() => m.step(T0, T0 + STEP, LIST), /already at/);
});
