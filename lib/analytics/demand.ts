/**
 * Demand: hourly purchases per category with moving averages, an
 * hour-of-day × day-of-week heatmap, categories ranked by volume and by
 * variability, and a 6-hour forecast per category.
 */
import { ewmTrendForecast, FORECAST_HOURS } from "./forecast.ts";
import { mean, popStdev, round, sum } from "./stats.ts";

const HOUR = 3_600_000;

/** Purchases of one category in one hour (the hour's start, UTC). */
export interface HourlyRow {
  category: string;
  hour: Date;
  purchases: number;
}

export interface DemandPoint {
  hour: string;
  purchases: number;
  /** 1-hour moving average: the hour itself. */
  ma1: number;
  /** Mean of this hour and the 2 before it; null for the window's first 2 hours. */
  ma3: number | null;
}

export interface CategoryDemand {
  category: string;
  points: DemandPoint[];
  total: number;
  meanPerHour: number;
  /** Population stdev / mean of the hourly purchases; null when the mean is 0. */
  cv: number | null;
  forecast: Array<{ hour: string; purchases: number }>;
}

export interface HeatCell {
  /** ISO day of week, 1 = Monday … 7 = Sunday (UTC). */
  dow: number;
  hour: number;
  /** Purchases summed over categories, averaged over the window's hours in this slot. */
  avgPurchases: number | null;
}

export interface DemandResult {
  hours: string[];
  categories: CategoryDemand[];
  heatmap: HeatCell[];
  byVolume: Array<{ category: string; total: number }>;
  byCv: Array<{ category: string; cv: number | null }>;
}

/** The whole hours from `from` (floored to the hour) up to but excluding `to`. */
export function hourGrid(from: Date, to: Date): Date[] {
  const start = Math.floor(from.getTime() / HOUR) * HOUR;
  const out: Date[] = [];
  for (let t = start; t < to.getTime(); t += HOUR) out.push(new Date(t));
  return out;
}

/**
 * Trailing moving average over `k` points; null until `k` points exist.
 * Values are rounded to 4 decimals.
 */
export function movingAverage(
  xs: readonly number[],
  k: number,
): Array<number | null> {
  return xs.map((_, i) =>
    i + 1 < k ? null : round(sum(xs.slice(i + 1 - k, i + 1)) / k, 4)
  );
}

function categoryDemand(
  category: string,
  grid: Date[],
  values: number[],
): CategoryDemand {
  const ma3 = movingAverage(values, 3);
  const m = mean(values) ?? 0;
  const sd = popStdev(values) ?? 0;
  const last = grid.length ? grid[grid.length - 1]!.getTime() : 0;
  return {
    category,
    points: grid.map((h, i) => ({
      hour: h.toISOString(),
      purchases: values[i]!,
      ma1: values[i]!,
      ma3: ma3[i]!,
    })),
    total: sum(values),
    meanPerHour: round(m, 4),
    cv: m === 0 ? null : round(sd / m, 4),
    forecast: grid.length === 0
      ? []
      : ewmTrendForecast(values, FORECAST_HOURS).map((v, k) => ({
        hour: new Date(last + (k + 1) * HOUR).toISOString(),
        purchases: v,
      })),
  };
}

/** ISO day of week of a UTC time: 1 = Monday … 7 = Sunday. */
export function isoDow(d: Date): number {
  return ((d.getUTCDay() + 6) % 7) + 1;
}

/**
 * Analyses the window [from, to): every category in `categories` or in the
 * rows gets a full hourly series, missing hours counting 0 (rows outside the
 * window are ignored). Heatmap slots average the all-category total over the
 * window hours falling in that slot (null when none do). Rankings: volume
 * descending, CV descending (most erratic first, null last), ties by name.
 */
export function analyzeDemand(
  rows: readonly HourlyRow[],
  window: { from: Date; to: Date },
  categories: readonly string[] = [],
): DemandResult {
  const grid = hourGrid(window.from, window.to);
  const index = new Map(grid.map((h, i) => [h.getTime(), i]));
  const names = [...new Set([...categories, ...rows.map((r) => r.category)])]
    .sort();
  const values = new Map(names.map((c) => [c, grid.map(() => 0)]));
  for (const r of rows) {
    const i = index.get(r.hour.getTime());
    if (i !== undefined) values.get(r.category)![i]! += r.purchases;
  }
  const cats = names.map((c) => categoryDemand(c, grid, values.get(c)!));
  const slots = new Map<string, { total: number; hours: number }>();
  grid.forEach((h, i) => {
    const key = `${isoDow(h)}:${h.getUTCHours()}`;
    const s = slots.get(key) ?? { total: 0, hours: 0 };
    s.total += sum(cats.map((c) => c.points[i]!.purchases));
    s.hours++;
    slots.set(key, s);
  });
  const heatmap: HeatCell[] = [];
  for (let dow = 1; dow <= 7; dow++) {
    for (let hour = 0; hour < 24; hour++) {
      const s = slots.get(`${dow}:${hour}`);
      heatmap.push({
        dow,
        hour,
        avgPurchases: s ? round(s.total / s.hours, 4) : null,
      });
    }
  }
  const byName = (a: { category: string }, b: { category: string }) =>
    a.category.localeCompare(b.category);
  return {
    hours: grid.map((h) => h.toISOString()),
    categories: cats,
    heatmap,
    byVolume: cats.map(({ category, total }) => ({ category, total }))
      .sort((a, b) => b.total - a.total || byName(a, b)),
    byCv: cats.map(({ category, cv }) => ({ category, cv }))
      .sort((a, b) => (b.cv ?? -1) - (a.cv ?? -1) || byName(a, b)),
  };
}
