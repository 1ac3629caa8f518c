/**
 * Price elasticity learned from our own sales: per category (and per product
 * where the data allow) with a confidence interval.
 *
 * Model: purchases in a (product, hour) cell ~ Poisson(μ) with
 *   ln μ = ln(views) + ε·ln(our price) + β·ln(reference) + product + hour-of-day
 * (without views, ln(views) is dropped and a day-of-week effect added, so
 * traffic seasonality does not pass for a price effect). With `reference:
 * "ratio"` β is fixed at −ε: only our price relative to the competitors' counts.
 *
 * Why a Poisson GLM and not OLS on ln(units + ½): hourly counts per product
 * are small (often 0–5), where the log of a count is biased toward zero and
 * the +½ flattens the price response (estimates shrink toward 0), and zero
 * hours, which carry information, get an arbitrary value. The Poisson
 * likelihood with log link is exactly the constant-elasticity model, is
 * consistent even when counts are overdispersed, and the quasi-Poisson
 * interval widens for that overdispersion.
 */
import { fitPoisson, normalQuantile, type SparseRow } from "./glm.ts";

export interface ElasticityRow {
  productId: string;
  category: string;
  /** Local hour of day, 0–23. */
  hour: number;
  /** Day of week, 0–6: a fixed effect when views are absent. */
  weekday?: number;
  ourPrice: number;
  /** The competitors' average price in the cell. */
  refPrice: number;
  /** Purchases (units) in the cell. */
  units: number;
  /** Product views in the cell: the exposure. */
  views?: number;
}

export interface ElasticityEstimate {
  category: string;
  /** Set for a per-product estimate. */
  productId?: string;
  estimate: number;
  low: number;
  high: number;
  /** Cells used. */
  n: number;
  /** Purchases in those cells. */
  purchases: number;
  method: string;
  /** β, the coefficient of ln(reference), when it was estimated freely. */
  refCoefficient?: number;
}

export interface EstimateOptions {
  /** Confidence level of the interval (default 0.95). */
  level?: number;
  /** "free" estimates β; "ratio" fixes β = −ε (default "free"). */
  reference?: "free" | "ratio";
  /** Purchases a product needs for its own estimate (default 200). */
  minProductPurchases?: number;
}

/** Is the interval narrow: half-width at most `maxRelative` (default 20%) of |estimate|? */
export function isNarrow(
  ci: { estimate: number; low: number; high: number },
  maxRelative = 0.2,
): boolean {
  return (ci.high - ci.low) / 2 <= maxRelative * Math.abs(ci.estimate);
}

/** Estimates elasticity per category, and per product with enough purchases. */
export function estimateElasticity(
  rows: readonly ElasticityRow[],
  opts: EstimateOptions = {},
): { categories: ElasticityEstimate[]; products: ElasticityEstimate[] } {
  const byCategory = groupBy(rows, (r) => r.category);
  const categories: ElasticityEstimate[] = [];
  const products: ElasticityEstimate[] = [];
  for (const [category, cells] of byCategory) {
    const est = fit(cells, opts, true);
    if (est) categories.push({ category, ...est });
    for (const [productId, own] of groupBy(cells, (r) => r.productId)) {
      const units = own.reduce((n, r) => n + r.units, 0);
      if (units < (opts.minProductPurchases ?? 200)) continue;
      const e = fit(own, opts, false);
      if (e) products.push({ category, productId, ...e });
    }
  }
  return { categories, products };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** Levels of a fixed effect that sold something; a level with no sales carries no price information. */
function levels(
  rows: readonly ElasticityRow[],
  key: (r: ElasticityRow) => string,
) {
  const sold = new Map<string, number>();
  for (const r of rows) sold.set(key(r), (sold.get(key(r)) ?? 0) + r.units);
  return [...sold].filter(([, n]) => n > 0).map(([k]) => k).sort();
}

function fit(
  all: readonly ElasticityRow[],
  opts: EstimateOptions,
  productEffects: boolean,
): Omit<ElasticityEstimate, "category" | "productId"> | null {
  const withViews = all.every((r) => r.views !== undefined);
  const usable = all.filter((r) =>
    r.ourPrice > 0 && r.refPrice > 0 && (!withViews || r.views! > 0)
  );
  const ratio = opts.reference === "ratio";
  const effects: [string, (r: ElasticityRow) => string][] = [
    ["product", (r) => productEffects ? r.productId : "all"],
    ["hour", (r) => String(r.hour)],
  ];
  if (!withViews) effects.push(["weekday", (r) => String(r.weekday ?? 0)]);
  const kept = effects.map(([name, key]) => ({
    name,
    key,
    lv: levels(usable, key),
  }));
  const rows = usable.filter((r) => kept.every((e) => e.lv.includes(e.key(r))));
  if (rows.length === 0) return null;
  const design = buildDesign(rows, kept, ratio, withViews);
  const glm = fitPoisson(design.rows, design.k);
  if (!glm) return null;
  const z = normalQuantile(1 - (1 - (opts.level ?? 0.95)) / 2);
  const estimate = glm.beta[0]!;
  const se = Math.sqrt(glm.cov[0]![0]!);
  return {
    estimate,
    low: estimate - z * se,
    high: estimate + z * se,
    n: rows.length,
    purchases: rows.reduce((n, r) => n + r.units, 0),
    method: `poisson-glm-irls: ${
      withViews ? "offset ln(views)" : "weekday effects"
    }, ${
      ratio ? "ln(ours/ref)" : "ln(ours) + ln(ref)"
    }, product and hour effects, quasi-poisson se (dispersion ${
      glm.dispersion.toFixed(2)
    })`,
    refCoefficient: ratio ? undefined : glm.beta[1],
  };
}

/** Columns: ε, [β], then one dummy per level of each effect (the first level of all but the first effect is the baseline). */
function buildDesign(
  rows: readonly ElasticityRow[],
  effects: { key: (r: ElasticityRow) => string; lv: string[] }[],
  ratio: boolean,
  withViews: boolean,
): { rows: SparseRow[]; k: number } {
  const x1 = rows.map((r) =>
    Math.log(ratio ? r.ourPrice / r.refPrice : r.ourPrice)
  );
  const x2 = rows.map((r) => Math.log(r.refPrice));
  // Centred, so the effects absorb the level and the normal equations stay well conditioned.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [m1, m2] = [mean(x1), mean(x2)];
  let k = ratio ? 1 : 2;
  const index = effects.map((e, i) => {
    const ids = new Map<string, number>();
    e.lv.forEach((l, j) => {
      if (i === 0 || j > 0) ids.set(l, k++);
    });
    return ids;
  });
  const sparse = rows.map((r, i): SparseRow => {
    const cols = [0], vals = [x1[i]! - m1];
    if (!ratio) cols.push(1), vals.push(x2[i]! - m2);
    effects.forEach((e, j) => {
      const c = index[j]!.get(e.key(r));
      if (c !== undefined) cols.push(c), vals.push(1);
    });
    return {
      cols,
      vals,
      y: r.units,
      offset: withViews ? Math.log(r.views!) : 0,
    };
  });
  return { rows: sparse, k };
}
