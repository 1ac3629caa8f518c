import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import fc from "fast-check";
import type { ElasticityEstimate } from "../elasticity/estimate.ts";
import {
  estimateLookup,
  makeOptimizer,
  marginOptimalPrice,
  type OptimizerInput,
  reactiveOptimalPrice,
  shrinkElasticity,
  testSize,
} from "./optimize.ts";

const estimate = (e: number, halfWidth: number): ElasticityEstimate => ({
  category: "accessories",
  estimate: e,
  low: e - halfWidth,
  high: e + halfWidth,
  n: 1000,
  purchases: 5000,
  method: "test",
});

const input = (over: Partial<OptimizerInput> = {}): OptimizerInput => ({
  productId: "P026",
  category: "accessories",
  listPrice: 99.99,
  currentPrice: 99.99,
  unitCost: 60,
  stockUnits: 100_000,
  salesPerDay: 200,
  observations: [],
  now: Date.parse("2026-11-25T12:00:00Z"),
  ...over,
});

Deno.test("optimize - picks the analytic optimum c·ε/(1+ε) when it lies inside the bounds and stock is plenty", () => {
  for (const e of [-2.5, -2, -1.8, -3]) {
    const opt = makeOptimizer({ elasticity: () => estimate(e, 0.1) });
    const { price, detail } = opt(input(), [], 60, 200);
    const analytic = 60 * e / (1 + e);
    ok(Math.abs(price - analytic) < 1e-9, `ε ${e}: ${price} vs ${analytic}`);
    ok(!detail.includes("price test"), "a narrow interval needs no test");
  }
});

Deno.test("optimize - picks the bound when the optimum lies outside it, and the ceiling when |ε| ≤ 1", () => {
  const at = (e: number, floor: number, ceiling: number) =>
    makeOptimizer({ elasticity: () => estimate(e, 0.05) })(
      input(),
      [],
      floor,
      ceiling,
    ).price;
  assertEquals(at(-1.2, 63, 124.99), 124.99); // p* = 360
  assertEquals(at(-6, 80, 124.99), 80); // p* = 72
  assertEquals(at(-0.8, 63, 124.99), 124.99);
  assertEquals(marginOptimalPrice(-1, 60, 63, 125), 125);
});

Deno.test("optimize - prices up so the stock lasts until the next delivery", () => {
  const opt = makeOptimizer({ elasticity: () => estimate(-2.5, 0.1) });
  // p* = 100 sells 200/day; 300 units must last 72 h (600 units of demand).
  const r = opt(
    input({ stockUnits: 300, hoursToReplenishment: 72 }),
    [],
    60,
    200,
  );
  const lasting = 99.99 * (300 / 600) ** (1 / -2.5);
  ok(Math.abs(r.price - lasting) < 1e-9, `${r.price} vs ${lasting}`);
  ok(r.detail.includes("stock lasts"), r.detail);
  // Expected sales at that price over 72 h equal the stock.
  ok(Math.abs(200 * 3 * (r.price / 99.99) ** -2.5 - 300) < 1e-6);
  // A delivery tomorrow: 200 units of demand, stock suffices at p*.
  const soon = opt(
    input({ stockUnits: 300, hoursToReplenishment: 24 }),
    [],
    60,
    200,
  );
  ok(Math.abs(soon.price - 100) < 1e-9);
});

Deno.test("optimize - a wide interval is shrunk toward the prior and the price is tested ±δ, the same way for the same seed and time", () => {
  const wide = estimate(-3, 1.5);
  const s = shrinkElasticity(wide, { mean: -1.5, sd: 0.75 });
  ok(!s.narrow && s.value > -3 && s.value < -1.5, `${s.value}`);
  assertEquals(shrinkElasticity(undefined).value, -1.5);
  const opt = makeOptimizer({ elasticity: () => wide, seed: "tests" });
  const base = 60 * s.value / (1 + s.value);
  const seen = new Set<number>();
  for (let h = 0; h < 48; h++) {
    const t = Date.parse("2026-11-25T00:00:00Z") + h * 3_600_000;
    const { price } = opt(input({ now: t }), [], 1, 1000);
    assertEquals(price, opt(input({ now: t }), [], 1, 1000).price);
    const ratio = Math.round((price / base - 1) * 1000) / 1000;
    // ±50% of the estimate is wide: the test is at its largest, 10%.
    ok([-0.1, 0, 0.1].includes(ratio), `${ratio}`);
    seen.add(ratio);
  }
  assertEquals(seen.size, 3, "all three test prices occur");
});

Deno.test("optimize - the price test shrinks with the interval: a quarter of its relative half-width, between 2% and 10%", () => {
  assertEquals(testSize(undefined), 0.1);
  assertEquals(testSize(estimate(-2, 2)), 0.1);
  ok(Math.abs(testSize(estimate(-2, 0.6)) - 0.075) < 1e-12);
  assertEquals(testSize(estimate(-2, 0.1)), 0.02);
  assertEquals(testSize(estimate(-2, 0.6), 0.01, 0.05), 0.05);
});

Deno.test("optimize - a cut that followers match is not worth it: the optimum with reactions lies above the one without", () => {
  // Accessories: cost 55, ε −2.5, so c·ε/(1+ε) ≈ 91.7 against a fixed reference.
  const used = [
    { source: "TechMart", price: 100 },
    { source: "GadgetZone", price: 98 },
    { source: "ElectroHub", price: 100 },
  ];
  const follow = (competitor: string, ratio: number, highest: number) => ({
    competitor,
    ratio,
    lagHours: 0,
    highest,
    fit: 1,
    changes: 100,
  });
  const fixed = reactiveOptimalPrice(-2.5, 55, 60.5, 125, used, []);
  ok(Math.abs(fixed - 55 * 2.5 / 1.5) < 1e-9, `${fixed}`);
  const reactions = [
    follow("GadgetZone", 0.98, 108),
    follow("ElectroHub", 1, 110),
  ];
  const reactive = reactiveOptimalPrice(-2.5, 55, 60.5, 125, used, reactions);
  // Two of three follow up to 108 and 110: the best price is about 110.
  ok(reactive > 105 && reactive < 115, `${reactive}`);
  // Followers seen only at today's prices are not assumed to follow a raise.
  const timid = [follow("GadgetZone", 0.98, 98), follow("ElectroHub", 1, 100)];
  const kinked = reactiveOptimalPrice(-2.5, 55, 60.5, 125, used, timid);
  ok(kinked >= 99 && kinked <= 101, `${kinked}`);
});

Deno.test("optimize - the price stays within [floor, ceiling] whatever the inputs", () => {
  fc.assert(fc.property(
    fc.double({ min: -6, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 2, noNaN: true }),
    fc.integer({ min: 0, max: 10_000 }),
    fc.double({ min: 0, max: 1000, noNaN: true }),
    fc.double({ min: 1, max: 500, noNaN: true }),
    fc.double({ min: 0, max: 2, noNaN: true }),
    (e, hw, stock, sales, floor, span) => {
      const opt = makeOptimizer({ elasticity: () => estimate(e, hw) });
      const ceiling = floor * (1 + span);
      const { price } = opt(
        input({ stockUnits: stock, salesPerDay: sales }),
        [],
        floor,
        ceiling,
      );
      return Number.isFinite(price) && price >= floor && price <= ceiling;
    },
  ));
});

Deno.test("optimize - the lookup prefers a product's own narrow estimate over its category's", () => {
  const cat = estimate(-2.5, 0.2);
  const narrow = { ...estimate(-2.1, 0.2), productId: "P026" };
  const wide = { ...estimate(-4, 3), productId: "P025" };
  const look = estimateLookup({ categories: [cat], products: [narrow, wide] });
  assertEquals(look("accessories", "P026"), narrow);
  assertEquals(look("accessories", "P025"), cat);
  assertEquals(look("accessories", "P030"), cat);
  assertEquals(look("phones", "P001"), undefined);
});
