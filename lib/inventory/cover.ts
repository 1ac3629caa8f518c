/**
 * What a warehouse manager asks of one stock cell (a product in a
 * warehouse): how fast it sells, how many days the stock lasts, how likely it
 * runs out before a delivery could arrive, and how much to order now. Pure
 * arithmetic on the figures the dashboard queries; the policy is the one the
 * simulated shop orders by (lib/market/stock.ts), with its parameters in
 * settings (REORDER_*):
 *
 * - sales rate μ = units sold / hours observed (units per hour; ×24 per day),
 *   pooled with the shop's mean cell rate m as if it had sold at m for
 *   {@linkcode PRIOR_HOURS} more: μ = (units + m·h₀) / (hours + h₀). With
 *   minutes of history one sale would otherwise read as hundreds a day; as
 *   history grows the shop's mean fades out;
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

/** Hours of the shop's mean rate a cell's own sales are pooled with. */
export const PRIOR_HOURS = 1;

/** One cell's stock and what it sold over `hours`. */
export interface CellSales {
  stock: number;
  unitsSold: number;
  /** Hours the sales were counted over; 0 when there is no history yet. */
  hours: number;
  /** The shop's mean rate per cell (units/hour) over the same hours, to pool with. */
  meanPerHour?: number;
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

/** Units sold per hour, pooled with `meanPerHour` when given; 0 without history. */
export function salesPerHour(c: CellSales): number {
  if (!(c.hours > 0)) return 0;
  const units = Math.max(0, c.unitsSold);
  if (c.meanPerHour === undefined) return units / c.hours;
  return (units + c.meanPerHour * PRIOR_HOURS) / (c.hours + PRIOR_HOURS);
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
