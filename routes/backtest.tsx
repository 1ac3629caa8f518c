/**
 * The last stored backtest (`deno task backtest --store`): the page
 * `/analytics/backtest?product=P001`, its JSON twin and CSV downloads
 * (`?table=daily|prices&product=`). Before any backtest was stored the page
 * says how to make one and the API answers 404.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import type { Sql } from "../lib/db/mod.ts";
import { page } from "../lib/web/page.ts";
import { HttpError } from "../lib/web/http_error.ts";
import {
  lastBacktest,
  pricePaths,
  type StoredBacktest,
} from "../lib/backtest/store.ts";
import { dailyCsv, pricesCsv } from "../lib/backtest/csv.ts";
import { Empty, Layout } from "../components/Layout.tsx";
import { AnalyticsNav } from "../components/AnalyticsNav.tsx";
import { BacktestView } from "../components/Backtest.tsx";

const PATH = "/analytics/backtest";
const NONE = "No backtest has been stored yet";

/** The `product` parameter: one of the run's products, default the first. */
function productOf(c: Context, b: StoredBacktest): string {
  const id = c.req.query("product") || b.products[0] || "";
  if (b.products.length && !b.products.includes(id)) {
    throw new HttpError(
      400,
      `Cannot show product "${id}": the backtest has no price path for it`,
    );
  }
  return id;
}

async function backtestPage(c: Context, sql: Sql) {
  const b = await lastBacktest(sql);
  if (!b) {
    return page(
      c,
      <Layout title="Backtest" active="analytics" live={false}>
        <AnalyticsNav active={PATH} />
        <Empty>
          {NONE}. Run <code>deno task backtest --store</code>{" "}
          to simulate 30 days of the market under each pricing strategy and keep
          the result here.
        </Empty>
      </Layout>,
    );
  }
  const product = productOf(c, b);
  const paths = await pricePaths(sql, b.runId, product);
  return page(
    c,
    <Layout title="Backtest" active="analytics" live={false}>
      <AnalyticsNav active={PATH} />
      <BacktestView b={b} product={product} paths={paths} />
    </Layout>,
  );
}

async function stored(sql: Sql): Promise<StoredBacktest> {
  const b = await lastBacktest(sql);
  if (!b) throw new HttpError(404, `${NONE}: run deno task backtest --store`);
  return b;
}

async function download(c: Context, sql: Sql) {
  const b = await stored(sql);
  const table = c.req.query("table") || "daily";
  if (table !== "daily" && table !== "prices") {
    throw new HttpError(
      400,
      `Parameter "table" is "${table}": expected "daily" or "prices"`,
    );
  }
  const product = productOf(c, b);
  const [name, body] = table === "daily"
    ? [`backtest_${b.runId}_daily`, dailyCsv(b)]
    : [
      `backtest_${b.runId}_prices_${product}`,
      pricesCsv(product, await pricePaths(sql, b.runId, product)),
    ];
  return c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name}.csv"`,
  });
}

export function backtestRoutes(ctx: AppContext): Hono {
  const { sql } = ctx;
  return new Hono()
    .get(PATH, (c) => backtestPage(c, sql))
    .get("/api/analytics/backtest", async (c) => c.json(await stored(sql)))
    .get("/api/analytics/backtest.csv", (c) => download(c, sql));
}
