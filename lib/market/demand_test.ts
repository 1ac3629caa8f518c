import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { CATEGORIES, PRODUCTS } from "../catalog.ts";
import { Rng } from "../rng.ts";
import {
  DemandModel,
  ELASTICITY,
  HOURLY,
  seasonality,
  WEEKDAY,
} from "./demand.ts";
import { binomial, poisson } from "./sample.ts";

const model = new DemandModel({ seed: "demand-test" });
const HOUR = 3_600_000;
/** A Wednesday, 00:00 in Lagos. */
const WED = Date.parse("2026-11-24T23:00:00Z");

/** ε measured from purchase counts at two prices, with its standard error from the counts. */
function measured(k1: number, k2: number, priceRatio: number) {
  const e = Math.log(k2 / k1) / Math.log(priceRatio);
  const se = Math.sqrt(1 / k1 + 1 / k2) / Math.abs(Math.log(priceRatio));
  return { e, se };
}

Deno.test("demand - the purchase rate falls with price as its elasticity says, view by view", () => {
  const rng = new Rng("views");
  for (const category of CATEGORIES) {
    const p = PRODUCTS.find((x) => x.category === category)!;
    const ref = p.basePrice;
    const buys = (price: number) => {
      const chance = model.purchaseProbability(p.id, price, ref);
      let k = 0;
      for (let i = 0; i < 200_000; i++) if (rng.next() < chance) k++;
      return k;
    };
    const { e, se } = measured(buys(ref * 0.85), buys(ref * 1.2), 1.2 / 0.85);
    const truth = ELASTICITY.default[category];
    ok(
      Math.abs(e - truth) < 4 * se,
      `${category}: measured ${e.toFixed(3)} ± ${
        se.toFixed(3)
      }, truth ${truth}`,
    );
  }
});

Deno.test("demand - aggregate Poisson draws over hours give the same elasticity and the expected volume", () => {
  const rng = new Rng("aggregate");
  const p = PRODUCTS.find((x) => x.category === "phones")!;
  const ref = 700;
  const run = (price: number) => {
    let k = 0, expected = 0;
    for (let h = 0; h < 24 * 60; h++) {
      const t = WED + h * HOUR;
      const views = poisson(rng, model.expectedViews(p.id, t, t + HOUR));
      k += binomial(rng, views, model.purchaseProbability(p.id, price, ref));
      expected += model.expectedPurchasesPerHour(p, price, ref, t);
    }
    return { k, expected };
  };
  const low = run(650), high = run(800);
  for (const r of [low, high]) {
    ok(
      Math.abs(r.k - r.expected) < 4 * Math.sqrt(r.expected),
      `${r.k} purchases, ${r.expected.toFixed(0)} expected`,
    );
  }
  const { e, se } = measured(low.k, high.k, 800 / 650);
  ok(Math.abs(e - -1.8) < 4 * se, `measured ${e} ± ${se}`);
});

Deno.test("demand - purchase probability is p0 at parity and never above 1", () => {
  const p = model.params("P028");
  assertEquals(model.purchaseProbability("P028", 30, 30), p.conversion);
  assertEquals(model.purchaseProbability("P028", 1, 30), 1);
});

Deno.test("demand - seasonality: evening peak, night trough, weekend uplift, and a mean of 1", () => {
  const mean = (xs: readonly number[]) =>
    xs.reduce((a, b) => a + b, 0) / xs.length;
  ok(Math.abs(mean(HOURLY) - 1) < 1e-12 && Math.abs(mean(WEEKDAY) - 1) < 1e-12);
  ok(HOURLY[20]! > 1.7 && HOURLY[4]! < 0.25);
  // 20:00 on a Wednesday in Lagos is the peak hour times the Wednesday factor.
  ok(
    Math.abs(seasonality(WED + 20 * HOUR) - HOURLY[20]! * WEEKDAY[3]!) < 1e-12,
  );
  const sat = WED + 3 * 24 * HOUR + 12 * HOUR;
  ok(seasonality(sat) > 1.1 * seasonality(WED + 12 * HOUR));
  // Integrating across hour boundaries: a whole week at the base rate.
  const week = model.expectedViews("P001", WED, WED + 7 * 24 * HOUR);
  const base = model.params("P001").viewsPerHour * 7 * 24;
  ok(Math.abs(week / base - 1) < 1e-9, `${week} vs ${base}`);
});

Deno.test("demand - the same seed gives the same model; the alt market is 30% less elastic", () => {
  assertEquals(
    new DemandModel({ seed: "s" }).all(),
    new DemandModel({ seed: "s" }).all(),
  );
  const other = new DemandModel({ seed: "t" }).params("P001").viewsPerHour;
  ok(other !== new DemandModel({ seed: "s" }).params("P001").viewsPerHour);
  const alt = new DemandModel({ seed: "s", market: "alt" });
  for (const d of alt.all()) {
    const e = ELASTICITY.default[d.category];
    ok(Math.abs(d.elasticity - 0.7 * e) < 1e-12, d.productId);
  }
});

Deno.test("sample - Poisson and binomial draws have the mean and variance they should", () => {
  const rng = new Rng("sample");
  for (
    const [draw, mean, variance] of [
      [() => poisson(rng, 3.5), 3.5, 3.5],
      [() => poisson(rng, 80), 80, 80],
      [() => binomial(rng, 60, 0.07), 4.2, 60 * 0.07 * 0.93],
      [() => binomial(rng, 40, 0.8), 32, 40 * 0.8 * 0.2],
    ] as [() => number, number, number][]
  ) {
    const n = 40_000;
    const xs = Array.from({ length: n }, draw);
    const m = xs.reduce((a, b) => a + b, 0) / n;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    ok(
      Math.abs(m - mean) < 4 * Math.sqrt(variance / n),
      `mean ${m} vs ${mean}`,
    );
    ok(Math.abs(v / variance - 1) < 0.05, `variance ${v} vs ${variance}`);
  }
});
