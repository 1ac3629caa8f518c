/**
 * A Poisson regression with log link, fitted by iteratively reweighted least
 * squares on sparse rows (a few non-zeros each: two log prices and one dummy
 * per fixed effect), so fixed effects for every product and hour cost almost
 * nothing. Standard errors are quasi-Poisson: scaled by the Pearson
 * dispersion when the counts vary more than Poisson (never scaled down).
 */

/** One observation: its non-zero columns and values, count, and log exposure. */
export interface SparseRow {
  cols: number[];
  vals: number[];
  y: number;
  offset: number;
}

export interface GlmFit {
  beta: number[];
  /** Covariance of `beta`, dispersion included. */
  cov: number[][];
  dispersion: number;
  iterations: number;
}

/** Cholesky factor L of a symmetric positive-definite `a` (lower triangle), or null when it is singular. */
function cholesky(a: number[][]): number[][] | null {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 1e-10 * Math.max(1, Math.abs(a[i]![i]!)))) return null;
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  return l;
}

function solveCholesky(l: number[][], b: number[]): number[] {
  const n = b.length;
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

function linear(r: SparseRow, beta: number[]): number {
  let eta = r.offset;
  for (let j = 0; j < r.cols.length; j++) eta += r.vals[j]! * beta[r.cols[j]!]!;
  return eta;
}

/** X'WX and X'Wz for weights `w` and working response `z`. */
function normalEquations(
  rows: readonly SparseRow[],
  k: number,
  w: number[],
  z: number[],
): { a: number[][]; b: number[] } {
  const a = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const b = new Array<number>(k).fill(0);
  rows.forEach((r, i) => {
    for (let p = 0; p < r.cols.length; p++) {
      const cp = r.cols[p]!, wv = w[i]! * r.vals[p]!;
      b[cp]! += wv * z[i]!;
      for (let q = 0; q < r.cols.length; q++) {
        a[cp]![r.cols[q]!]! += wv * r.vals[q]!;
      }
    }
  });
  return { a, b };
}

/** Fits y ~ Poisson(exp(offset + Xβ)) with `k` columns; null when X'WX is singular. */
export function fitPoisson(
  rows: readonly SparseRow[],
  k: number,
): GlmFit | null {
  // Start from the data (μ = y + ½), the standard IRLS start that needs no β.
  let mu = rows.map((r) => r.y + 0.5);
  let eta = mu.map((m) => Math.log(m));
  let beta = new Array<number>(k).fill(0);
  let l: number[][] | null = null;
  let it = 0;
  for (; it < 50; it++) {
    const z = rows.map((r, i) => eta[i]! - r.offset + (r.y - mu[i]!) / mu[i]!);
    const { a, b } = normalEquations(rows, k, mu, z);
    l = cholesky(a);
    if (!l) return null;
    const next = solveCholesky(l, b);
    const change = Math.max(...next.map((x, j) => Math.abs(x - beta[j]!)));
    beta = next;
    eta = rows.map((r) => linear(r, beta));
    mu = eta.map((e) => Math.exp(e));
    if (change < 1e-9) break;
  }
  const { a } = normalEquations(rows, k, mu, mu);
  l = cholesky(a);
  if (!l) return null;
  const pearson = rows.reduce((s, r, i) => s + (r.y - mu[i]!) ** 2 / mu[i]!, 0);
  const dispersion = Math.max(1, pearson / Math.max(1, rows.length - k));
  const cov = Array.from(
    { length: k },
    (_, j) =>
      solveCholesky(l!, Array.from({ length: k }, (_, i) => i === j ? 1 : 0))
        .map((v) => v * dispersion),
  );
  return { beta, cov, dispersion, iterations: it + 1 };
}

/** The standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [
    0.007784695709041462,
    0.3224671290700398,
    2.445134137142996,
    3.754408661907416,
  ];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q +
      c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r +
    a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r +
          b[4]!) * r + 1);
}
