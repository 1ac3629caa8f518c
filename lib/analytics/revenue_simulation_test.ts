import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { type LowerCandidate, simulateLowering } from "./revenue_simulation.ts";

const candidate = (
  productId: string,
  currentPrice: number,
  recommendedPrice: number,
  unitsInWindow: number,
): LowerCandidate => ({
  productId,
  productName: productId,
  currentPrice,
  recommendedPrice,
  confidence: 0.5,
  unitsInWindow,
});

Deno.test("revenue simulation - a 10% cut at elasticity −1.5 lifts units by 0.9^−1.5 and revenue by 5.41%", () => {
  // 10 units in 24 h at $100 → $90: q1 = 10 × 0.9^−1.5 = 11.7121, revenue 90 × 11.7121 = $1054.09.
  const r = simulateLowering([candidate("A", 100, 90, 10)], 24);
  assertEquals(r.elasticity, -1.5);
  assertEquals(r.products[0], {
    productId: "A",
    productName: "A",
    currentPrice: 100,
    recommendedPrice: 90,
    confidence: 0.5,
    unitsInWindow: 10,
    priceChangePct: -10,
    unitsPerDayBefore: 10,
    unitsPerDayAfter: 11.7121,
    revenuePerDayBefore: 1000,
    revenuePerDayAfter: 1054.09,
    revenuePerDayDelta: 54.09,
    elasticity: -1.5,
    elasticitySource: "fixed",
  });
});

Deno.test("revenue simulation - a product with a learned elasticity is simulated at it; the others at the fixed one", () => {
  // A at its learned −3: q1 = 10 × 0.9^−3 = 13.7174, revenue 90 × 13.7174 = $1234.57.
  const r = simulateLowering(
    [
      { ...candidate("A", 100, 90, 10), learnedElasticity: -3 },
      { ...candidate("B", 100, 90, 10), learnedElasticity: null },
    ],
    24,
    -1,
  );
  assertEquals(
    r.products.map((p) => [p.productId, p.elasticity, p.elasticitySource]),
    [["A", -3, "learned"], ["B", -1, "fixed"]],
  );
  assertEquals(r.products.map((p) => p.revenuePerDayDelta), [234.57, 0]);
  assertEquals(r.elasticity, -1);
});

Deno.test("revenue simulation - the elasticity decides whether a cut pays: −1 breaks even, −0.5 loses", () => {
  const at = (e: number) =>
    simulateLowering([candidate("A", 100, 90, 10)], 24, e).totals;
  assertEquals(at(-1), {
    revenuePerDayBefore: 1000,
    revenuePerDayAfter: 1000,
    revenuePerDayDelta: 0,
  });
  assertEquals(at(-0.5), {
    revenuePerDayBefore: 1000,
    revenuePerDayAfter: 948.68,
    revenuePerDayDelta: -51.32,
  });
  assertEquals(at(-3), {
    revenuePerDayBefore: 1000,
    revenuePerDayAfter: 1234.57,
    revenuePerDayDelta: 234.57,
  });
});

Deno.test("revenue simulation - scales the window to a day and adds up products; unsold products change nothing", () => {
  // Window 48 h. A: 20 units = 10/day. B: 2 units = 1/day at $50 → $45: q1 = 1.1712, revenue $52.70 (was $50).
  const r = simulateLowering([
    candidate("A", 100, 90, 20),
    candidate("B", 50, 45, 2),
    candidate("C", 30, 27, 0),
  ], 48);
  assertEquals(
    r.products.map((
      p,
    ) => [
      p.productId,
      p.unitsPerDayBefore,
      p.unitsPerDayAfter,
      p.revenuePerDayDelta,
    ]),
    [
      ["A", 10, 11.7121, 54.09],
      ["B", 1, 1.1712, 2.7],
      ["C", 0, 0, 0],
    ],
  );
  assertEquals(r.totals, {
    revenuePerDayBefore: 1050,
    revenuePerDayAfter: 1106.8,
    revenuePerDayDelta: 56.8,
  });
});

Deno.test("revenue simulation - refuses an elasticity outside −10..0 or an empty window", () => {
  throws(
    () => simulateLowering([], 24, 0.5),
    /Elasticity "0.5" is out of range/,
  );
  throws(
    () => simulateLowering([], 24, NaN),
    /Elasticity "NaN" is out of range/,
  );
  throws(() => simulateLowering([], 0, -1.5), /Window of "0" hours is invalid/);
  assertEquals(simulateLowering([], 24).totals, {
    revenuePerDayBefore: 0,
    revenuePerDayAfter: 0,
    revenuePerDayDelta: 0,
  });
});
