/**
 * `deno bench lib/pricing/decide_bench.ts`: the cost of one decision, for the
 * one-pass run over a million products (the target is under 5 µs each).
 * Products are varied (3-5 competitors, an occasional stale or junk price,
 * a third in cooldown, some with recent cuts) so the branch predictor and the
 * caches see a catalog, not one product a million times.
 */
import { decide } from "./decide.ts";
import { DEFAULT_STRATEGY, validateStrategy } from "./strategy.ts";
import type { Observation, ProductInput, Strategy } from "./types.ts";
import { HOUR_MS as HOUR } from "../time.ts";

const NOW = Date.UTC(2025, 10, 25, 12);
const BATCH = 1000;

// mulberry32: a seeded source so every run benches the same catalog.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function observations(r: () => number, around: number): Observation[] {
  const list: Observation[] = [];
  const n = 3 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const junk = r() < 0.02;
    const stale = r() < 0.05;
    list.push({
      source: `C${i}`,
      price: junk ? 0.001 : Math.round(around * (0.85 + r() * 0.3) * 100) / 100,
      observedAt: NOW - (stale ? 8 * HOUR : r() * 5 * HOUR),
      eventId: `e${i}`,
    });
  }
  return list;
}

function product(r: () => number, i: number): ProductInput {
  const list = Math.round((5 + r() * 2000) * 100) / 100;
  const current = Math.round(list * (0.8 + r() * 0.3) * 100) / 100;
  const cut = r() < 0.2;
  return {
    productId: `P${i}`,
    category: "bench",
    listPrice: list,
    currentPrice: current,
    unitCost: Math.round(list * (0.5 + r() * 0.3) * 100) / 100,
    mapPrice: r() < 0.3 ? Math.round(list * 0.7 * 100) / 100 : null,
    minPrice: null,
    maxPrice: null,
    observations: observations(r, current),
    stockUnits: Math.floor(r() * 500),
    salesPerDay: r() * 20,
    purchasesLastHour: Math.floor(r() * 8),
    lastAppliedAt: r() < 0.33 ? NOW - r() * 2 * HOUR : null,
    recentChanges: cut
      ? [{ at: NOW - 3 * HOUR, oldPrice: current * 1.03, newPrice: current }]
      : [],
  };
}

const r = random(42);
const PRODUCTS = Array.from({ length: 10_000 }, (_, i) => product(r, i));
const STRATEGIES: Strategy[] = [
  DEFAULT_STRATEGY,
  validateStrategy({ target: { kind: "average", offsetPct: -0.01 } }),
  validateStrategy({
    target: { kind: "cheapest" },
    autoApply: { maxChangePct: 0.03, minConfidence: 0.8 },
  }),
];

let next = 0;
Deno.bench(
  `decide - ${BATCH} typical products (divide by ${BATCH} for one)`,
  () => {
    for (let k = 0; k < BATCH; k++) {
      const i = next++ % PRODUCTS.length;
      decide(PRODUCTS[i]!, STRATEGIES[i % 3]!, NOW);
    }
  },
);

Deno.bench("decide - one product that holds for insufficient data", () => {
  decide({ ...PRODUCTS[0]!, observations: [] }, DEFAULT_STRATEGY, NOW);
});
