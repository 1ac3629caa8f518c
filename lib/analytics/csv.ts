/**
 * CSV downloads of the analyses (RFC 4180: comma-separated, CRLF line ends,
 * fields with a comma, quote or line break quoted). Text starting with
 * = + - @ is prefixed with ' so a spreadsheet does not run it as a formula.
 */
import type {
  DemandReport,
  FunnelReport,
  PriceReport,
  RfmReport,
} from "./mod.ts";

type Cell = string | number | null | undefined;

function field(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return String(v);
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Serialises a header row and data rows. */
export function toCsv(
  header: readonly string[],
  rows: readonly Cell[][],
): string {
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") +
    "\r\n";
}

/** One row per funnel stage, overall and per device and category. */
export function funnelCsv(r: FunnelReport): string {
  const groups = [
    { breakdown: "overall", group: "all", funnel: r.overall },
    ...r.byDevice.map((d) => ({
      breakdown: "device",
      group: d.device,
      funnel: d.funnel,
    })),
    ...r.byCategory.map((c) => ({
      breakdown: "category",
      group: c.category,
      funnel: c.funnel,
    })),
  ];
  return toCsv(
    [
      "breakdown",
      "group",
      "stage",
      "sessions",
      "rate_from_previous",
      "rate_from_first",
    ],
    groups.flatMap((g) =>
      g.funnel.stages.map((
        s,
      ) => [
        g.breakdown,
        g.group,
        s.stage,
        s.sessions,
        s.fromPrevious,
        s.fromFirst,
      ])
    ),
  );
}

/** One row per product: position, recommendation and the simulated day at the recommended price. */
export function priceCsv(r: PriceReport): string {
  const sim = new Map(r.simulation.products.map((p) => [p.productId, p]));
  return toCsv(
    [
      "product_id",
      "product_name",
      "category",
      "our_price_usd",
      "avg_competitor_price_usd",
      "gap_pct",
      "recommendation",
      "confidence",
      "recommended_price_usd",
      "sim_units_per_day_before",
      "sim_units_per_day_after",
      "sim_revenue_per_day_delta_usd",
      "elasticity",
      "elasticity_source",
    ],
    r.products.map((p) => {
      const s = sim.get(p.productId);
      return [
        p.productId,
        p.productName,
        p.category,
        p.ourPrice,
        p.avgCompetitorPrice,
        p.gapPct,
        p.recommendation,
        p.confidence,
        p.recommendedPrice,
        s?.unitsPerDayBefore,
        s?.unitsPerDayAfter,
        s?.revenuePerDayDelta,
        s?.elasticity,
        s?.elasticitySource,
      ];
    }),
  );
}

/** One row per customer with scores and segment. */
export function rfmCsv(r: RfmReport): string {
  return toCsv(
    [
      "user_id",
      "recency_days",
      "orders",
      "revenue_usd",
      "r",
      "f",
      "m",
      "segment",
      "preferred_device",
    ],
    r.customers.map((
      c,
    ) => [
      c.userId,
      c.recencyDays,
      c.orders,
      c.revenue,
      c.r,
      c.f,
      c.m,
      c.segment,
      c.preferredDevice,
    ]),
  );
}

/**
 * Hourly purchases per category (or of `category` alone) with moving
 * averages, then the forecast hours (kind = forecast). The unfinished hour
 * of a live window is kind = current: purchases so far, ma_1h scaled to an hour.
 */
export function demandCsv(r: DemandReport, category?: string): string {
  return toCsv(
    ["category", "hour_utc", "kind", "purchases", "ma_1h", "ma_3h"],
    r.categories.filter((c) => !category || c.category === category).flatMap((
      c,
    ) => [
      ...c.points.map((
        p,
      ) => [
        c.category,
        p.hour,
        p.partial ? "current" : "actual",
        p.purchases,
        p.ma1,
        p.ma3,
      ]),
      ...c.forecast.map((
        f,
      ) => [c.category, f.hour, "forecast", f.purchases, null, null]),
    ]),
  );
}

/** One row per product (of `category`, if given): stock, forecast rate and hours until stock-out. */
export function stockOutCsv(r: DemandReport, category?: string): string {
  return toCsv(
    [
      "product_id",
      "product_name",
      "category",
      "stock_units",
      "forecast_units_per_hour",
      "hours_until_stockout",
      "status",
    ],
    r.stockOut.filter((s) => !category || s.category === category).map((s) => [
      s.productId,
      s.productName,
      s.category,
      s.stock,
      s.ratePerHour,
      s.hoursUntilStockOut,
      s.status,
    ]),
  );
}
