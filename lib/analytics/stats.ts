/**
 * Small numeric helpers shared by the analyses. Kept here so every analysis
 * rounds and averages the same way.
 */

export { round } from "../round.ts";

/** Arithmetic mean; `null` for an empty list. */
export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population standard deviation (divides by n); `null` for an empty list. */
export function popStdev(xs: readonly number[]): number | null {
  const m = mean(xs);
  if (m === null) return null;
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/** Sum of a list (0 for an empty one). */
export function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** The key with the largest count; ties go to the alphabetically first key. */
export function argmax(
  counts: Readonly<Record<string, number>>,
): string | null {
  let best: string | null = null;
  for (const [k, v] of Object.entries(counts)) {
    if (v <= 0) continue;
    const b = best === null ? -1 : counts[best]!;
    if (v > b || (v === b && k < best!)) best = k;
  }
  return best;
}
