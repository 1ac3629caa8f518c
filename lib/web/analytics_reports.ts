/**
 * The four analytics reports as the web serves them: cached and bounded.
 * - The window ends on a whole minute, so `until=` values that differ by
 *   seconds share one report instead of one full scan each.
 * - A window that ended more than a minute ago cannot change much: it is
 *   kept 10 minutes; one that ends now is kept 30 seconds.
 * - At most ANALYTICS_MAX_CONCURRENT reports are computed at once
 *   (report_cache.ts), each in a read-only transaction whose statements stop
 *   after ANALYTICS_TIMEOUT_MS (then a 503 says to narrow the window).
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { Config } from "../config.ts";
import {
  demandReport,
  funnelReport,
  priceReport,
  rfmReport,
} from "../analytics/mod.ts";
import type { AnalysisWindow } from "../analytics/window.ts";
import { ReportCache } from "./report_cache.ts";
import { HttpError } from "./http_error.ts";
import { MINUTE_MS as MINUTE } from "../time.ts";

const RECENT_TTL_MS = 30_000;
const PAST_TTL_MS = 10 * MINUTE;

export interface AnalyticsLimits {
  maxConcurrent: number;
  timeoutMs: number;
}

/** The limits of `config` (ANALYTICS_MAX_CONCURRENT, ANALYTICS_TIMEOUT_MS). */
export function analyticsLimits(config: Config): AnalyticsLimits {
  return {
    maxConcurrent: config.analyticsMaxConcurrent,
    timeoutMs: config.analyticsTimeoutMs,
  };
}

/** `w` ending on the whole minute at or before its end. */
export function toWholeMinute(w: AnalysisWindow): AnalysisWindow {
  const to = new Date(Math.floor(w.to.getTime() / MINUTE) * MINUTE);
  return {
    from: new Date(to.getTime() - w.hours * 3_600_000),
    to,
    hours: w.hours,
  };
}

/** The analytics reports of one web app, sharing one cache and one limit. */
export class AnalyticsReports {
  readonly cache: ReportCache;

  constructor(
    private readonly sql: Sql,
    private readonly limits: AnalyticsLimits,
  ) {
    this.cache = new ReportCache({
      maxEntries: 200,
      maxConcurrent: Math.max(1, limits.maxConcurrent),
      maxQueued: 20,
      queueWaitMs: 5_000,
    });
  }

  /** The conversion funnel of window `w`. */
  funnel(w: AnalysisWindow) {
    return this.#run("funnel", w, "", (sql, x) => funnelReport(sql, x));
  }

  /** Price position in `w`, simulated at `elasticity`. */
  price(w: AnalysisWindow, elasticity: number) {
    return this.#run(
      "price",
      w,
      String(elasticity),
      (sql, x) => priceReport(sql, x, elasticity),
    );
  }

  /** Customer segments of the buyers in `w`. */
  rfm(w: AnalysisWindow) {
    return this.#run("rfm", w, "", (sql, x) => rfmReport(sql, x));
  }

  /**
   * Hourly demand in `w`, its forecast and stock-outs; `now` (a live window)
   * counts the current hour so far. A cached report keeps its hour's scale
   * for the cache's 30 s.
   */
  demand(w: AnalysisWindow, now?: Date) {
    return this.#run("demand", w, "", (sql, x) => demandReport(sql, x, now));
  }

  #run<T>(
    name: string,
    window: AnalysisWindow,
    extra: string,
    report: (sql: Sql, w: AnalysisWindow) => Promise<T>,
  ): Promise<T> {
    const w = toWholeMinute(window);
    const key = `${name}|${w.to.toISOString()}|${w.hours}|${extra}`;
    const ttl = w.to.getTime() < Date.now() - MINUTE
      ? PAST_TTL_MS
      : RECENT_TTL_MS;
    return this.cache.get(
      key,
      ttl,
      () =>
        this.sql.begin("read only", async (tx: TransactionSql) => {
          await tx`select set_config('statement_timeout', ${
            String(this.limits.timeoutMs)
          }, true)`;
          return await report(tx as unknown as Sql, w);
        }).catch((err) => {
          if ((err as { code?: string }).code !== "57014") throw err;
          throw new HttpError(
            503,
            `The ${name} report took longer than ${this.limits.timeoutMs} ms (ANALYTICS_TIMEOUT_MS); try a shorter window`,
          );
        }) as Promise<T>,
    );
  }
}
