/** The engine's settings (seed-rule thresholds, price age limit), built in one place. */
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

/** How the engine runs under the configuration: thresholds and the age limit of prices. */
export function pricingOptionsFrom(
  c: Config,
): { thresholds: Thresholds; maxAgeMs: number } {
  return { thresholds: thresholdsFrom(c), maxAgeMs: c.pricingMaxAgeMs };
}
