/**
 * Random inputs for the property tests of `decide`: catalogs, observations,
 * strategies and current prices, including junk prices, stale and duplicate
 * observations, inconsistent bounds and current prices outside them. Only
 * tests import this module.
 */
import fc from "fast-check";
import { decide } from "./decide.ts";
import { coverDays } from "./guardrails.ts";
import { validateStrategy } from "./strategy.ts";
import type {
  Decision,
  Optimizer,
  PriceChange,
  ProductInput,
  Strategy,
} from "./types.ts";

export const NOW = Date.UTC(2025, 10, 25, 12);
const HOUR = 3_600_000;
export const RUNS = { numRuns: 2000 };
const SOURCES = ["A", "B", "C", "D", "E"];

const cents = (min: number, max: number) => fc.integer({ min, max });
const share = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

// Mostly consistent catalogs and prices near the market; one case in several
// has bounds that contradict each other or a current price far outside them.
const sometimes = <T>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: usual }, { weight: 1, arbitrary: rare });

const catalog = fc.record({
  list: cents(100, 500_000),
  costShare: share(0.4, 0.95),
  map: fc.option(sometimes(share(0.3, 0.9), share(0.9, 1.2))),
  min: fc.option(sometimes(share(0.3, 0.9), share(0.9, 1.2))),
  max: fc.option(sometimes(share(1, 1.5), share(0.4, 1))),
  current: sometimes(share(0.7, 1.2), share(0.2, 2.0)),
});

const observation = (around: number) =>
  fc.record({
    source: fc.constantFrom(...SOURCES),
    price: fc.oneof(
      {
        weight: 8,
        arbitrary: share(0.7, 1.4).map((f) =>
          Math.round(around * f * 100) / 100
        ),
      },
      {
        weight: 2,
        arbitrary: share(0.3, 3).map((f) => Math.round(around * f * 100) / 100),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(0.001, 0.01, 0, -3, NaN, Infinity, 1e7),
      },
    ),
    observedAt: sometimes(
      fc.integer({ min: NOW - 5 * HOUR, max: NOW }),
      fc.integer({ min: NOW - 10 * HOUR, max: NOW + 10 * 60_000 }),
    ),
  });

const changes = (around: number) =>
  fc.array(
    fc.record({
      hoursAgo: share(0, 30),
      from: share(0.8, 1.2),
      to: share(0.8, 1.2),
    }),
    { maxLength: 4 },
  ).map((list) =>
    list.sort((a, b) => b.hoursAgo - a.hoursAgo).map((c): PriceChange => ({
      at: Math.round(NOW - c.hoursAgo * HOUR),
      oldPrice: Math.round(around * c.from * 100) / 100,
      newPrice: Math.round(around * c.to * 100) / 100,
    }))
  );

const product: fc.Arbitrary<ProductInput> = catalog.chain((c) => {
  const list = c.list / 100;
  const current = Math.max(0.01, Math.round(list * c.current * 100) / 100);
  const at = (
    f: number | null,
  ) => (f === null ? null : Math.round(list * f * 100) / 100);
  return fc.record({
    observations: fc.array(observation(current), { maxLength: 6 }),
    competitorHistory: fc.array(observation(current), { maxLength: 8 }),
    recentChanges: changes(current),
    // Low cover, out of stock, overstock and no sales at all.
    stockUnits: fc.oneof(
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 60 }) },
      { weight: 1, arbitrary: fc.integer({ min: -5, max: 0 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 2000 }) },
    ),
    salesPerDay: fc.oneof(fc.constant(0), share(1, 20), share(0, 50)),
    purchasesLastHour: fc.integer({ min: 0, max: 12 }),
    lastAppliedAt: fc.option(fc.integer({ min: NOW - 5 * HOUR, max: NOW }), {
      freq: 2,
    }),
  }).map((r): ProductInput => ({
    productId: "P",
    category: "c",
    listPrice: list,
    currentPrice: current,
    unitCost: Math.round(list * c.costShare * 100) / 100,
    mapPrice: at(c.map),
    minPrice: at(c.min),
    maxPrice: at(c.max),
    ...r,
  }));
});

const target = fc.oneof(
  fc.constantFrom({ kind: "static" }, { kind: "seed_rule" }, {
    kind: "optimize",
  }),
  fc.record({
    kind: fc.constantFrom("cheapest", "average"),
    offsetPct: share(-0.1, 0.1),
    offsetAmount: share(-5, 5),
  }),
  fc.record({
    kind: fc.constant("competitor"),
    competitor: fc.constantFrom(...SOURCES),
  }),
);

const strategy: fc.Arbitrary<Strategy> = fc.record({
  target,
  excludeCompetitors: fc.subarray(SOURCES, { maxLength: 2 }),
  minObservations: sometimes(fc.constant(1), fc.integer({ min: 2, max: 3 })),
  minMargin: share(0, 0.5),
  maxMarkup: share(0, 0.5),
  maxStepPct: share(0.005, 0.3),
  cooldownMinutes: fc.integer({ min: 0, max: 120 }),
  priceEnding: fc.constantFrom(null, 0.99, 0.95, 0.49, 0),
  lowCoverDays: fc.integer({ min: 0, max: 14 }),
  lowCoverRaisePct: share(0, 0.1),
  overstockCoverDays: fc.integer({ min: 15, max: 200 }),
  overstockStepPct: share(0.005, 0.3),
  priceWar: fc.option(
    fc.record({
      undercuts: fc.integer({ min: 1, max: 3 }),
      windowHours: share(1, 48),
    }),
  ),
  autoApply: fc.option(
    fc.record({ maxChangePct: share(0, 0.1), minConfidence: share(0, 1) }),
  ),
}).map(validateStrategy);

// Half the optimize strategies get a model that answers anywhere, even outside the bounds.
const optimizer = fc.option(
  share(0.1, 3).map((f) => (i: ProductInput) => ({
    price: i.listPrice * f,
    detail: "model",
  })),
);

/** A product, a strategy and, sometimes, an optimizer. */
export const cases = fc.tuple(product, strategy, optimizer);
/** Decides one generated case. */
export const run = (
  i: ProductInput,
  s: Strategy,
  o: Optimizer | null,
): Decision => decide(i, s, NOW, o ? { optimizer: o } : {});

/** Currency units to cents. */
export const c = (units: number) => Math.round(units * 100);

/** What the guardrails promise, recomputed from the decision and the strategy. */
export function window(i: ProductInput, s: Strategy, d: Decision) {
  const cur = c(d.currentPrice), floor = c(d.floor);
  const top = d.flags.includes("bounds_conflict") ? floor : c(d.ceiling);
  const inside = cur >= floor && cur <= top;
  const over = coverDays(i.stockUnits, i.salesPerDay) > s.overstockCoverDays &&
    i.stockUnits > 0;
  const up = Math.max(1, Math.floor(cur * s.maxStepPct + 1e-6));
  const downPct = over
    ? Math.max(s.overstockStepPct, s.maxStepPct)
    : s.maxStepPct;
  const down = Math.max(1, Math.floor(cur * downPct + 1e-6));
  return { cur, floor, top, inside, up, down };
}
