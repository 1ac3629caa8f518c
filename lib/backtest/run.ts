/**
 * One backtest: the market of `lib/market/` in simulated time (no Kafka, no
 * wall clock, no database), once per strategy on the same seed, so every
 * strategy meets the same shoppers, competitors and supplier. Every
 * `stepMinutes` the pricer decides every product from the shop's books (the
 * engine's cadence; its cooldown keeps changes at most hourly), the backtest
 * applies every decision that is not a hold and checks it against the
 * guardrails itself, then the market runs the step at our prices.
 */
import { CATEGORIES, type Category } from "../catalog.ts";
import { ELASTICITY, type MarketName } from "../market/demand.ts";
import { Market, type StepResult } from "../market/market.ts";
import { coverDays } from "../pricing/guardrails.ts";
import type { Strategy } from "../pricing/mod.ts";
import { ShopBooks } from "./books.ts";
import type { ElasticityResult, SalesCell } from "./learner.ts";
import { type Pricer, pricerFor, type StrategyName } from "./pricers.ts";
import { Tally } from "./tally.ts";
import { violationsOf } from "./violations.ts";
import { DAY_MS } from "../time.ts";

/** A Monday at 00:00 UTC: the weekly seasonality starts at its beginning. */
export const DEFAULT_START = Date.parse("2026-11-02T00:00:00Z");
/** The simulated day whose learned elasticity the acceptance criterion reads. */
export const LEARNED_CHECK_DAY = 14;

export interface BacktestOptions {
  seed: string;
  days: number;
  market: MarketName;
  strategies: readonly StrategyName[];
  /** Minutes between two engine runs, and the market's step (default 15). */
  stepMinutes?: number;
  start?: number;
  /** What `engine` runs (default: the shipped DEFAULT_STRATEGY). */
  engineStrategy?: Strategy;
  /** Called after every simulated day of every strategy. */
  onProgress?: (strategy: string, day: number, days: number) => void;
}

/** One strategy's totals: the JSON contract of `deno task backtest --json`. */
export interface StrategySummary {
  name: string;
  revenue: number;
  gross_margin: number;
  units: number;
  lost_sales: number;
  stockout_hours: number;
  price_changes: number;
  violations: number;
}

export interface DailyPoint {
  day: number;
  revenue: number;
  gross_margin: number;
  units: number;
  lost_sales: number;
}

/** Our price from `at` on (hourly resolution, changes only). */
export interface PricePoint {
  productId: string;
  at: number;
  price: number;
}

export interface StrategyRun {
  summary: StrategySummary;
  daily: DailyPoint[];
  prices: PricePoint[];
  /** Gross margin per category. */
  marginByCategory: Record<string, number>;
  /** The learner's estimates by simulated day, for a strategy that learns. */
  learned: Map<number, ElasticityResult>;
}

export interface LearnedElasticity {
  category: string;
  day: number;
  estimate: number;
  low: number;
  high: number;
  truth: number;
  n: number;
  purchases: number;
}

export interface BacktestResult {
  params: {
    seed: string;
    days: number;
    market: MarketName;
    stepMinutes: number;
    start: string;
  };
  strategies: StrategySummary[];
  learned_elasticity: LearnedElasticity[];
  runs: Map<string, StrategyRun>;
}

/** Runs every strategy of `opts` on the same market and seed. */
export function runBacktest(opts: BacktestOptions): BacktestResult {
  const stepMinutes = opts.stepMinutes ?? 15;
  const start = opts.start ?? DEFAULT_START;
  // The learner refreshes at simulated midnights, so steps must meet them.
  if (!Number.isInteger(stepMinutes) || 1440 % stepMinutes !== 0) {
    throw new RangeError(
      `Step of "${stepMinutes}" minutes does not divide a day: expected e.g. 5, 15 or 60`,
    );
  }
  const runs = new Map<string, StrategyRun>();
  for (const name of opts.strategies) {
    const pricer = pricerFor(name, opts.seed, opts.engineStrategy);
    runs.set(name, runStrategy(pricer, { ...opts, stepMinutes, start }));
  }
  return {
    params: {
      seed: opts.seed,
      days: opts.days,
      market: opts.market,
      stepMinutes,
      start: new Date(start).toISOString(),
    },
    strategies: [...runs.values()].map((r) => r.summary),
    learned_elasticity: learnedTable(runs, opts),
    runs,
  };
}

/** One strategy over the whole run. */
export function runStrategy(
  pricer: Pricer,
  opts: BacktestOptions & { stepMinutes: number; start: number },
): StrategyRun {
  const { start, days } = opts;
  const stepMs = opts.stepMinutes * 60_000;
  const market = new Market({ seed: opts.seed, start, market: opts.market });
  const books = new ShopBooks(
    market.products,
    stepMs,
    (id) => market.stock.forecastPerHour(id),
  );
  const tally = new Tally(pricer.name, start, market.products);
  const learned = new Map<number, ElasticityResult>();
  const end = start + days * DAY_MS;
  for (let t = start; t < end; t += stepMs) {
    if (t > start && (t - start) % DAY_MS === 0) {
      const day = (t - start) / DAY_MS;
      refreshLearning(pricer, day, learned);
      opts.onProgress?.(pricer.name, day, days);
    }
    reprice(pricer, books, market, tally, t);
    const step = market.step(t, t + stepMs, books.prices());
    books.observe(step.events.competitor);
    books.sell(step.products);
    pricer.record?.(cellsOf(step, books, market), step.events.competitor);
    tally.step(step, books);
  }
  refreshLearning(pricer, days, learned);
  opts.onProgress?.(pricer.name, days, days);
  return { ...tally.result(), learned };
}

function refreshLearning(
  pricer: Pricer,
  day: number,
  learned: Map<number, ElasticityResult>,
): void {
  if (!pricer.refresh) return;
  pricer.refresh();
  const r = pricer.learned?.();
  if (r) learned.set(day, r);
}

/** Asks the pricer about every product and applies what is not a hold. */
function reprice(
  pricer: Pricer,
  books: ShopBooks,
  market: Market,
  tally: Tally,
  now: number,
): void {
  for (const p of market.products) {
    const input = books.input(p.id, now, {
      units: market.stock.onHand(p.id),
      nextArrival: market.stock.nextArrival(p.id),
    });
    const price = pricer.price(input);
    if (price === null || price === input.currentPrice) continue;
    const cover = coverDays(input.stockUnits, input.salesPerDay);
    const broken = violationsOf(
      { listPrice: p.basePrice, unitCost: p.unitCost },
      pricer.strategy,
      input.currentPrice,
      price,
      cover,
    );
    tally.change(broken.length > 0);
    books.apply(p.id, price, now);
  }
}

/** What the shop recorded in a step, per product, for a learner. */
function cellsOf(step: StepResult, books: ShopBooks, m: Market): SalesCell[] {
  const out: SalesCell[] = [];
  for (const p of m.products) {
    const o = step.products.get(p.id)!;
    out.push({
      productId: p.id,
      category: p.category,
      at: step.from,
      ourPrice: o.ourPrice,
      refPrice: books.observedReference(p.id, step.from),
      views: o.views,
      demand: o.units + o.lostSales,
    });
  }
  return out;
}

/** The learned elasticity at the check day and at the end, against the hidden truth. */
function learnedTable(
  runs: ReadonlyMap<string, StrategyRun>,
  opts: BacktestOptions,
): LearnedElasticity[] {
  const learned = runs.get("optimize")?.learned;
  if (!learned) return [];
  const days = [...new Set([LEARNED_CHECK_DAY, opts.days])]
    .filter((d) => d <= opts.days && learned.has(d)).sort((a, b) => a - b);
  const out: LearnedElasticity[] = [];
  for (const day of days) {
    const byCat = new Map(
      learned.get(day)!.categories.map((c) => [c.category, c]),
    );
    for (const category of CATEGORIES) {
      const e = byCat.get(category);
      if (!e) continue;
      out.push({
        category,
        day,
        estimate: round(e.estimate, 3),
        low: round(e.low, 3),
        high: round(e.high, 3),
        truth: round(ELASTICITY[opts.market][category as Category], 3),
        n: e.n,
        purchases: e.purchases,
      });
    }
  }
  return out;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
