/**
 * What if we followed every `lower` recommendation? A constant-elasticity
 * demand model: units change by (new price / old price)^elasticity, at the
 * elasticity learned from our own orders for the product's category where
 * its interval is narrow (`elasticity.ts`), else at the fixed one.
 */
import { round, sum } from "./stats.ts";

export const DEFAULT_ELASTICITY = -1.5;
export const ELASTICITY_RANGE = { min: -10, max: 0 } as const;

/** Stated on the page next to the result. */
export const SIMULATION_ASSUMPTION =
  "Constant price elasticity: units sold change by (recommended price / current price) ^ elasticity, " +
  "the elasticity learned from our own orders for the product's category where its 95% interval is narrow " +
  "(half-width at most 20% of the estimate), else the fixed one set here; " +
  "baseline units per day are the purchases observed in the window scaled to 24 hours; " +
  "competitors do not react and only products with a 'lower' recommendation change price.";

export interface LowerCandidate {
  productId: string;
  productName: string;
  currentPrice: number;
  recommendedPrice: number;
  confidence: number;
  /** Purchases of the product in the window. */
  unitsInWindow: number;
  /** The learned elasticity of its category when narrow; used instead of the fixed one. */
  learnedElasticity?: number | null;
}

export interface SimulatedProduct {
  productId: string;
  productName: string;
  currentPrice: number;
  recommendedPrice: number;
  confidence: number;
  unitsInWindow: number;
  priceChangePct: number;
  unitsPerDayBefore: number;
  unitsPerDayAfter: number;
  revenuePerDayBefore: number;
  revenuePerDayAfter: number;
  revenuePerDayDelta: number;
  /** The elasticity this product was simulated at, and where it came from. */
  elasticity: number;
  elasticitySource: "learned" | "fixed";
}

export interface SimulationResult {
  /** The fixed elasticity: used for every product without a learned one. */
  elasticity: number;
  assumption: string;
  products: SimulatedProduct[];
  totals: {
    revenuePerDayBefore: number;
    revenuePerDayAfter: number;
    revenuePerDayDelta: number;
  };
}

/** Checks an elasticity: a finite number in [−10, 0]; throws a RangeError naming the value otherwise. */
export function checkElasticity(e: number): number {
  if (
    !Number.isFinite(e) || e < ELASTICITY_RANGE.min || e > ELASTICITY_RANGE.max
  ) {
    throw new RangeError(
      `Elasticity "${e}" is out of range: expected a number from ${ELASTICITY_RANGE.min} to ${ELASTICITY_RANGE.max}`,
    );
  }
  return e;
}

/**
 * Simulates one day at the recommended prices. With p0 the current price,
 * p1 the recommended one, q0 = units in window × 24 / window hours and ε the
 * elasticity: q1 = q0 · (p1/p0)^ε, revenue before = p0·q0, after = p1·q1.
 * Units are rounded to 4 decimals, dollars to 2 (totals summed before
 * rounding). A window of 0 hours is refused.
 */
export function simulateLowering(
  candidates: readonly LowerCandidate[],
  windowHours: number,
  elasticity = DEFAULT_ELASTICITY,
): SimulationResult {
  checkElasticity(elasticity);
  if (!(windowHours > 0)) {
    throw new RangeError(
      `Window of "${windowHours}" hours is invalid: expected more than 0`,
    );
  }
  const raw = candidates.map((c) => {
    const learned = c.learnedElasticity ?? null;
    const e = learned === null ? elasticity : checkElasticity(learned);
    const q0 = (c.unitsInWindow * 24) / windowHours;
    const q1 = q0 * (c.recommendedPrice / c.currentPrice) ** e;
    const r0 = c.currentPrice * q0, r1 = c.recommendedPrice * q1;
    return { c, e, learned: learned !== null, q0, q1, r0, r1 };
  });
  const products = raw.map((
    { c, e, learned, q0, q1, r0, r1 },
  ): SimulatedProduct => ({
    productId: c.productId,
    productName: c.productName,
    currentPrice: c.currentPrice,
    recommendedPrice: c.recommendedPrice,
    confidence: c.confidence,
    unitsInWindow: c.unitsInWindow,
    priceChangePct: round(
      ((c.recommendedPrice - c.currentPrice) / c.currentPrice) * 100,
      2,
    ),
    unitsPerDayBefore: round(q0, 4),
    unitsPerDayAfter: round(q1, 4),
    revenuePerDayBefore: round(r0, 2),
    revenuePerDayAfter: round(r1, 2),
    revenuePerDayDelta: round(r1 - r0, 2),
    elasticity: round(e, 3),
    elasticitySource: learned ? "learned" : "fixed",
  }));
  const before = sum(raw.map((x) => x.r0));
  const after = sum(raw.map((x) => x.r1));
  return {
    elasticity,
    assumption: SIMULATION_ASSUMPTION,
    products,
    totals: {
      revenuePerDayBefore: round(before, 2),
      revenuePerDayAfter: round(after, 2),
      revenuePerDayDelta: round(after - before, 2),
    },
  };
}
