/** Rounds `x` to `digits` decimals (half away from zero, as Postgres does): one rounding for every figure shown. */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.sign(x) * Math.round(Math.abs(x) * f) / f;
}
