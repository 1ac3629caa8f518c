/**
 * Draws from the distributions the market needs, on a seeded `Rng`, so a run
 * is reproducible. Exact samplers, not normal approximations, wherever counts
 * are small enough for the difference to matter.
 */
import type { Rng } from "../rng.ts";

/** A standard normal draw (Box–Muller; one of the pair is discarded for simplicity). */
export function normal(rng: Rng): number {
  const u = 1 - rng.next(); // in (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const LOG_FACT = [0, 0, 0.6931471805599453, 1.791759469228055];
for (let k = 4; k < 16; k++) LOG_FACT[k] = LOG_FACT[k - 1]! + Math.log(k);

/** ln(k!), exact from a table up to 15 and Stirling's series above. */
export function logFactorial(k: number): number {
  if (k < 16) return LOG_FACT[k]!;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) +
    1 / (12 * x) - 1 / (360 * x ** 3);
}

/**
 * A Poisson draw with mean `lambda`: Knuth's product method below 30, where it
 * is fast, and Hörmann's PTRS transformed rejection above, which stays exact
 * and O(1) for large means.
 */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = rng.next();
    while (p > limit) {
      k++;
      p *= rng.next();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v * invAlpha / (a / (us * us) + b));
    if (lhs <= -lambda + k * loglam - logFactorial(k)) return k;
  }
}

/**
 * A binomial draw: `n` trials with success probability `p`, by inversion of
 * the CDF (expected n·min(p, 1−p) steps). Beyond 300 expected successes,
 * where inversion gets slow (and (1−p)^n would underflow) and the normal limit
 * is excellent, a rounded normal.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  if (n * p > 300) {
    const x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(rng));
    return Math.min(n, Math.max(0, x));
  }
  const r = p / (1 - p);
  let f = Math.pow(1 - p, n);
  let u = rng.next();
  let k = 0;
  while (u > f && k < n) {
    u -= f;
    k++;
    f *= r * (n - k + 1) / k;
  }
  return k;
}
