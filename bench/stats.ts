/** Small helpers the benchmarks share. */

/** The `p` quantile (0–1) of an ascending array, by nearest rank; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
