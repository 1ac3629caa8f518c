/**
 * Money in integer cents, and the few formats explanations use. Guardrails
 * work in cents so a floor of cost × 1.10 never lands a fraction of a cent
 * below cost, and rounding to a price ending is exact.
 */

// 1e-6 of a cent absorbs binary noise such as 50 × 1.1 = 55.000000000000007,
// which would otherwise make a floor one cent too high.
const NOISE = 1e-6;

/** Currency units to the nearest integer cents (never −0). */
export function toCents(units: number): number {
  return Math.round(units * 100) + 0;
}

/** Currency units to cents, rounding up: for floors. */
export function ceilCents(units: number): number {
  return Math.ceil(units * 100 - NOISE) + 0;
}

/** Currency units to cents, rounding down: for ceilings and steps. */
export function floorCents(units: number): number {
  return Math.floor(units * 100 + NOISE) + 0;
}

/** Cents to currency units (never −0). */
export function fromCents(cents: number): number {
  return cents / 100 + 0;
}

/**
 * Cents as "$899.99" ("-$5.00" below zero). The shop prices in US dollars
 * (SHOP_CURRENCY of the catalog import), as the dashboard shows them.
 */
export function money(cents: number): string {
  return dollars(cents / 100);
}

/**
 * Currency units as "$1,899.99": to the cent as `toFixed(2)` rounds (the
 * exact binary value, so 2.675 reads $2.67), grouped by thousands. Not
 * `money` of lib/format.ts: `Intl.NumberFormat` rounds the decimal text
 * (2.675 reads $2.68), and an explanation must name the cents the decision
 * stored.
 */
export function dollars(units: number): string {
  const fixed = Math.abs(units).toFixed(2);
  const text = fixed.replace(
    /^\d+/,
    (int) => int.replace(/\B(?=(\d{3})+$)/g, ","),
  );
  return units < 0 && fixed !== "0.00" ? `-$${text}` : `$${text}`;
}

/** A share as a signed percentage, "+3.2%" or "-10%". */
export function percent(share: number): string {
  const p = Math.round(share * 1000) / 10 + 0;
  return `${p > 0 ? "+" : ""}${p}%`;
}

/** A duration for an analyst: "45 min", "7.5 h" or "3 d". */
export function duration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 6) / 10} h`;
  return `${Math.round(minutes / 144) / 10} d`;
}
