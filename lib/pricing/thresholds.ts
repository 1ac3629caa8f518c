/** The seed rule's thresholds, built from the settings in one place. */
import type { Config } from "../config.ts";
import type { Thresholds } from "./rule.ts";

/** Pricing thresholds from the configuration (PRICING_* settings). */
export function thresholdsFrom(c: Config): Thresholds {
  return {
    gap: c.pricingGap,
    lowVelocity: c.pricingLowVelocity,
    highVelocity: c.pricingHighVelocity,
    confidenceScale: c.pricingConfidenceScale,
    targetFactor: c.pricingTargetFactor,
  };
}
