/**
 * The analyses as data: `/api/analytics/{funnel,price,rfm,demand}` answer
 * JSON, the same paths with `.csv` a download. Filters are URL parameters:
 * `hours` (window length), `until` (window end, ISO), and for price
 * `elasticity` (default −1.5), for demand.csv `table=hourly|stockout`.
 * A bad parameter answers 400 with a message naming it.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import {
  demandReport,
  funnelReport,
  priceReport,
  rfmReport,
} from "../lib/analytics/mod.ts";
import {
  demandCsv,
  funnelCsv,
  priceCsv,
  rfmCsv,
  stockOutCsv,
} from "../lib/analytics/csv.ts";
import { type AnalysisWindow, parseWindow } from "../lib/analytics/window.ts";
import {
  checkElasticity,
  DEFAULT_ELASTICITY,
} from "../lib/analytics/revenue_simulation.ts";

/** Default window per analysis, in hours. */
export const DEFAULT_HOURS = {
  funnel: 24,
  price: 168,
  rfm: 24 * 90,
  demand: 168,
} as const;
export type AnalysisName = keyof typeof DEFAULT_HOURS;

/** The window of `analysis` from a request's query (demand counts whole hours only). */
export function windowOf(c: Context, analysis: AnalysisName): AnalysisWindow {
  return parseWindow(
    { hours: c.req.query("hours"), until: c.req.query("until") },
    DEFAULT_HOURS[analysis],
    new Date(),
    analysis === "demand",
  );
}

/** The elasticity from `?elasticity=`, default −1.5. */
export function elasticityOf(c: Context): number {
  const raw = c.req.query("elasticity");
  if (raw === undefined || raw === "") return DEFAULT_ELASTICITY;
  const e = Number(raw);
  if (Number.isNaN(e)) {
    throw new RangeError(
      `Parameter "elasticity" is "${raw}": expected a number such as -1.5`,
    );
  }
  return checkElasticity(e);
}

function csv(c: Context, name: string, body: string): Response {
  return c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name}.csv"`,
  });
}

/** Turns a bad parameter (RangeError) into a 400; anything else goes to the app's error handler. */
async function answer(
  c: Context,
  fn: () => Promise<Response>,
): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RangeError) return c.json({ error: err.message }, 400);
    throw err;
  }
}

export function analyticsApiRoutes(ctx: AppContext): Hono {
  const { sql } = ctx;
  return new Hono()
    .get(
      "/api/analytics/funnel",
      (c) =>
        answer(
          c,
          async () => c.json(await funnelReport(sql, windowOf(c, "funnel"))),
        ),
    )
    .get(
      "/api/analytics/funnel.csv",
      (c) =>
        answer(c, async () =>
          csv(
            c,
            "funnel",
            funnelCsv(await funnelReport(sql, windowOf(c, "funnel"))),
          )),
    )
    .get(
      "/api/analytics/price",
      (c) =>
        answer(c, async () =>
          c.json(
            await priceReport(sql, windowOf(c, "price"), elasticityOf(c)),
          )),
    )
    .get("/api/analytics/price.csv", (c) =>
      answer(
        c,
        async () =>
          csv(
            c,
            "price_position",
            priceCsv(
              await priceReport(sql, windowOf(c, "price"), elasticityOf(c)),
            ),
          ),
      ))
    .get(
      "/api/analytics/rfm",
      (c) =>
        answer(c, async () => c.json(await rfmReport(sql, windowOf(c, "rfm")))),
    )
    .get(
      "/api/analytics/rfm.csv",
      (c) =>
        answer(c, async () =>
          csv(
            c,
            "rfm_segments",
            rfmCsv(await rfmReport(sql, windowOf(c, "rfm"))),
          )),
    )
    .get(
      "/api/analytics/demand",
      (c) =>
        answer(
          c,
          async () => c.json(await demandReport(sql, windowOf(c, "demand"))),
        ),
    )
    .get("/api/analytics/demand.csv", (c) =>
      answer(c, async () => {
        const table = c.req.query("table") ?? "hourly";
        if (table !== "hourly" && table !== "stockout") {
          throw new RangeError(
            `Parameter "table" is "${table}": expected "hourly" or "stockout"`,
          );
        }
        const report = await demandReport(sql, windowOf(c, "demand"));
        return table === "hourly"
          ? csv(c, "demand_hourly", demandCsv(report))
          : csv(c, "stock_out", stockOutCsv(report));
      }));
}
