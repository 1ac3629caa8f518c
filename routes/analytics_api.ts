/**
 * The analyses as data: `/api/analytics/{funnel,price,rfm,demand}` answer
 * JSON, the same paths with `.csv` a download. Filters are URL parameters:
 * `hours` (window length), `until` (window end, ISO), and for price
 * `elasticity` (default −1.5), for demand.csv `table=hourly|stockout` and
 * `category` (absent: every category); for rfm `segment`, `limit` (1 to
 * 10,000 customers, default 1,000) and `offset` page its customers (the CSV
 * lists every one).
 * A bad parameter answers 400 with a message naming it.
 */
import { type Handler, Hono } from "hono";
import { HttpError } from "../lib/web/http_error.ts";
import type { AppContext } from "../lib/web/context.ts";
import { customerPage, type demandReport } from "../lib/analytics/mod.ts";
import {
  analyticsLimits,
  AnalyticsReports,
} from "../lib/web/analytics_reports.ts";
import {
  demandCsv,
  funnelCsv,
  priceCsv,
  rfmCsv,
  stockOutCsv,
} from "../lib/analytics/csv.ts";
import {
  categoryOf,
  customerPageOf,
  demandTableOf,
  elasticityOf,
  liveNow,
  type Query,
  queryOf,
  windowOf,
} from "../lib/analytics/params.ts";

type Load<T> = (q: Query) => Promise<T>;

/** Each analysis's report for a request's parameters (cached and bounded). */
function loaders(reports: AnalyticsReports) {
  return {
    funnel: (q: Query) => reports.funnel(windowOf(q, "funnel")),
    price: (q: Query) => reports.price(windowOf(q, "price"), elasticityOf(q)),
    rfm: (q: Query) => reports.rfm(windowOf(q, "rfm")),
    demand: (q: Query) => reports.demand(windowOf(q, "demand"), liveNow(q)),
  };
}

/**
 * Turns a bad parameter (RangeError) into a 400; the app's error handler
 * answers it in the one JSON error shape, `{error, status}`.
 */
async function answer(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RangeError) throw new HttpError(400, err.message);
    throw err;
  }
}

/** A handler that answers the report as JSON. */
function json(load: Load<object>): Handler {
  return (c) => answer(async () => c.json(await load(queryOf(c.req))));
}

/** A handler that answers a CSV download: `load` gives its file name (without `.csv`) and text. */
function csv(load: Load<[name: string, body: string]>): Handler {
  return (c) =>
    answer(async () => {
      const [name, body] = await load(queryOf(c.req));
      return c.body(body, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.csv"`,
      });
    });
}

/** The demand CSV: the hourly series, or with `table=stockout` the stock-out table. */
function demandDownload(load: Load<Awaited<ReturnType<typeof demandReport>>>) {
  return csv(async (q) => {
    const table = demandTableOf(q);
    const report = await load(q);
    const category = categoryOf(q, report.categories.map((c) => c.category));
    return table === "hourly"
      ? ["demand_hourly", demandCsv(report, category)]
      : ["stock_out", stockOutCsv(report, category)];
  });
}

export function analyticsApiRoutes(
  ctx: AppContext,
  reports = new AnalyticsReports(ctx.sql, analyticsLimits(ctx.config)),
): Hono {
  const load = loaders(reports);
  return new Hono()
    .get("/api/analytics/funnel", json(load.funnel))
    .get(
      "/api/analytics/funnel.csv",
      csv(async (q) => ["funnel", funnelCsv(await load.funnel(q))]),
    )
    .get("/api/analytics/price", json(load.price))
    .get(
      "/api/analytics/price.csv",
      csv(async (q) => ["price_position", priceCsv(await load.price(q))]),
    )
    .get(
      "/api/analytics/rfm",
      json(async (q) => {
        const page = customerPageOf(q);
        return customerPage(await load.rfm(q), page);
      }),
    )
    .get(
      "/api/analytics/rfm.csv",
      csv(async (q) => ["rfm_segments", rfmCsv(await load.rfm(q))]),
    )
    .get("/api/analytics/demand", json(load.demand))
    .get("/api/analytics/demand.csv", demandDownload(load.demand));
}
