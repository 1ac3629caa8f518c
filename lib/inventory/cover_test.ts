import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import {
  assess,
  daysOfCover,
  normalCdf,
  type ReorderPolicy,
  reorderPolicyOf,
  stockoutRisk,
} from "./cover.ts";
import { loadConfig } from "../config.ts";
import {
  LEAD_TIME_HOURS,
  LEAD_TIME_JITTER_HOURS,
  ORDER_COVER_DAYS,
  SERVICE_Z,
} from "../market/stock.ts";

/**
 * The shop's own policy. With 2 units an hour the numbers come out round:
 * σ_L = 36/√12, so σ_D = √(144 + (2·36/√12)²) = √(144 + 432) = 24 units;
 * D = 144 units over 72 h, s = 144 + 1.65·24 = 183.6, Q = 48·7 = 336.
 */
const SHOP: ReorderPolicy = {
  leadTimeHours: 72,
  leadTimeSpreadHours: 18,
  safetyZ: 1.65,
  coverDays: 7,
};
const TWO_AN_HOUR = { unitsSold: 48, hours: 24 };

const close = (a: number, b: number, eps = 1e-6) =>
  ok(Math.abs(a - b) < eps, `${a} is not ${b}`);

Deno.test("cover - the standard normal CDF matches tabulated values", () => {
  close(normalCdf(0), 0.5);
  close(normalCdf(1.65), 0.9505285);
  close(normalCdf(-1.8333333), 0.0333765);
  close(normalCdf(6.5), 1);
});

Deno.test("cover - days of cover is stock over daily sales, none while nothing sells", () => {
  assertEquals(daysOfCover(100, 48), 100 / 48);
  assertEquals(daysOfCover(0, 48), 0);
  assertEquals(daysOfCover(0, 0), 0);
  assertEquals(daysOfCover(50, 0), null);
});

Deno.test("cover - below the lead-time demand is high risk: it runs dry before a delivery", () => {
  const a = assess({ stock: 100, ...TWO_AN_HOUR }, SHOP);
  assertEquals(a.salesPerDay, 48);
  close(a.daysOfCover!, 2.0833333);
  assertEquals(a.leadTimeDemand, 144);
  close(a.reorderPoint, 183.6);
  // 1 − Φ((100 − 144) / 24) = 1 − Φ(−1.8333)
  close(a.stockoutRisk, 0.9666235);
  assertEquals(a.risk, "high");
  // (183.6 − 100) + 336 = 419.6, rounded up
  assertEquals(a.reorderQty, 420);
});

Deno.test("cover - between lead-time demand and the reorder point is medium risk", () => {
  const a = assess({ stock: 170, ...TWO_AN_HOUR }, SHOP);
  close(a.stockoutRisk, 0.1393302);
  assertEquals(a.risk, "medium");
  assertEquals(a.reorderQty, 350); // ⌈183.6 − 170 + 336⌉
});

Deno.test("cover - above the reorder point is low risk and nothing to order", () => {
  const a = assess({ stock: 300, ...TWO_AN_HOUR }, SHOP);
  assertEquals(a.daysOfCover, 6.25);
  ok(a.stockoutRisk < 1e-9);
  assertEquals([a.risk, a.reorderQty], ["low", 0]);
});

Deno.test("cover - out of stock is certain risk and orders the reorder point plus a week", () => {
  const a = assess({ stock: 0, ...TWO_AN_HOUR }, SHOP);
  assertEquals([a.daysOfCover, a.stockoutRisk, a.risk], [0, 1, "high"]);
  assertEquals(a.reorderQty, 520); // ⌈183.6 + 336⌉
});

Deno.test("cover - a cell that does not sell has no cover limit, no risk and no order", () => {
  for (
    const sales of [{ unitsSold: 0, hours: 24 }, { unitsSold: 0, hours: 0 }]
  ) {
    const a = assess({ stock: 50, ...sales }, SHOP);
    assertEquals(
      [a.salesPerDay, a.daysOfCover, a.stockoutRisk, a.risk, a.reorderQty],
      [0, null, 0, "low", 0],
    );
  }
  assertEquals(stockoutRisk(0, 0, SHOP), 1, "an empty shelf is out of stock");
});

Deno.test("cover - a higher safety factor raises the reorder point and the order", () => {
  const strict = assess({ stock: 170, ...TWO_AN_HOUR }, {
    ...SHOP,
    safetyZ: 2.33,
  });
  close(strict.reorderPoint, 144 + 2.33 * 24);
  assertEquals(strict.reorderQty, Math.ceil(144 + 2.33 * 24 - 170 + 336));
});

Deno.test("cover - the default settings are the simulated shop's own reorder policy", () => {
  assertEquals(reorderPolicyOf(loadConfig({})), {
    leadTimeHours: LEAD_TIME_HOURS,
    leadTimeSpreadHours: LEAD_TIME_JITTER_HOURS,
    safetyZ: SERVICE_Z,
    coverDays: ORDER_COVER_DAYS,
  });
});

Deno.test("cover - a short history is pooled with the shop's mean rate, a long one hardly", () => {
  // 1 unit in 6 minutes alone reads as 240 a day; pooled with a shop mean of
  // 3/h for one hour: (1 + 3) / (0.1 + 1) = 3.64/h.
  const young = assess(
    { stock: 100, unitsSold: 1, hours: 0.1, meanPerHour: 3 },
    SHOP,
  );
  close(young.salesPerDay, 24 * 4 / 1.1, 1e-9);
  // Three days at 2/h with the same mean: (144 + 3) / 73 = 2.01/h.
  const old = assess(
    { stock: 100, unitsSold: 144, hours: 72, meanPerHour: 3 },
    SHOP,
  );
  close(old.salesPerDay, 24 * 147 / 73, 1e-9);
  // No history at all: nothing to pool, no rate.
  assertEquals(
    assess({ stock: 5, unitsSold: 0, hours: 0, meanPerHour: 3 }, SHOP)
      .salesPerDay,
    0,
  );
});
