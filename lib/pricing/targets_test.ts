import { deepStrictEqual as assertEquals } from "node:assert/strict";
import fc from "fast-check";
import { decide as seedRule, DEFAULT_THRESHOLDS } from "./rule.ts";
import { DEFAULT_STRATEGY } from "./strategy.ts";
import { computeTarget } from "./targets.ts";
import { dollars } from "./money.ts";
import type {
  Observation,
  ProductInput,
  Strategy,
  TargetSpec,
} from "./types.ts";

const obs = (source: string, price: number): Observation => ({
  source,
  price,
  observedAt: 0,
});
const USED = [obs("A", 100), obs("B", 90), obs("C", 110)];
const PRODUCT: ProductInput = {
  productId: "P1",
  category: "audio",
  listPrice: 120,
  currentPrice: 105,
  unitCost: 60,
  mapPrice: null,
  minPrice: null,
  maxPrice: null,
  observations: USED,
  stockUnits: 50,
  salesPerDay: 2,
  purchasesLastHour: 0,
  lastAppliedAt: null,
  recentChanges: [],
};
const strategy = (
  target: TargetSpec,
  more: Partial<Strategy> = {},
): Strategy => ({
  ...DEFAULT_STRATEGY,
  target,
  ...more,
});
const target = (
  t: TargetSpec,
  used = USED,
  more: Partial<Strategy> = {},
  input = PRODUCT,
) =>
  computeTarget(input, strategy(t, more), used, used.length + 1, 6600, 15000);

Deno.test("targets - static is the list price and needs no competitor data", () => {
  assertEquals(target({ kind: "static" }, [], { minObservations: 3 }), {
    cents: 12000,
    step: "target",
    detail: "the list price",
  });
});

Deno.test("targets - cheapest and average apply the percentage, then the amount offset", () => {
  assertEquals(target({ kind: "average" }).cents, 10000);
  assertEquals(
    target({ kind: "cheapest" }).detail,
    "the cheapest competitor price (B) $90.00",
  );
  const t = target({ kind: "cheapest", offsetPct: -0.02, offsetAmount: -0.5 });
  assertEquals([t.cents, t.detail], [
    8770,
    "the cheapest competitor price (B) $90.00 -2% - $0.50 = $87.70",
  ]);
  assertEquals(target({ kind: "average", offsetAmount: 1 }).cents, 10100);
});

Deno.test("targets - competitor follows one named competitor, and has no target without its price", () => {
  const t = target({ kind: "competitor", competitor: "C", offsetPct: -0.01 });
  assertEquals([t.cents, t.detail], [
    10890,
    "the price of C $110.00 -1% = $108.90",
  ]);
  assertEquals(target({ kind: "competitor", competitor: "Z" }), {
    cents: null,
    step: "insufficient_data",
    detail: 'competitor "Z" has no usable observation',
  });
});

Deno.test("targets - fewer usable observations than the strategy needs gives no target and says how many", () => {
  assertEquals(target({ kind: "average" }, USED, { minObservations: 4 }), {
    cents: null,
    step: "insufficient_data",
    detail: "3 of 4 observations usable; the strategy needs at least 4",
  });
  assertEquals(
    target({ kind: "seed_rule" }, []).detail,
    "0 of 1 observations usable; the strategy needs at least 1",
  );
});

Deno.test("targets - optimize uses the injected optimizer with the bounds in currency units", () => {
  const seen: number[] = [];
  const optimizer = (
    _i: ProductInput,
    used: readonly Observation[],
    floor: number,
    ceiling: number,
  ) => {
    seen.push(used.length, floor, ceiling);
    return {
      price: 104.5,
      detail: "revenue peaks at 104.50 (elasticity −1.8)",
    };
  };
  const t = computeTarget(
    PRODUCT,
    strategy({ kind: "optimize" }),
    USED,
    3,
    6600,
    15000,
    { optimizer },
  );
  assertEquals([t.cents, t.detail], [
    10450,
    "optimizer: revenue peaks at 104.50 (elasticity −1.8)",
  ]);
  assertEquals(seen, [3, 66, 150]);
});

Deno.test("targets - optimize falls back to the average without an optimizer and says so", () => {
  assertEquals(target({ kind: "optimize" }), {
    cents: 10000,
    step: "target",
    detail:
      "no optimizer is available, so the average of 3 competitor prices $100.00",
  });
  const broken = () => ({ price: NaN, detail: "diverged" });
  const t = computeTarget(
    PRODUCT,
    strategy({ kind: "optimize" }),
    USED,
    3,
    6600,
    15000,
    { optimizer: broken },
  );
  assertEquals(
    t.detail,
    "the optimizer returned NaN, so the average of 3 competitor prices $100.00",
  );
});

Deno.test("targets - seed_rule reproduces rule.ts's decisions before guardrails", () => {
  const price = fc.integer({ min: 1, max: 500_000 }).map((c) => c / 100);
  fc.assert(
    fc.property(
      price,
      fc.array(price, { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 0, max: 12 }),
      (ours, prices, velocity) => {
        const used = prices.map((p, i) => obs(`S${i}`, p));
        const input = {
          ...PRODUCT,
          currentPrice: ours,
          purchasesLastHour: velocity,
        };
        const t = computeTarget(
          input,
          strategy({ kind: "seed_rule" }),
          used,
          used.length,
          1,
          1e9,
        );
        const avg = prices.reduce((a, b) => a + b, 0) / prices.length;
        const rule = seedRule(ours, avg, velocity, DEFAULT_THRESHOLDS);
        assertEquals(t.cents, Math.round(rule.recommendedPrice * 100));
        assertEquals(
          t.detail.endsWith(
            rule.recommendation === "hold"
              ? "hold at our price"
              : `= ${dollars(rule.recommendedPrice)}`,
          ),
          true,
        );
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("targets - seed_rule lowers to 0.99 × average when we are dearer by over 10% and sales are slow", () => {
  const input = { ...PRODUCT, currentPrice: 120, purchasesLastHour: 1 };
  const t = computeTarget(
    input,
    strategy({ kind: "seed_rule" }),
    USED,
    3,
    1,
    1e9,
  );
  assertEquals(t.cents, 9900);
  assertEquals(
    t.detail,
    "seed rule: we are +20% against the average $100.00 with 1 purchase in the last hour, so lower to 0.99 × average = $99.00",
  );
});
