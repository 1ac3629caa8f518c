/**
 * The pricing rule, pure: given our price, the average of competitors' latest
 * prices and the purchases of the last hour, what should the price be and how
 * sure are we. `engine.ts` applies it to every product in one pass.
 */

export interface Thresholds {
  /** |gap| beyond which we act (0.10 = 10%). */
  gap: number;
  /** Purchases/hour below which an overpriced product is lowered. */
  lowVelocity: number;
  /** Purchases/hour at or above which an underpriced product is raised. */
  highVelocity: number;
  /** Gap at which confidence reaches 1 (0.20 = 20%). */
  confidenceScale: number;
  /** Recommended price = targetFactor × average competitor price. */
  targetFactor: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  gap: 0.10,
  lowVelocity: 2,
  highVelocity: 5,
  confidenceScale: 0.20,
  targetFactor: 0.99,
};

import type { Action } from "./action.ts";

/** The rule's decision: raise, lower or hold. */
export type Recommendation = Action;

export interface Decision {
  recommendation: Recommendation;
  /** (ours − avg) / avg. */
  gap: number;
  confidence: number;
  recommendedPrice: number;
}

const round = (x: number, digits: number) =>
  Math.round(x * 10 ** digits) / 10 ** digits;

/** Applies the rule; prices in currency units, velocity in purchases/hour. */
export function decide(
  ourPrice: number,
  avgCompetitor: number,
  velocity: number,
  t: Thresholds,
): Decision {
  // Rounded to 10 decimals so 110 vs 100 is exactly +10% (hold), not 10.000000000000002%.
  const gap = round((ourPrice - avgCompetitor) / avgCompetitor, 10);
  const target = round(t.targetFactor * avgCompetitor, 2);
  const scaled = Math.abs(gap) / t.confidenceScale;
  if (gap > t.gap && velocity < t.lowVelocity) {
    return {
      recommendation: "lower",
      gap,
      confidence: round(Math.min(scaled, 1), 4),
      recommendedPrice: target,
    };
  }
  if (gap < -t.gap && velocity >= t.highVelocity) {
    return {
      recommendation: "raise",
      gap,
      confidence: round(Math.min(scaled, 1), 4),
      recommendedPrice: target,
    };
  }
  return {
    recommendation: "hold",
    gap,
    confidence: round(Math.max(0.5, 1 - scaled), 4),
    recommendedPrice: ourPrice,
  };
}
