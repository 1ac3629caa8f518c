/**
 * Demand forecast: exponentially weighted mean with a linear trend, and the
 * hours until each product runs out of stock at the forecast rate.
 */
import { round } from "./stats.ts";

export const FORECAST_DECAY = 0.85;
export const FORECAST_HOURS = 6;
export const CRITICAL_HOURS = 24;
export const WARNING_HOURS = 72;

/**
 * Forecasts the next `horizon` values of an hourly series `y_0 … y_{n−1}`
 * (oldest first). Each hour gets the weight `w_i = decay^(n−1−i)` (the
 * newest weighs 1). With `W = Σ w_i`, the exponentially weighted means are
 * `x̄ = Σ w_i·i / W` and `ȳ = Σ w_i·y_i / W`, the trend is the weighted
 * least-squares slope `b = Σ w_i(i−x̄)(y_i−ȳ) / Σ w_i(i−x̄)²` and the forecast
 * for `h` hours ahead is `ŷ_{n−1+h} = max(0, ȳ + b·(n−1+h−x̄))`, rounded to
 * 4 decimals. A single value gives b = 0 (a flat forecast of that value);
 * an empty series forecasts zeros.
 */
export function ewmTrendForecast(
  series: readonly number[],
  horizon = FORECAST_HOURS,
  decay = FORECAST_DECAY,
): number[] {
  const n = series.length;
  if (n === 0) return Array(horizon).fill(0);
  let W = 0, sx = 0, sy = 0;
  series.forEach((y, i) => {
    const w = decay ** (n - 1 - i);
    W += w;
    sx += w * i;
    sy += w * y;
  });
  const xm = sx / W, ym = sy / W;
  let sxy = 0, sxx = 0;
  series.forEach((y, i) => {
    const w = decay ** (n - 1 - i);
    sxy += w * (i - xm) * (y - ym);
    sxx += w * (i - xm) ** 2;
  });
  const b = sxx === 0 ? 0 : sxy / sxx;
  return Array.from(
    { length: horizon },
    (_, k) => round(Math.max(0, ym + b * (n + k - xm)), 4),
  );
}

export type StockStatus = "Critical" | "Warning" | "OK";

export interface StockInput {
  productId: string;
  productName: string;
  category: string;
  /** Units on hand, summed over warehouses. */
  stock: number;
  /** Hourly purchases of the product, oldest first, missing hours as 0. */
  hourly: number[];
}

export interface StockOutRow {
  productId: string;
  productName: string;
  category: string;
  stock: number;
  forecast: number[];
  /** Mean of the forecast hours: units per hour. */
  ratePerHour: number;
  /** stock / rate, 1 decimal; null when the rate is 0 (no stock-out foreseen). */
  hoursUntilStockOut: number | null;
  status: StockStatus;
}

/**
 * Hours until stock-out: `stock / r` with `r` the mean of the 6 forecast
 * hours (units/hour), assuming demand stays at that rate past the forecast.
 * Zero stock is 0 hours; a zero rate with stock is null (never) and OK.
 * Status: Critical below 24 h, Warning below 72 h, else OK. Rows come sorted
 * by hours ascending (never last), then product id.
 */
export function stockOut(products: readonly StockInput[]): StockOutRow[] {
  const rows = products.map((p): StockOutRow => {
    const forecast = ewmTrendForecast(p.hourly);
    const rate = round(
      forecast.reduce((a, b) => a + b, 0) / forecast.length,
      4,
    );
    const hours = p.stock <= 0
      ? 0
      : rate === 0
      ? null
      : round(p.stock / rate, 1);
    const status: StockStatus = hours === null
      ? "OK"
      : hours < CRITICAL_HOURS
      ? "Critical"
      : hours < WARNING_HOURS
      ? "Warning"
      : "OK";
    return {
      productId: p.productId,
      productName: p.productName,
      category: p.category,
      stock: p.stock,
      forecast,
      ratePerHour: rate,
      hoursUntilStockOut: hours,
      status,
    };
  });
  return rows.sort((a, b) =>
    (a.hoursUntilStockOut ?? Infinity) - (b.hoursUntilStockOut ?? Infinity) ||
    a.productId.localeCompare(b.productId)
  );
}
