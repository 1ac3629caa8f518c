import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import fc from "fast-check";
import { WAREHOUSES } from "../catalog.ts";
import { LEAD_TIME_HOURS, LEAD_TIME_JITTER_HOURS, StockBook } from "./stock.ts";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-11-25T00:00:00Z");

function book(
  stock: readonly number[],
  forecastPerHour = 1,
  seed = "stock-test",
) {
  return new StockBook({
    seed,
    forecastPerHour: new Map([["P001", forecastPerHour]]),
    initial: (_, w) => stock[WAREHOUSES.indexOf(w)]!,
  });
}

Deno.test("stock - a purchase always decrements stock and never drives it negative; lost sales are counted exactly", () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(40), { minLength: 3, maxLength: 3 }),
      fc.array(fc.nat(25), { maxLength: 60 }),
      fc.string(),
      (start, demands, seed) => {
        const b = book(start, 0.5, seed);
        let lost = 0, t = T0;
        for (const n of demands) {
          const before = WAREHOUSES.map((w) => b.onHand("P001", w));
          const total = before.reduce((a, c) => a + c, 0);
          const sale = b.sell("P001", n, t += HOUR);
          assertEquals(sale.sold, Math.min(n, total));
          assertEquals(sale.sold + sale.lost, n);
          lost += sale.lost;
          WAREHOUSES.forEach((w, i) => {
            const after = b.onHand("P001", w);
            ok(after >= 0, `${w} went to ${after}`);
            const moved = sale.moves.filter((m) => m.warehouse === w)
              .reduce((q, m) => q + m.quantity, 0);
            assertEquals(after, before[i]! + moved, "moves say what changed");
          });
          ok(
            sale.moves.every((m) => m.type === "stock_sold" && m.quantity < 0),
          );
          assertEquals(b.onHand("P001"), total - sale.sold);
        }
        assertEquals(b.lostSales("P001"), lost);
      },
    ),
  );
});

Deno.test("stock - a sale ships from another warehouse when the customer's own is empty", () => {
  const b = book([0, 0, 5]);
  const sale = b.sell("P001", 3, T0);
  assertEquals(sale, {
    sold: 3,
    lost: 0,
    moves: [{
      productId: "P001",
      warehouse: "WH-PH",
      type: "stock_sold",
      quantity: -3,
      at: T0,
    }],
  });
});

Deno.test("stock - replenishment is ordered below the reorder point and arrives after the lead time", () => {
  const b = book([10, 5, 5], 4); // 20 units on hand, 96/day forecast
  ok(b.reorderPoint("P001") > 4 * LEAD_TIME_HOURS, "s covers the lead time");
  assertEquals(b.replenish(T0), []);
  const q = b.onOrder("P001");
  assertEquals(q, 4 * 24 * 7);
  const eta = b.nextArrival("P001")!;
  const lead = (eta - T0) / HOUR;
  ok(
    Math.abs(lead - LEAD_TIME_HOURS) <= LEAD_TIME_JITTER_HOURS,
    `lead ${lead} h`,
  );
  assertEquals(b.replenish(eta - 1), [], "nothing before it is due");
  assertEquals(b.onHand("P001"), 20);
  const moves = b.replenish(eta);
  assertEquals(moves.reduce((n, m) => n + m.quantity, 0), q);
  ok(moves.every((m) => m.type === "stock_received" && m.at === eta));
  assertEquals(b.onHand("P001"), 20 + q);
  assertEquals(b.onOrder("P001"), 0);
});

Deno.test("stock - lead times spread over 72 ± 18 hours", () => {
  const leads = Array.from({ length: 300 }, (_, i) => {
    const b = book([0, 0, 0], 1, `lead-${i}`);
    b.replenish(T0);
    return (b.nextArrival("P001")! - T0) / HOUR;
  });
  ok(leads.every((h) => h >= 54 && h <= 90));
  const mean = leads.reduce((a, b) => a + b, 0) / leads.length;
  ok(Math.abs(mean - 72) < 2, `mean lead ${mean}`);
  ok(Math.min(...leads) < 58 && Math.max(...leads) > 86, "the jitter is used");
});

Deno.test("stock - the forecast follows observed demand with a 3-day half-life", () => {
  const b = book([100, 100, 100], 2);
  b.observeDemand("P001", 6 * 72, 72); // 6/h for one half-life
  ok(Math.abs(b.forecastPerHour("P001") - 4) < 1e-9);
});
