/**
 * Keeps backtests in the database (`sql/008_backtest.sql`) for the dashboard:
 * one run row with its parameters and summary, the daily points and the
 * price paths, written in one transaction with one statement per table.
 * Only the last `KEEP_RUNS` runs are kept; the page shows the newest.
 */
import type { Sql } from "../db/mod.ts";
import type {
  BacktestResult,
  DailyPoint,
  LearnedElasticity,
  StrategySummary,
} from "./run.ts";

/** Runs kept; older ones go when a new one is stored. */
export const KEEP_RUNS = 10;

/** Stores `r` (which took `seconds` to run); returns its run id. */
export async function storeBacktest(
  sql: Sql,
  r: BacktestResult,
  seconds: number,
): Promise<number> {
  const daily = [...r.runs].flatMap(([name, run]) =>
    run.daily.map((d) => ({ name, ...d }))
  );
  const prices = [...r.runs].flatMap(([name, run]) =>
    run.prices.map((p) => ({ name, ...p }))
  );
  const summary = {
    strategies: r.strategies,
    learned_elasticity: r.learned_elasticity,
  };
  // postgres.js types JSON values with an index signature that plain
  // interfaces lack; these are plain data, so the cast is safe.
  const json = (v: object) => sql.json(v as Parameters<typeof sql.json>[0]);
  return await sql.begin(async (tx) => {
    const [run] = await tx<{ run_id: string }[]>`
      insert into backtest_runs (params, summary, seconds)
      values (${json(r.params)}, ${json(summary)}, ${seconds})
      returning run_id`;
    const id = run!.run_id;
    await tx`
      insert into backtest_daily (run_id, strategy, day, revenue, gross_margin, units, lost_sales)
      select ${id}, * from unnest(${daily.map((d) => d.name)}::text[], ${
      daily.map((d) => d.day)
    }::int[],
        ${daily.map((d) => d.revenue)}::numeric[], ${
      daily.map((d) => d.gross_margin)
    }::numeric[],
        ${daily.map((d) => d.units)}::int[], ${
      daily.map((d) => d.lost_sales)
    }::int[])`;
    await tx`
      insert into backtest_prices (run_id, strategy, product_id, at, price)
      select ${id}, * from unnest(${prices.map((p) => p.name)}::text[], ${
      prices.map((p) => p.productId)
    }::text[],
        ${prices.map((p) => new Date(p.at).toISOString())}::timestamptz[], ${
      prices.map((p) => p.price)
    }::numeric[])`;
    await tx`
      delete from backtest_runs where run_id not in (
        select run_id from backtest_runs order by run_id desc limit ${KEEP_RUNS})`;
    return Number(id);
  });
}

/** The newest stored backtest, as the page shows it. */
export interface StoredBacktest {
  runId: number;
  startedAt: Date;
  seconds: number;
  params: BacktestResult["params"];
  strategies: StrategySummary[];
  learned: LearnedElasticity[];
  daily: (DailyPoint & { strategy: string })[];
  /** Products with a price path, in id order. */
  products: string[];
}

/** The newest backtest, or null when none was stored. */
export async function lastBacktest(sql: Sql): Promise<StoredBacktest | null> {
  const [run] = await sql<{
    run_id: string;
    started_at: Date;
    seconds: string;
    params: BacktestResult["params"];
    summary: {
      strategies: StrategySummary[];
      learned_elasticity: LearnedElasticity[];
    };
  }[]>`
    select run_id, started_at, seconds, params, summary
    from backtest_runs order by run_id desc limit 1`;
  if (!run) return null;
  const [daily, products] = await Promise.all([
    sql<(DailyPoint & { strategy: string })[]>`
      select strategy, day, revenue::float8, gross_margin::float8, units, lost_sales
      from backtest_daily where run_id = ${run.run_id} order by strategy, day`,
    sql<{ product_id: string }[]>`
      select distinct product_id from backtest_prices
      where run_id = ${run.run_id} order by product_id`,
  ]);
  return {
    runId: Number(run.run_id),
    startedAt: run.started_at,
    seconds: Number(run.seconds),
    params: run.params,
    strategies: run.summary.strategies,
    learned: run.summary.learned_elasticity,
    daily: [...daily],
    products: products.map((p) => p.product_id),
  };
}

/** One product's price path per strategy in run `runId`, oldest first. */
export async function pricePaths(
  sql: Sql,
  runId: number,
  productId: string,
): Promise<{ strategy: string; at: Date; price: number }[]> {
  return [
    ...await sql<{ strategy: string; at: Date; price: number }[]>`
      select strategy, at, price::float8 from backtest_prices
      where run_id = ${runId} and product_id = ${productId}
      order by strategy, at`,
  ];
}
