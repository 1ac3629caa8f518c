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

/** Cents as "899.99". */
export function money(cents: number): string {
  return (cents / 100).toFixed(2);
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
