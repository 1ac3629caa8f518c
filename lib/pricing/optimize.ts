/**
 * The `optimize` target: the price in [floor, ceiling] that maximises
 * expected gross margin per hour, (p − c)·q(p), with demand depending on our
 * price relative to the competitors' average, q ∝ (p / ref)^ε. With the
 * reference fixed its optimum is p* = c·ε/(1+ε) when ε < −1 (the inverse
 * elasticity rule); when competitors follow our price (`reactions.ts`), the
 * reference moves with p, and the optimum is searched on the kinked curve
 * they imply: a cut they follow wins fewer sales than it costs. Refinements:
 *
 * - stock: if the demand expected at p* until the next delivery exceeds the
 *   stock, the price rises to the lowest one at which the stock lasts; selling
 *   the same units for more beats selling out and losing sales at p*;
 * - learning: while the elasticity's interval is wide, the estimate is shrunk
 *   toward a prior (precision-weighted, a normal–normal posterior) and the
 *   price is tested around the optimum (−δ, 0 or +δ, deterministic from seed,
 *   product and 4-hour slot) so the data keep the variation the estimator
 *   needs. δ is a quarter of the interval's relative half-width, between 2%
 *   and 10%: the less we know, the larger the test. Small tests cannot teach
 *   much: the information grows with the square of the price variation, and
 *   a category selling ~30 units an hour needs ±10% tests to pin its
 *   elasticity within ±25% in two weeks.
 *
 * `makeOptimizer` returns the hook `decide()` calls for its `optimize`
 * strategy; the guardrails (step size, cooldown, rounding) stay there.
 */
import { type ElasticityEstimate, isNarrow } from "../elasticity/estimate.ts";
import { Rng } from "../rng.ts";
import { expectedReference, type Reaction } from "./reactions.ts";
import { HOUR_MS } from "../time.ts";
import { dollars } from "./money.ts";

export interface Observation {
  source: string;
  price: number;
  observedAt: number | string | Date;
}

/** What the optimizer reads of `decide()`'s input. */
export interface OptimizerInput {
  productId: string;
  category: string;
  listPrice: number;
  currentPrice: number;
  unitCost: number;
  stockUnits: number;
  /** Recent units sold per day at about the current price. */
  salesPerDay: number;
  observations: readonly Observation[];
  /** Hours until the next delivery, when known (default: the lead time). */
  hoursToReplenishment?: number;
  /** The decision time (ms), when the caller has one. */
  now?: number;
}

export type Optimizer = (
  input: OptimizerInput,
  usedObservations: readonly Observation[],
  floor: number,
  ceiling: number,
) => { price: number; detail: string };

export interface OptimizerOptions {
  /** The current estimate for a product (see `estimateLookup`); undefined when there is none yet. */
  elasticity: (
    category: string,
    productId: string,
  ) => ElasticityEstimate | undefined;
  /** Prior belief about ε: default −1.5 (the revenue simulation's assumption), sd 0.75. */
  prior?: { mean: number; sd: number };
  /** Seed of the price tests. */
  seed?: string;
  /** Smallest price test (default 0.02 = ±2%). */
  exploration?: number;
  /** Largest price test, while the interval is widest (default 0.10). */
  maxExploration?: number;
  /** Competitors that follow our price of a product (default: none known). */
  reactions?: (productId: string) => readonly Reaction[];
  /** How long one test price holds (default 4 h). */
  explorationHours?: number;
  /** Hours to the next delivery when the input does not say (default 72, the supplier lead time). */
  leadTimeHours?: number;
  /** The time when the input has none (a simulated clock in backtests). */
  clock?: () => number;
}

export const DEFAULT_PRIOR = { mean: -1.5, sd: 0.75 } as const;
const Z95 = 1.959964;

const clamp = (x: number, lo: number, hi: number) =>
  Math.min(hi, Math.max(lo, x));

/**
 * The ε to price with: the point estimate when its interval is narrow,
 * otherwise the precision-weighted mean of estimate and prior (the prior
 * alone without an estimate).
 */
export function shrinkElasticity(
  est: ElasticityEstimate | undefined,
  prior: { mean: number; sd: number } = DEFAULT_PRIOR,
): { value: number; narrow: boolean } {
  if (!est) return { value: prior.mean, narrow: false };
  if (isNarrow(est)) return { value: est.estimate, narrow: true };
  const se = Math.max(1e-9, (est.high - est.low) / (2 * Z95));
  const w = prior.sd ** 2 / (prior.sd ** 2 + se ** 2);
  return { value: w * est.estimate + (1 - w) * prior.mean, narrow: false };
}

/** The margin-maximising price c·ε/(1+ε) within bounds; the ceiling when ε ≥ −1 (demand too inelastic to stop rising). */
export function marginOptimalPrice(
  elasticity: number,
  unitCost: number,
  floor: number,
  ceiling: number,
): number {
  if (elasticity >= -1) return ceiling;
  return clamp(unitCost * elasticity / (1 + elasticity), floor, ceiling);
}

/**
 * The lowest price at which expected sales over `hours` do not exceed
 * `stock`, demand scaling as (p / current)^ε from `salesPerDay` at the
 * current price; 0 when the stock lasts at any price, Infinity when there is none.
 */
export function stockLastingPrice(
  input: Pick<OptimizerInput, "currentPrice" | "salesPerDay" | "stockUnits">,
  elasticity: number,
  hours: number,
): number {
  const demand = input.salesPerDay / 24 * hours;
  if (demand <= 0) return 0;
  if (input.stockUnits <= 0) return Infinity;
  if (elasticity >= 0) return 0;
  return input.currentPrice * (input.stockUnits / demand) ** (1 / elasticity);
}

/** A lookup that prefers a product's own narrow estimate, else its category's. */
export function estimateLookup(
  result: { categories: ElasticityEstimate[]; products: ElasticityEstimate[] },
): OptimizerOptions["elasticity"] {
  const own = new Map(result.products.map((e) => [e.productId!, e]));
  const cat = new Map(result.categories.map((e) => [e.category, e]));
  return (category, productId) => {
    const p = own.get(productId);
    return p && isNarrow(p) ? p : cat.get(category) ?? p;
  };
}

/**
 * The size of a price test while the interval is wide: a quarter of its
 * relative half-width, between `min` and `max` (`max` without an estimate).
 */
export function testSize(
  est: ElasticityEstimate | undefined,
  min = 0.02,
  max = 0.1,
): number {
  if (!est || est.estimate === 0) return max;
  const relative = (est.high - est.low) / 2 / Math.abs(est.estimate);
  return clamp(relative / 4, min, max);
}

/**
 * The margin-maximising price when some of the competitors in `used` follow
 * ours: (p − c)·(p / ref(p))^ε on a log grid over [floor, ceiling], refined
 * around the best point. Without a follower the reference is fixed and the
 * analytic optimum is exact.
 */
export function reactiveOptimalPrice(
  elasticity: number,
  unitCost: number,
  floor: number,
  ceiling: number,
  used: readonly { source: string; price: number }[],
  reactions: readonly Reaction[],
): number {
  const followed = used.some((o) =>
    reactions.some((r) => r.competitor === o.source)
  );
  if (!followed || !(ceiling > floor)) {
    return marginOptimalPrice(elasticity, unitCost, floor, ceiling);
  }
  const margin = (p: number) =>
    (p - unitCost) *
    (p / expectedReference(p, used, reactions)) ** elasticity;
  const span = Math.log(ceiling / floor);
  let best = floor, top = margin(floor);
  const scan = (from: number, width: number, n: number) => {
    for (let i = 0; i <= n; i++) {
      const p = clamp(floor * Math.exp(from + width * i / n), floor, ceiling);
      const m = margin(p);
      if (m > top) [best, top] = [p, m];
    }
  };
  scan(0, span, 120);
  scan(Math.log(best / floor) - span / 120, 2 * span / 120, 40);
  return best;
}

/** Builds the `optimizer` hook for `decide()`. */
export function makeOptimizer(opts: OptimizerOptions): Optimizer {
  const slotMs = (opts.explorationHours ?? 4) * HOUR_MS;
  return function optimizer(input, used, floor, ceiling) {
    const est = opts.elasticity(input.category, input.productId);
    const { value: e, narrow } = shrinkElasticity(est, opts.prior);
    const reactions = opts.reactions?.(input.productId) ?? [];
    const best = reactiveOptimalPrice(
      e,
      input.unitCost,
      floor,
      ceiling,
      used,
      reactions,
    );
    const hours = input.hoursToReplenishment ?? opts.leadTimeHours ?? 72;
    const lasting = stockLastingPrice(input, e, hours);
    let price = clamp(Math.max(best, lasting), floor, ceiling);
    let test = 0;
    if (!narrow) {
      const slot = Math.floor(timeOf(input, used, opts) / slotMs);
      const size = testSize(est, opts.exploration, opts.maxExploration);
      test = new Rng(`${opts.seed ?? ""}:${input.productId}:${slot}`)
        .int(-1, 1) * size;
      price = clamp(price * (1 + test), floor, ceiling);
    }
    const followers = reactions.filter((r) =>
      used.some((o) => o.source === r.competitor)
    );
    return {
      price,
      detail: describe(est, e, narrow, best, lasting, test, used, followers),
    };
  };
}

function timeOf(
  input: OptimizerInput,
  used: readonly Observation[],
  opts: OptimizerOptions,
): number {
  if (input.now !== undefined) return input.now;
  if (opts.clock) return opts.clock();
  const times = used.map((o) => new Date(o.observedAt).getTime());
  return times.length ? Math.max(...times) : 0;
}

function describe(
  est: ElasticityEstimate | undefined,
  e: number,
  narrow: boolean,
  best: number,
  lasting: number,
  test: number,
  used: readonly Observation[],
  followers: readonly Reaction[],
): string {
  const f = (x: number) => x.toFixed(2);
  const parts = [
    est
      ? `elasticity ${f(est.estimate)} [${f(est.low)}, ${f(est.high)}]${
        narrow ? "" : ` shrunk to ${f(e)}`
      }`
      : `elasticity prior ${f(e)}`,
    `margin optimum ${dollars(best)}`,
  ];
  if (lasting > best) parts.push(`stock lasts from ${dollars(lasting)}`);
  if (test !== 0) {
    parts.push(`price test ${test > 0 ? "+" : ""}${f(test * 100)}%`);
  }
  if (used.length) {
    const ref = used.reduce((n, o) => n + o.price, 0) / used.length;
    parts.push(`competitors ${dollars(ref)}`);
  }
  for (const r of followers) {
    parts.push(
      `${r.competitor} follows at ×${f(r.ratio)} after ${r.lagHours} h, up to ${
        dollars(r.highest)
      }`,
    );
  }
  return parts.join("; ");
}
