/**
 * The backtest's own check of every applied price against the strategy's
 * guardrails, computed here from the catalog and the strategy and never from
 * what the decision says about itself, so a pricer that breaks a guardrail
 * (or reports false bounds) is caught. A price is a violation when it lies
 * below the floor, above the ceiling, or further from the old price than the
 * largest step allows.
 */
import type { Strategy } from "../pricing/mod.ts";

/** What the check needs to know about the product. */
export interface Limits {
  listPrice: number;
  unitCost: number;
  mapPrice?: number | null;
  minPrice?: number | null;
  maxPrice?: number | null;
}

export type ViolationKind = "below_floor" | "above_ceiling" | "step_too_large";

// Half a cent: prices are cents, bounds are computed in floating point.
const EPS = 0.005;

/** The floor and ceiling of `limits` under `strategy`, in currency units (cents rounded toward the inside). */
export function boundsOf(
  limits: Limits,
  strategy: Pick<Strategy, "minMargin" | "maxMarkup">,
): { floor: number; ceiling: number } {
  const floor = Math.max(
    Math.ceil(limits.unitCost * (1 + strategy.minMargin) * 100 - 1e-6) / 100,
    limits.mapPrice ?? 0,
    limits.minPrice ?? 0,
  );
  const ceiling = limits.maxPrice ??
    Math.floor(limits.listPrice * (1 + strategy.maxMarkup) * 100 + 1e-6) / 100;
  return { floor, ceiling };
}

/**
 * The guardrails an applied change from `oldPrice` to `newPrice` breaks.
 * `coverDays` is the stock cover when the change was made: an overstocked
 * product may be cut by the larger overstock step. When the old price lay
 * outside the bounds, the move into them is not a step violation (the floor
 * and ceiling win over the largest step).
 */
export function violationsOf(
  limits: Limits,
  strategy: Strategy,
  oldPrice: number,
  newPrice: number,
  coverDays: number,
): ViolationKind[] {
  const { floor, ceiling } = boundsOf(limits, strategy);
  const out: ViolationKind[] = [];
  // A floor above the ceiling wins: the price belongs at the floor then.
  const top = Math.max(floor, ceiling);
  if (newPrice < floor - EPS) out.push("below_floor");
  if (newPrice > top + EPS) out.push("above_ceiling");
  const inside = oldPrice >= floor - EPS && oldPrice <= top + EPS;
  if (!inside) return out;
  const cut = newPrice < oldPrice;
  const pct = cut && coverDays > strategy.overstockCoverDays
    ? Math.max(strategy.overstockStepPct, strategy.maxStepPct)
    : strategy.maxStepPct;
  // A step of at least a cent, as the guardrail allows for very cheap items.
  const allowed = Math.max(0.01, Math.floor(oldPrice * pct * 100 + 1e-6) / 100);
  if (Math.abs(newPrice - oldPrice) > allowed + EPS) out.push("step_too_large");
  return out;
}
