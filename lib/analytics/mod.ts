/**
 * The four business analyses, each run end to end: fetch the input rows for
 * a window, compute, return a JSON-ready report. Routes and tests call these.
 */
import type { Sql } from "../db/mod.ts";
import { analyzeFunnel, type FunnelResult } from "./funnel.ts";
import {
  analyzePricePosition,
  type PricePositionResult,
} from "./price_position.ts";
import {
  simulateLowering,
  type SimulationResult,
} from "./revenue_simulation.ts";
import { analyzeRfm, type RfmResult, SEGMENT_RULES } from "./rfm.ts";
import {
  analyzeDemand,
  currentHourScale,
  type DemandResult,
  hourGrid,
} from "./demand.ts";
import { stockOut, type StockOutRow } from "./forecast.ts";
import {
  fetchCategories,
  fetchCurrentHour,
  fetchFunnelSessions,
  fetchHourlyDemand,
  fetchPriceObservations,
  fetchProductPositions,
  fetchRefreshedAt,
  fetchRfmCustomers,
  fetchStockAndHourlySales,
  fetchUnitsSold,
} from "./inputs.ts";
import type { AnalysisWindow } from "./window.ts";
import type { CustomerPage } from "./params.ts";
import { latestRun } from "../dashboard/pricing.ts";
import { type ElasticityReport, learnedElasticity } from "./elasticity.ts";

/** How each report describes its window. */
export interface WindowInfo {
  from: string;
  to: string;
  hours: number;
}

const info = (w: AnalysisWindow): WindowInfo => ({
  from: w.from.toISOString(),
  to: w.to.toISOString(),
  hours: w.hours,
});

export type FunnelReport = FunnelResult & { window: WindowInfo };

/** Conversion funnel over the sessions with events in the window. */
export async function funnelReport(
  sql: Sql,
  w: AnalysisWindow,
): Promise<FunnelReport> {
  return {
    window: info(w),
    ...analyzeFunnel(await fetchFunnelSessions(sql, w)),
  };
}

export type PriceReport = PricePositionResult & {
  window: WindowInfo;
  simulation: SimulationResult;
  /** When the pricing run whose recommendations are shown finished (ISO); null before the first. */
  pricedAt: string | null;
  /** Elasticity learned from our own orders in the window, per category. */
  learnedElasticity: ElasticityReport;
};

/**
 * Price position over the window's observations, and the `lower` simulation
 * at the learned elasticity where it is narrow, else at `elasticity`.
 */
export async function priceReport(
  sql: Sql,
  w: AnalysisWindow,
  elasticity: number,
): Promise<PriceReport> {
  const [products, observations, units, run, learned] = await Promise.all([
    fetchProductPositions(sql),
    fetchPriceObservations(sql, w),
    fetchUnitsSold(sql, w),
    latestRun(sql),
    learnedElasticity(sql, w, elasticity),
  ]);
  const narrow = new Map(
    learned.categories.filter((c) => c.used).map((c) => [c.category, c]),
  );
  const lower = products.filter((p) =>
    p.recommendation === "lower" && p.recommendedPrice !== null
  );
  const simulation = simulateLowering(
    lower.map((p) => ({
      productId: p.productId,
      productName: p.productName,
      currentPrice: p.ourPrice,
      recommendedPrice: p.recommendedPrice!,
      confidence: p.confidence ?? 0,
      unitsInWindow: units.get(p.productId) ?? 0,
      learnedElasticity: narrow.get(p.category)?.estimate ?? null,
    })),
    w.hours,
    elasticity,
  );
  return {
    window: info(w),
    pricedAt: run?.finished_at ?? null,
    learnedElasticity: learned,
    ...analyzePricePosition(products, observations),
    simulation,
  };
}

export type RfmReport = RfmResult & {
  window: WindowInfo;
  rules: Array<{ segment: string; rule: string }>;
};

/** RFM scores of every user who purchased in the window, recency measured to the window's end. */
export async function rfmReport(
  sql: Sql,
  w: AnalysisWindow,
): Promise<RfmReport> {
  const result = analyzeRfm(
    await fetchRfmCustomers(sql, w),
    w.to,
    w.hours,
  );
  return {
    window: info(w),
    rules: SEGMENT_RULES.map(({ name, rule }) => ({ segment: name, rule })),
    ...result,
  };
}

/** Where one page of customers sits in the segment (or the whole report). */
export interface PageInfo {
  segment: string | null;
  offset: number;
  limit: number;
  /** Customers in the segment (or in all) in the window. */
  total: number;
  /** The offset of the next page; null on the last. */
  next: number | null;
}

/**
 * The report with one page of its customers (ordered by user id), the
 * segments and edges whole: what `/api/analytics/rfm` answers, so a customer
 * base of millions is listed page by page instead of in one response.
 */
export function customerPage(
  report: RfmReport,
  page: CustomerPage,
): RfmReport & { page: PageInfo } {
  const all = page.segment === undefined
    ? report.customers
    : report.customers.filter((c) => c.segment === page.segment);
  const end = page.offset + page.limit;
  return {
    ...report,
    customers: all.slice(page.offset, end),
    page: {
      segment: page.segment ?? null,
      offset: page.offset,
      limit: page.limit,
      total: all.length,
      next: end < all.length ? end : null,
    },
  };
}

export type DemandReport = DemandResult & {
  window: WindowInfo;
  /** The window ends now (no `until`): the current hour joins once it is 10 minutes old. */
  live: boolean;
  stockOut: StockOutRow[];
  martsRefreshedAt: Record<string, string>;
};

/**
 * Hourly demand per category, its forecast, and hours until stock-out per
 * product. With `now` (a live window: no `until` given), the unfinished hour
 * from the window's end to `now` is part of the series, scaled to a full
 * hour (lib/analytics/demand.ts), read live from the staging view.
 */
export async function demandReport(
  sql: Sql,
  w: AnalysisWindow,
  now?: Date,
): Promise<DemandReport> {
  const scale = now ? currentHourScale(w.to, now) : null;
  const live = scale === null ? null : { from: w.to, to: now! };
  const [hourly, categories, stock, current, martsRefreshedAt] = await Promise
    .all([
      fetchHourlyDemand(sql, w),
      fetchCategories(sql),
      fetchStockAndHourlySales(sql, live ? { ...w, to: live.to } : w),
      live ? fetchCurrentHour(sql, live) : Promise.resolve([]),
      fetchRefreshedAt(sql, ["mart_hourly_demand"]),
    ]);
  const grid = [...hourGrid(w.from, w.to), ...(live ? [w.to] : [])];
  const index = new Map(grid.map((h, i) => [h.getTime(), i]));
  const series = new Map(
    stock.products.map((p) => [p.productId, grid.map(() => 0)]),
  );
  for (const s of stock.sales) {
    const i = index.get(s.hour.getTime());
    const values = series.get(s.productId);
    if (i !== undefined && values) values[i]! += s.purchases;
  }
  if (scale !== null) {
    for (const v of series.values()) v[v.length - 1]! *= scale;
  }
  return {
    window: info(w),
    live: now !== undefined,
    martsRefreshedAt,
    ...analyzeDemand(
      hourly,
      w,
      categories,
      live ? { now: live.to, rows: current } : undefined,
    ),
    stockOut: stockOut(
      stock.products.map((p) => ({ ...p, hourly: series.get(p.productId)! })),
    ),
  };
}
