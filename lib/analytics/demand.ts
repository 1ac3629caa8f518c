/**
 * Demand: hourly purchases per category with moving averages, an
 * hour-of-day × day-of-week heatmap, categories ranked by volume and by
 * variability, and a 6-hour forecast per category.
 */
import { ewmTrendForecast, FORECAST_HOURS } from "./forecast.ts";
import { mean, popStdev, round, sum } from "./stats.ts";
import { HOUR_MS as HOUR } from "../time.ts";

/** Purchases of one category in one hour (the hour's start, UTC). */
export interface HourlyRow {
  category: string;
  hour: Date;
  purchases: number;
}

export interface DemandPoint {
  hour: string;
  /** Purchases counted in the hour (in the current hour: so far). */
  purchases: number;
  /** True for the current, unfinished hour: ma1 is its purchases scaled to a full hour. */
  partial?: boolean;
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

/** The current hour when it is part of the analysis: purchases so far, scaled to an hour. */
export interface CurrentHour {
  hour: string;
  /** Minutes of it elapsed. */
  minutes: number;
  /** Purchases so far, all categories. */
  purchases: number;
}

export interface DemandResult {
  hours: string[];
  /** The unfinished hour appended to every series (live windows only). */
  current: CurrentHour | null;
  /** Every category together, as one more series with its own forecast. */
  all: CategoryDemand;
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

/** A category's series; with `partial`, its last value is the current hour scaled up, `counts` the real counts. */
function categoryDemand(
  category: string,
  grid: Date[],
  values: number[],
  counts: number[] = values,
  partial = false,
): CategoryDemand {
  const ma3 = movingAverage(values, 3);
  const m = mean(values) ?? 0;
  const sd = popStdev(values) ?? 0;
  const last = grid.length ? grid[grid.length - 1]!.getTime() : 0;
  return {
    category,
    points: grid.map((h, i) => ({
      hour: h.toISOString(),
      purchases: counts[i]!,
      ma1: values[i]!,
      ma3: ma3[i]!,
      ...(partial && i === grid.length - 1 ? { partial: true } : {}),
    })),
    total: sum(counts),
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

/** The name of the series that adds every category up. */
export const ALL_CATEGORIES = "All categories";

/** The current hour counts once this much of it has passed; before, it says too little. */
export const MIN_CURRENT_MINUTES = 10;

/**
 * The factor that scales the current hour `[start, now)` to a full hour
 * (60 / minutes elapsed), or null while fewer than
 * {@linkcode MIN_CURRENT_MINUTES} minutes have passed.
 */
export function currentHourScale(start: Date, now: Date): number | null {
  const minutes = (now.getTime() - start.getTime()) / 60_000;
  return minutes >= MIN_CURRENT_MINUTES && minutes <= 60 ? 60 / minutes : null;
}

/** ISO day of week of a UTC time: 1 = Monday … 7 = Sunday. */
export function isoDow(d: Date): number {
  return ((d.getUTCDay() + 6) % 7) + 1;
}

/**
 * Analyses the window [from, to): every category in `categories` or in the
 * rows gets a full hourly series, missing hours counting 0 (rows outside the
 * window are ignored). With `current` (the unfinished hour starting at `to`
 * and its rows so far), each series gets one more point: the hour's
 * purchases scaled to a full hour, so a live window shows and forecasts the
 * latest demand instead of ending at the last full hour; totals count the
 * real purchases. Heatmap slots average the all-category total over the
 * window's full hours falling in that slot (null when none do). Rankings:
 * volume descending, CV descending (most erratic first, null last), ties by
 * name.
 */
export function analyzeDemand(
  rows: readonly HourlyRow[],
  window: { from: Date; to: Date },
  categories: readonly string[] = [],
  current?: { now: Date; rows: readonly HourlyRow[] },
): DemandResult {
  const full = hourGrid(window.from, window.to);
  const scale = current ? currentHourScale(window.to, current.now) : null;
  const extra = scale === null ? [] : current!.rows;
  const grid = scale === null ? full : [...full, window.to];
  const index = new Map(grid.map((h, i) => [h.getTime(), i]));
  const names = [
    ...new Set([...categories, ...[...rows, ...extra].map((r) => r.category)]),
  ].sort();
  const counts = new Map(names.map((c) => [c, grid.map(() => 0)]));
  // The window's rows fill its full hours; only `current` fills the unfinished one.
  const add = (r: HourlyRow, i: number | undefined) => {
    if (i !== undefined) counts.get(r.category)![i]! += r.purchases;
  };
  for (const r of rows) {
    const i = index.get(r.hour.getTime());
    add(r, i !== undefined && i < full.length ? i : undefined);
  }
  for (const r of extra) add(r, full.length);
  const cats = names.map((c) => {
    const n = counts.get(c)!;
    const v = scale === null
      ? n
      : n.map((x, i) => (i === n.length - 1 ? round(x * scale, 4) : x));
    return categoryDemand(c, grid, v, n, scale !== null);
  });
  const byName = (a: { category: string }, b: { category: string }) =>
    a.category.localeCompare(b.category);
  const total = (f: (c: CategoryDemand) => number[]) =>
    grid.map((_, i) => round(sum(cats.map((c) => f(c)[i]!)), 4));
  const all = categoryDemand(
    ALL_CATEGORIES,
    grid,
    total((c) => c.points.map((p) => p.ma1)),
    total((c) => c.points.map((p) => p.purchases)),
    scale !== null,
  );
  return {
    hours: grid.map((h) => h.toISOString()),
    all,
    current: scale === null ? null : {
      hour: window.to.toISOString(),
      minutes: Math.round(60 / scale),
      purchases: sum(cats.map((c) => c.points[c.points.length - 1]!.purchases)),
    },
    categories: cats,
    heatmap: heatmap(full, cats),
    byVolume: cats.map(({ category, total }) => ({ category, total }))
      .sort((a, b) => b.total - a.total || byName(a, b)),
    byCv: cats.map(({ category, cv }) => ({ category, cv }))
      .sort((a, b) => (b.cv ?? -1) - (a.cv ?? -1) || byName(a, b)),
  };
}

/** Mean all-category purchases per weekday × hour slot over the full hours of `grid`. */
function heatmap(grid: Date[], cats: CategoryDemand[]): HeatCell[] {
  const slots = new Map<string, { total: number; hours: number }>();
  grid.forEach((h, i) => {
    const key = `${isoDow(h)}:${h.getUTCHours()}`;
    const s = slots.get(key) ?? { total: 0, hours: 0 };
    s.total += sum(cats.map((c) => c.points[i]!.purchases));
    s.hours++;
    slots.set(key, s);
  });
  const out: HeatCell[] = [];
  for (let dow = 1; dow <= 7; dow++) {
    for (let hour = 0; hour < 24; hour++) {
      const s = slots.get(`${dow}:${hour}`);
      out.push({
        dow,
        hour,
        avgPurchases: s ? round(s.total / s.hours, 4) : null,
      });
    }
  }
  return out;
}
