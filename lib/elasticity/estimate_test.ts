import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { CATEGORIES, PRODUCTS } from "../catalog.ts";
import { Rng } from "../rng.ts";
import { DemandModel, UTC_OFFSET_HOURS } from "../market/demand.ts";
import { binomial, poisson } from "../market/sample.ts";
import {
  type ElasticityRow,
  estimateElasticity,
  isNarrow,
} from "./estimate.ts";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-11-01T23:00:00Z"); // Monday 00:00 in Lagos

/**
 * Hourly cells drawn from the demand model: our price moves every 6 hours
 * between −6% and +6% of list (as tests and guardrail steps would), the
 * competitors' average wanders ±4% independently.
 */
function synthetic(
  seed: string,
  days: number,
  market: "default" | "alt" = "default",
) {
  const model = new DemandModel({ seed, market });
  const rng = new Rng(`${seed}:synthetic`);
  const rows: ElasticityRow[] = [];
  for (const p of PRODUCTS) {
    let ours = p.basePrice, ref = p.basePrice;
    for (let h = 0; h < days * 24; h++) {
      const t = T0 + h * HOUR;
      if (h % 6 === 0) ours = p.basePrice * (1 + 0.02 * rng.int(-3, 3));
      if (h % 8 === 0) ref = p.basePrice * rng.range(0.96, 1.04);
      const views = poisson(rng, model.expectedViews(p.id, t, t + HOUR));
      const units = binomial(
        rng,
        views,
        model.purchaseProbability(p.id, ours, ref),
      );
      const local = new Date(t + UTC_OFFSET_HOURS * HOUR);
      rows.push({
        productId: p.id,
        category: p.category,
        hour: local.getUTCHours(),
        weekday: local.getUTCDay(),
        ourPrice: ours,
        refPrice: ref,
        units,
        views,
      });
    }
  }
  return { model, rows };
}

Deno.test("elasticity - the estimator recovers the demand model's elasticity within its interval, per category", () => {
  const { model, rows } = synthetic("recover", 14);
  const { categories } = estimateElasticity(rows);
  assertEquals(
    categories.map((c) => c.category).sort(),
    [...CATEGORIES].sort(),
  );
  for (const c of categories) {
    const truth = model.all().find((d) =>
      d.category === c.category
    )!.elasticity;
    ok(
      c.low <= truth && truth <= c.high,
      `${c.category}: ${c.estimate.toFixed(3)} [${c.low.toFixed(3)}, ${
        c.high.toFixed(3)
      }], truth ${truth}`,
    );
    ok(Math.abs(c.estimate - truth) <= 0.25 * Math.abs(truth));
    // β on the reference is the mirror of ε in this model.
    ok(Math.abs(c.refCoefficient! + truth) < 4 * (c.high - c.low));
  }
});

Deno.test("elasticity - the interval narrows with more data", () => {
  const width = (days: number) => {
    const { categories } = estimateElasticity(synthetic("narrow", days).rows);
    const c = categories.find((x) => x.category === "phones")!;
    return c.high - c.low;
  };
  const w7 = width(7), w28 = width(28);
  // Four times the data: about half the width.
  ok(w28 < 0.65 * w7 && w28 > 0.35 * w7, `7 days ${w7}, 28 days ${w28}`);
});

Deno.test("elasticity - without views, hour and weekday effects keep seasonality out of the price effect; ratio mode too", () => {
  const { model, rows } = synthetic("units-only", 21, "alt");
  const unitsOnly = rows.map(({ views: _, ...r }) => r);
  for (const reference of ["free", "ratio"] as const) {
    const { categories } = estimateElasticity(unitsOnly, { reference });
    for (const c of categories) {
      const truth = model.all().find((d) =>
        d.category === c.category
      )!.elasticity;
      ok(
        Math.abs(c.estimate - truth) < 0.3 * Math.abs(truth) && c.low < truth &&
          truth < c.high,
        `${reference} ${c.category}: ${c.estimate} [${c.low}, ${c.high}] vs ${truth}`,
      );
      ok(c.method.includes("weekday"));
    }
  }
});

Deno.test("elasticity - products with enough purchases get their own estimate, with intervals that cover the truth at about their level", () => {
  const { model, rows } = synthetic("products", 28);
  const { products } = estimateElasticity(rows, { minProductPurchases: 1500 });
  ok(products.length >= 25, `${products.length} products`);
  let covered = 0;
  for (const p of products) {
    const truth = model.params(p.productId!).elasticity;
    const se = (p.high - p.low) / (2 * 1.96);
    ok(p.purchases >= 1500);
    ok(
      Math.abs(p.estimate - truth) < 4 * se,
      `${p.productId} ${p.estimate} ± ${se} vs ${truth}`,
    );
    if (p.low <= truth && truth <= p.high) covered++;
  }
  ok(
    covered / products.length >= 0.8,
    `${covered} of ${products.length} cover`,
  );
});

Deno.test("elasticity - no price variation gives no estimate rather than a wrong one", () => {
  const rows: ElasticityRow[] = Array.from({ length: 48 }, (_, h) => ({
    productId: "P001",
    category: "phones",
    hour: h % 24,
    ourPrice: 899.99,
    refPrice: 880,
    units: 3 + (h % 3),
    views: 60,
  }));
  assertEquals(estimateElasticity(rows).categories, []);
});

Deno.test("elasticity - an interval is narrow when its half-width is at most 20% of the estimate", () => {
  ok(isNarrow({ estimate: -2, low: -2.3, high: -1.7 }));
  ok(!isNarrow({ estimate: -2, low: -2.5, high: -1.5 }));
  ok(isNarrow({ estimate: -2, low: -2.5, high: -1.5 }, 0.25));
});
