/**
 * Price elasticity learned from our own orders in the database: one row per
 * product and hour of the window with its product views (the exposure) and
 * purchases from `clickstream_events`, our price at the middle of the hour
 * (from the `price_changes` history, else `products.current_price`) and the
 * competitors' average then (each competitor's latest price of the previous
 * six hours in `competitor_price_history`, the engine's staleness rule),
 * fed to the Poisson GLM of `lib/elasticity/`. A category's estimate replaces
 * the fixed elasticity of the revenue simulation once `isNarrow` says its
 * interval is narrow enough.
 */
import type { Sql } from "../db/mod.ts";
import { estimateElasticity, isNarrow } from "../elasticity/estimate.ts";
import { fetchElasticityRows } from "../elasticity/orders.ts";
import type { AnalysisWindow } from "./window.ts";
import { ELASTICITY_RANGE } from "./revenue_simulation.ts";

/** One category's learned elasticity and whether the simulation uses it. */
export interface LearnedCategory {
  category: string;
  estimate: number;
  low: number;
  high: number;
  /** Product-hours used. */
  n: number;
  purchases: number;
  /** True when the interval is narrow: the simulation uses the estimate. */
  used: boolean;
}

export interface ElasticityReport {
  /** The elasticity used where nothing narrow was learned. */
  fixed: number;
  categories: LearnedCategory[];
  /** Product-hours in the window with views and a competitor price. */
  rows: number;
}

/** The learned elasticity per category over window `w`, and which ones replace `fixed`. */
export async function learnedElasticity(
  sql: Sql,
  w: AnalysisWindow,
  fixed: number,
): Promise<ElasticityReport> {
  const rows = await fetchElasticityRows(sql, w);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const categories = estimateElasticity(rows).categories
    .map((e): LearnedCategory => ({
      category: e.category,
      estimate: round(e.estimate),
      low: round(e.low),
      high: round(e.high),
      n: e.n,
      purchases: e.purchases,
      used: isNarrow(e) && e.estimate < ELASTICITY_RANGE.max &&
        e.estimate >= ELASTICITY_RANGE.min,
    }))
    .sort((a, b) => a.category.localeCompare(b.category));
  return { fixed, categories, rows: rows.length };
}
