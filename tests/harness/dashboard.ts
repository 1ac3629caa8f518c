/**
 * A dashboard with something on every page, for the browser tests: the
 * seeded shop through the real sink, purchases spread over the last hours
 * (so the demand chart has full hours), an empty and a low shelf, a refused
 * move and invalid events (the pipeline's rejections), job and quality runs,
 * every recommendation kind, the marts refreshed; then the app served on a
 * free port in this process.
 */
import type { Sql } from "../../lib/db/mod.ts";
import type { EventOf } from "../../lib/events/schema.ts";
import { loadConfig } from "../../lib/config.ts";
import { CommitBus } from "../../lib/feed/bus.ts";
import { ensureModels } from "../../lib/models/build.ts";
import { refreshModels } from "../../lib/models/refresh.ts";
import { storeJobRun } from "../../lib/pipeline/job_runs.ts";
import { createApp, type DashboardApp } from "../../routes/app.ts";
import { serve, type WebServer } from "../../workers/web.ts";
import { ingest, seedShop } from "./web_seed.ts";
import { seededEvents } from "./events.ts";
import { evaluateAlerts } from "../../lib/alerts/evaluate.ts";

/** Every page of the dashboard and the islands each hydrates. */
export const PAGES: Array<{ path: string; islands: string[] }> = [
  { path: "/", islands: ["LiveStatus", "LiveKpis"] },
  { path: "/inventory", islands: ["LiveStatus", "InventoryBoard"] },
  { path: "/inventory/P001", islands: ["LiveStatus", "StockBoard"] },
  { path: "/pricing", islands: ["LiveStatus", "SortableTable"] },
  { path: "/pricing/P001", islands: [] },
  {
    path: "/activity",
    islands: ["LiveStatus", "ActivityStreams", "LiveEvents"],
  },
  { path: "/pipeline", islands: ["LiveStatus", "PipelineBoard"] },
  { path: "/analytics", islands: [] },
  { path: "/analytics/funnel", islands: [] },
  { path: "/analytics/price", islands: ["AnalyticsRevenueSim"] },
  { path: "/analytics/customers", islands: [] },
  { path: "/analytics/demand", islands: [] },
  { path: "/alerts", islands: ["AlertList"] },
];

const HOUR = 3_600_000;

/** Purchases spread over the last `hours` full hours, so hourly charts have points. */
function pastPurchases(hours: number): EventOf["clickstream"][] {
  const now = Date.now();
  return seededEvents("clickstream", hours * 40, "past-hours", now)
    .map((e, i) => ({
      ...e,
      timestamp: new Date(now - (1 + (i % hours)) * HOUR).toISOString(),
    }));
}

/** Fills `sql` so that every page has data to show (see the module comment). */
export async function seedDashboard(sql: Sql): Promise<void> {
  await ensureModels(sql);
  await seedShop(sql, { clicks: 600, moves: 90, prices: 150 });
  await ingest(sql, "clickstream", pastPurchases(6));
  await sql`update inventory_state set current_stock = 0 where product_id = 'P004' and warehouse_id = 'WH-PH'`;
  await sql`update inventory_state set current_stock = 9 where product_id = 'P017' and warehouse_id = 'WH-LAGOS'`;
  const [move] = seededEvents("inventory", 1, "refused");
  await ingest(sql, "inventory", [{ ...move!, quantity_change: -100_000 }]);
  await ingest(sql, "clickstream", [
    '{"event_id": 1}',
    `{"x": "<b>bold</b> \u202Eevil"}`,
    "not json",
  ] as never);
  // One of each recommendation, so every badge is on a page.
  await sql`
    update pricing_recommendations r set recommendation = x.rec
    from (select product_id, (array['raise', 'lower', 'hold'])[1 + (row_number() over (order by product_id))::int % 3] as rec
          from pricing_recommendations) x
    where r.product_id = x.product_id`;
  for (
    const [job, ok] of [["pricing", true], ["models", true], [
      "quality",
      false,
    ]] as const
  ) {
    await storeJobRun(sql, {
      job,
      ok,
      seconds: 0.4,
      result: ok ? { rows: 12 } : undefined,
      error: ok ? undefined : "Cannot run the checks: the database went away",
      finishedAt: Date.now(),
    });
  }
  await sql`insert into quality_runs (finished_at, total, passed, failed, ok) values (now(), 2, 1, 1, false)`;
  await sql`
    insert into quality_results (run_id, check_name, check_group, severity, status, value, expectation, detail)
    select max(run_id), c, 'freshness', 'error', s, 3, '<= 120', d from quality_runs,
      (values ('freshness.clickstream', 'pass', null), ('freshness.pricing', 'fail', 'no run for 6 minutes')) v(c, s, d)
    group by c, s, d`;
  await refreshModels(sql);
  await seedAlerts(sql);
}

/** Alerts on the page: what the shelves above raise, one resolved, and a delivery that failed. */
async function seedAlerts(sql: Sql): Promise<void> {
  await evaluateAlerts(sql, { config: loadConfig({}) });
  await sql`
    update alerts set state = 'resolved', resolved_at = now(), acknowledged_at = now(),
      acknowledged_by = 'ada'
    where alert_id = (select min(alert_id) from alerts)`;
  await sql`
    insert into alert_deliveries (channel, kind, body, status, attempts, next_attempt_at,
                                  last_status, last_error, finished_at)
    values ('ops', 'test', '{}', 'failed', 1, now(), 503, 'the receiver answered 503', now())`;
}

/** The app served on a free port in this process, with the bus tests publish commits on. */
export function startDashboard(
  sql: Sql,
  env: Record<string, string> = {},
): { server: WebServer; web: DashboardApp; bus: CommitBus } {
  const bus = new CommitBus();
  const web = createApp({ config: loadConfig(env), sql, bus });
  const server = serve(web, { host: "127.0.0.1", port: 0 });
  return { server, web, bus };
}
