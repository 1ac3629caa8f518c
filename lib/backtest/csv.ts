/** The stored backtest as CSV downloads: the daily series, or one product's price paths. */
import { toCsv } from "../analytics/csv.ts";
import type { StoredBacktest } from "./store.ts";

/** One row per strategy and simulated day. */
export function dailyCsv(b: StoredBacktest): string {
  return toCsv(
    ["strategy", "day", "revenue", "gross_margin", "units", "lost_sales"],
    b.daily.map((d) => [
      d.strategy,
      d.day,
      d.revenue,
      d.gross_margin,
      d.units,
      d.lost_sales,
    ]),
  );
}

/** One row per price change of `productId` per strategy (simulated time, UTC). */
export function pricesCsv(
  productId: string,
  rows: readonly { strategy: string; at: Date; price: number }[],
): string {
  return toCsv(
    ["product_id", "strategy", "from", "price"],
    rows.map((r) => [productId, r.strategy, r.at.toISOString(), r.price]),
  );
}
