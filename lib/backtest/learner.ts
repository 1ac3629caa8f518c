/**
 * Elasticity learned during a backtest from the simulated shop's own orders,
 * never from the hidden demand model: per product and hour, the product views,
 * the demand (units sold plus sales lost to a stock-out, which the shop sees as
 * "notify me" clicks, so an empty shelf does not pass for a price effect), our
 * price and the competitors' average as the crawler saw it. Cells with the
 * same covariates are summed (the Poisson likelihood only needs the sums), and
 * the estimate is refreshed on a schedule the caller drives (daily).
 */
import {
  type ElasticityEstimate,
  type ElasticityRow,
  estimateElasticity,
} from "../elasticity/estimate.ts";
import { UTC_OFFSET_HOURS } from "../market/demand.ts";
import { HOUR_MS } from "../time.ts";

/** One product's step as the shop recorded it. */
export interface SalesCell {
  productId: string;
  category: string;
  /** Start of the step (ms). */
  at: number;
  ourPrice: number;
  /** The competitors' average the shop observed; undefined when none was fresh. */
  refPrice: number | undefined;
  views: number;
  /** Units sold plus sales lost to stock-outs. */
  demand: number;
}

export interface ElasticityResult {
  categories: ElasticityEstimate[];
  products: ElasticityEstimate[];
}

export class ElasticityLearner {
  readonly #cells = new Map<string, ElasticityRow>();
  #latest: ElasticityResult | null = null;

  /** Adds one step of one product; steps without an observed reference carry no price contrast and are skipped. */
  add(c: SalesCell): void {
    if (c.refPrice === undefined || c.views <= 0) return;
    const hourStart = Math.floor(c.at / HOUR_MS);
    // Prices are cents and the reference is an average of cents: 4 decimals keep cells apart.
    const ref = Math.round(c.refPrice * 10_000) / 10_000;
    const key = `${c.productId}|${hourStart}|${c.ourPrice}|${ref}`;
    const cell = this.#cells.get(key);
    if (cell) {
      cell.views! += c.views;
      cell.units += c.demand;
      return;
    }
    this.#cells.set(key, {
      productId: c.productId,
      category: c.category,
      hour: (((hourStart + UTC_OFFSET_HOURS) % 24) + 24) % 24,
      ourPrice: c.ourPrice,
      refPrice: ref,
      units: c.demand,
      views: c.views,
    });
  }

  /** Re-estimates from every cell so far; returns and keeps the result. */
  estimate(): ElasticityResult {
    this.#latest = estimateElasticity([...this.#cells.values()]);
    return this.#latest;
  }

  /** The last estimate, null before the first. */
  get latest(): ElasticityResult | null {
    return this.#latest;
  }
}
