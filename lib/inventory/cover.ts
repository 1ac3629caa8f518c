/**
 * What a warehouse manager asks of one stock cell (a product in a
 * warehouse): how fast it sells, how many days the stock lasts, how likely it
 * runs out before a delivery could arrive, and how much to order now. Pure
 * arithmetic on the figures the dashboard queries; the policy is the one the
 * simulated shop orders by (lib/market/stock.ts), with its parameters in
 * settings (REORDER_*):
 *
 * - sales rate μ = units sold / hours observed (units per hour; ×24 per day),
 *   pooled with what the cell is expected to sell, π, as if it had sold at π
 *   for {@linkcode PRIOR_HOURS} more: μ = (units + π·h₀) / (hours + h₀). With
 *   minutes of history one sale would otherwise read as hundreds a day; as
 *   history grows the expectation fades out. π is the cell's product's rate
 *   across the shop times its warehouse's share of the shop's sales (see
 *   {@linkcode cellPriors}): a slow product in a small warehouse is expected
 *   to sell slowly before it has sold much;
 * - days of cover = stock / (24 μ), none while nothing sells;
 * - demand over the lead time L has mean D = μL and, for Poisson demand and
 *   a lead time uniform in L ± spread (σ_L = 2·spread/√12),
 *   σ_D = √(μL + μ²σ_L²);
 * - reorder point s = D + z·σ_D (z = 1.65: a 95 % cycle service level);
 * - stock-out risk = P(demand over the lead time > stock) = 1 − Φ((stock − D)/σ_D):
 *   the chance the cell runs dry before an order placed now arrives;
 * - risk level: high when out of stock or stock ≤ D (it runs out before a
 *   delivery on average; days of cover ≤ the lead time), medium when stock ≤ s
 *   (below the reorder point), low above it;
 * - reorder quantity, at or below s: (s − stock) + Q with Q = cover days of
 *   demand: back to the reorder point plus one order's worth; 0 above s.
 *
 * Orders already on their way are not known here (purchase orders are not
 * an event stream), so a suggestion may repeat one that was placed.
 */
import type { Config } from "../config.ts";

export interface ReorderPolicy {
  /** Mean supplier lead time, hours. */
  leadTimeHours: number;
  /** The lead time is uniform in mean ± this many hours. */
  leadTimeSpreadHours: number;
  /** Safety factor z of the reorder point. */
  safetyZ: number;
  /** Days of demand one order covers. */
  coverDays: number;
}

export type RiskLevel = "high" | "medium" | "low";

/** Hours of its expected rate a cell's own sales are pooled with. */
export const PRIOR_HOURS = 1;

/** One cell's stock and what it sold over `hours`. */
export interface CellSales {
  stock: number;
  unitsSold: number;
  /** Hours the sales were counted over; 0 when there is no history yet. */
  hours: number;
  /** What the cell is expected to sell (units/hour) before its own sales say much, to pool with ({@linkcode cellPriors}). */
  priorPerHour?: number;
}

export interface Assessment {
  /** Units sold per day. */
  salesPerDay: number;
  /** Stock ÷ sales per day; null while nothing sells. */
  daysOfCover: number | null;
  /** Expected demand over the lead time, units. */
  leadTimeDemand: number;
  /** Reorder point s, units. */
  reorderPoint: number;
  /** Probability that demand over the lead time exceeds the stock, 0–1. */
  stockoutRisk: number;
  risk: RiskLevel;
  /** Units to order now (0 above the reorder point). */
  reorderQty: number;
}

/** Standard normal CDF, Φ(x), via erf (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 +
    t *
      (-0.284496736 +
        t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Units sold per hour, pooled with `priorPerHour` when given; 0 without history. */
export function salesPerHour(c: CellSales): number {
  if (!(c.hours > 0)) return 0;
  const units = Math.max(0, c.unitsSold);
  if (c.priorPerHour === undefined) return units / c.hours;
  return (units + c.priorPerHour * PRIOR_HOURS) / (c.hours + PRIOR_HOURS);
}

/** Units the whole shop sold over `hours`, by product and by warehouse. */
export interface ShopSales {
  hours: number;
  /** Every product with stock cells, 0 for those that sold nothing. */
  byProduct: ReadonlyMap<string, number>;
  /** Every warehouse with stock cells, 0 for those that sold nothing. */
  byWarehouse: ReadonlyMap<string, number>;
}

/** Bounds of the pooling weight {@linkcode productPriorWeight} estimates, units. */
export const PRODUCT_PRIOR_WEIGHT = { min: 0.5, max: 100 } as const;

/**
 * How many units of evidence the shop's mean rate per product is worth when
 * pooled with one product's own sales: the shape α of a gamma prior on the
 * products' rates, by the method of moments. Counts n over h hours of rates
 * λ ~ Gamma(α, α/M) have Var(n) = E(n) + Var(λ)·h², so the rates' squared
 * coefficient of variation is (Var(n) − E(n)) / E(n)² and α = 1 / CV². The
 * more products differ, the less the mean is worth; held in
 * {@linkcode PRODUCT_PRIOR_WEIGHT} (no spread beyond Poisson noise gives the
 * maximum).
 */
export function productPriorWeight(counts: readonly number[]): number {
  const n = counts.length;
  if (n < 2) return PRODUCT_PRIOR_WEIGHT.min;
  const mean = counts.reduce((a, c) => a + c, 0) / n;
  if (!(mean > 0)) return PRODUCT_PRIOR_WEIGHT.max;
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (n - 1);
  const cv2 = (variance - mean) / (mean * mean);
  if (!(cv2 > 0)) return PRODUCT_PRIOR_WEIGHT.max;
  return Math.min(
    PRODUCT_PRIOR_WEIGHT.max,
    Math.max(PRODUCT_PRIOR_WEIGHT.min, 1 / cv2),
  );
}

/**
 * What each cell is expected to sell (units/hour) from the shop's sales alone,
 * for {@linkcode CellSales.priorPerHour}: its product's rate times its
 * warehouse's share, as if where an order ships from did not depend on what
 * was ordered. The product's rate is its own sales pooled with the shop's
 * mean per product, weighted by {@linkcode productPriorWeight} (a product's
 * sales are a few cells' worth, so they speak sooner than one cell's); the
 * share is smoothed by one unit per warehouse. 0 for everything while the
 * shop sold nothing.
 */
export function cellPriors(
  s: ShopSales,
): (product: string, warehouse: string) => number {
  const counts = [...s.byProduct.values()].map((n) => Math.max(0, n));
  const total = counts.reduce((a, c) => a + c, 0);
  if (!(s.hours > 0) || !(total > 0)) return () => 0;
  const meanRate = total / counts.length / s.hours;
  const alpha = productPriorWeight(counts);
  const shopSold = [...s.byWarehouse.values()].reduce(
    (a, c) => a + Math.max(0, c),
    0,
  );
  const warehouses = Math.max(1, s.byWarehouse.size);
  return (product, warehouse) => {
    const own = Math.max(0, s.byProduct.get(product) ?? 0);
    const rate = (own + alpha) / (s.hours + alpha / meanRate);
    const share = (Math.max(0, s.byWarehouse.get(warehouse) ?? 0) + 1) /
      (shopSold + warehouses);
    return rate * share;
  };
}

/** Days the stock lasts at `perDay`; null while nothing sells (it lasts indefinitely). */
export function daysOfCover(stock: number, perDay: number): number | null {
  if (stock <= 0) return 0;
  return perDay > 0 ? stock / perDay : null;
}

/** Mean and standard deviation of the demand over the lead time, for `perHour`. */
export function leadTimeDemand(
  perHour: number,
  p: ReorderPolicy,
): { mean: number; sd: number } {
  const mean = perHour * p.leadTimeHours;
  const sdLead = (2 * p.leadTimeSpreadHours) / Math.sqrt(12);
  return { mean, sd: Math.sqrt(mean + (perHour * sdLead) ** 2) };
}

/** P(demand over the lead time > stock): 1 when out of stock, 0 when nothing sells. */
export function stockoutRisk(
  stock: number,
  perHour: number,
  p: ReorderPolicy,
): number {
  if (stock <= 0) return 1;
  const { mean, sd } = leadTimeDemand(perHour, p);
  if (sd === 0) return 0;
  return 1 - normalCdf((stock - mean) / sd);
}

/** The cell's figures under policy `p` (see the module comment for each formula). */
export function assess(c: CellSales, p: ReorderPolicy): Assessment {
  const perHour = salesPerHour(c);
  const { mean, sd } = leadTimeDemand(perHour, p);
  const s = mean + p.safetyZ * sd;
  const order = perHour * 24 * p.coverDays;
  const risk: RiskLevel = c.stock <= 0 || (perHour > 0 && c.stock <= mean)
    ? "high"
    : perHour > 0 && c.stock <= s
    ? "medium"
    : "low";
  return {
    salesPerDay: perHour * 24,
    daysOfCover: daysOfCover(c.stock, perHour * 24),
    leadTimeDemand: mean,
    reorderPoint: s,
    stockoutRisk: stockoutRisk(c.stock, perHour, p),
    risk,
    reorderQty: perHour > 0 && c.stock <= s
      ? Math.ceil(s - Math.max(0, c.stock) + order)
      : 0,
  };
}

/** The policy the settings describe (REORDER_LEAD_TIME_HOURS, …). */
export function reorderPolicyOf(
  c: Pick<
    Config,
    | "reorderLeadTimeHours"
    | "reorderLeadTimeSpreadHours"
    | "reorderSafetyZ"
    | "reorderCoverDays"
  >,
): ReorderPolicy {
  return {
    leadTimeHours: c.reorderLeadTimeHours,
    leadTimeSpreadHours: c.reorderLeadTimeSpreadHours,
    safetyZ: c.reorderSafetyZ,
    coverDays: c.reorderCoverDays,
  };
}

/** Risk levels from most to least urgent, for sorting. */
export const RISK_ORDER: Record<RiskLevel, number> = {
  high: 0,
  medium: 1,
  low: 2,
};
