/**
 * How sure a decision is, and whether it may go live without an analyst.
 *
 * Confidence = count × agreement × freshness, each from the used observations:
 *   count     = 1 − 0.5^n                     (n = usable observations:
 *                                               1 → 0.5, 2 → 0.75, 3 → 0.875)
 *   agreement = 0.5 + 0.5 × max(0, 1 − cv / 0.25)
 *               (cv = standard deviation / mean; a spread of 25% or more
 *               halves confidence, identical prices keep it whole)
 *   freshness = mean of 1 − 0.5 × age / maxAge (a price about to go stale
 *               counts half)
 * No usable observation gives 0, so a product whose only price was
 * quarantined is never trusted. A static target (the list price) needs no
 * market data and has confidence 1. Quarantined observations do not lower
 * it: they were never used, and one more junk price must not change the
 * decision.
 */
import type { AutoApplyRule, Flag, Observation, TargetKind } from "./types.ts";

/** Spread (coefficient of variation) at which agreement bottoms out. */
const CV_SCALE = 0.25;

/** Confidence 0..1 of a decision built on `used`, rounded to 4 decimals. */
export function computeConfidence(
  used: readonly Observation[],
  kind: TargetKind,
  now: number,
  maxAgeMs: number,
): number {
  if (kind === "static") return 1;
  const n = used.length;
  if (n === 0) return 0;
  let sum = 0, fresh = 0;
  for (const o of used) {
    sum += o.price;
    const age = Math.min(Math.max(now - o.observedAt, 0), maxAgeMs);
    fresh += 1 - 0.5 * (maxAgeMs > 0 ? age / maxAgeMs : 0);
  }
  const mean = sum / n;
  let squares = 0;
  for (const o of used) squares += (o.price - mean) ** 2;
  const cv = Math.sqrt(squares / n) / mean;
  const agreement = 0.5 + 0.5 * Math.max(0, 1 - cv / CV_SCALE);
  const c = (1 - 0.5 ** n) * agreement * (fresh / n);
  return Math.round(c * 10_000) / 10_000 + 0;
}

/** Whether a change may be applied without an analyst, and why (not). */
export interface AutoApplyVerdict {
  autoApply: boolean;
  /** Null when there is nothing to say: auto-apply is off or nothing changes. */
  detail: string | null;
}

/**
 * Auto-apply needs the strategy to allow it, a real change of at most
 * `maxChangePct`, confidence of at least `minConfidence`, no flag, and no
 * data-quality gate blocking it (`blocked`).
 */
export function autoApplyVerdict(
  rule: AutoApplyRule | null,
  change: number,
  confidence: number,
  flags: readonly Flag[],
  blocked: string | null,
): AutoApplyVerdict {
  if (!rule || change === 0) return { autoApply: false, detail: null };
  const pct = Math.round(Math.abs(change) * 1000) / 10;
  let why: string | null = null;
  if (Math.abs(change) > rule.maxChangePct + 1e-9) {
    why = `the change of ${pct}% is over ${rule.maxChangePct * 100}%`;
  } else if (confidence < rule.minConfidence) {
    why = `confidence ${confidence} is below ${rule.minConfidence}`;
  } else if (flags.length > 0) why = `flagged ${flags.join(", ")}`;
  else if (blocked) why = `blocked by data quality: ${blocked}`;
  return why ? { autoApply: false, detail: `needs an analyst: ${why}` } : {
    autoApply: true,
    detail: `applies automatically: ${pct}% at confidence ${confidence}`,
  };
}
