/**
 * Rounding to a price ending (x.99): the last guardrail. It never leaves the
 * window the other guardrails allowed, so it cannot undo the floor, the
 * ceiling or the largest step.
 */

/**
 * The largest price (cents) ending in `ending` cents that is ≤ `price` and
 * ≥ `low`; else the smallest ≥ `low` that is ≤ `high`; null when no price
 * with that ending lies in [low, high].
 */
export function roundToEnding(
  price: number,
  low: number,
  high: number,
  ending: number,
): number | null {
  const down = Math.floor((price - ending) / 100) * 100 + ending;
  if (down >= low && down <= high) return down;
  const up = Math.ceil((low - ending) / 100) * 100 + ending;
  return up <= high ? up : null;
}

/** The ending as analysts write it: 99 → ".99", 0 → ".00". */
export function endingLabel(ending: number): string {
  return `.${String(ending).padStart(2, "0")}`;
}
