/** Assembles the web app from the sub-apps in `routes/`; errors become responses here, once. */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { healthRoutes } from "./health.ts";
import { metricsRoutes } from "./metrics.ts";
import { overviewRoutes } from "./overview.tsx";
import { inventoryRoutes } from "./inventory.tsx";
import { inventoryProductRoutes } from "./inventory_product.tsx";
import { pricingRoutes } from "./pricing.tsx";
import { pricingProductRoutes } from "./pricing_product.tsx";
import { recommendationRoutes } from "./recommendations.ts";
import { catalogRoutes } from "./catalog.ts";
import { ingestRoutes } from "./ingest.ts";
import { alertRoutes } from "./alerts.tsx";
import { alertApiRoutes } from "./alerts_api.ts";
import { strategyRoutes } from "./strategies.tsx";
import { activityRoutes } from "./activity.tsx";
import { analyticsRoutes } from "./analytics.tsx";
import { analyticsApiRoutes } from "./analytics_api.ts";
import { backtestRoutes } from "./backtest.tsx";
import { liveRoutes } from "./live.ts";
import { pipelineRoutes } from "./pipeline.tsx";
import { assetRoutes } from "./assets.ts";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { renderPage } from "../lib/islands/render.ts";
import { islandBundle } from "../lib/islands/build.ts";
import { describeError, HttpError } from "../lib/web/http_error.ts";
import { LiveFeed } from "../lib/web/live.ts";
import { DbGate } from "../lib/web/db_gate.ts";
import { microCache } from "../lib/web/micro_cache.ts";
import {
  analyticsLimits,
  AnalyticsReports,
} from "../lib/web/analytics_reports.ts";
import { requestLimits } from "../lib/web/request_limits.ts";
import { logger } from "../lib/log.ts";

const log = logger("web");

/** The dashboard's own GET routes, served through the micro-cache (`/x/*` also matches `/x`). */
const DASHBOARD_GETS = [
  "/",
  "/inventory/*",
  "/pricing/*",
  "/activity",
  "/pipeline",
  "/alerts",
  "/api/overview",
  "/api/inventory/*",
  "/api/pricing/*",
  "/api/activity",
  "/api/pipeline",
  "/api/alerts",
];

/** The dashboard app and the live feed behind its `/api/live`, whose streams its server ends on shutdown. */
export interface DashboardApp {
  readonly app: Hono;
  readonly feed: LiveFeed;
}

/** Builds the web app: every sub-app of `routes/` mounted, errors answered once, here. */
export function createApp(ctx: AppContext): DashboardApp {
  // Build the island bundles now, so the first page view does not wait.
  islandBundle().catch((err) =>
    log.error("cannot build islands", { error: err })
  );
  const feed = new LiveFeed({
    sql: ctx.sql,
    bus: ctx.bus,
    lowStockThreshold: ctx.config.lowStockThreshold,
    // A process without consumers hears commits through PostgreSQL NOTIFY,
    // or (LIVE_LISTEN=false, edge runtimes) by polling the offsets only.
    listen: !ctx.config.roles.includes("processor"),
    notify: ctx.config.liveListen,
  });
  const gate = new DbGate(ctx.sql);
  const app = new Hono();
  mountRoutes(app, ctx, feed, gate);
  app.notFound((c) => {
    throw new HttpError(404, `Cannot find "${c.req.path}"`);
  });
  app.onError((err, c) => answerError(err, c, gate));
  return { app, feed };
}

function mountRoutes(
  app: Hono,
  ctx: AppContext,
  feed: LiveFeed,
  gate: DbGate,
): void {
  const cache = microCache(ctx.config.webCacheMs);
  app.use("*", requestLimits());
  app.route("/", healthRoutes(ctx));
  app.route("/", metricsRoutes(ctx));
  app.route("/", assetRoutes());
  app.route(
    "/",
    liveRoutes(feed, {
      maxSubscribers: ctx.config.liveMaxSubscribers,
      writeTimeoutMs: ctx.config.liveWriteTimeoutMs,
    }),
  );
  // Everything below reads the database: fail fast while it is down.
  for (
    const path of [
      "/",
      "/inventory/*",
      "/pricing/*",
      "/activity",
      "/pipeline",
      "/alerts",
      "/analytics/*",
      "/api/*",
    ]
  ) {
    app.use(path, gate.middleware());
  }
  for (const path of DASHBOARD_GETS) app.use(path, cache);
  app.route("/", overviewRoutes(ctx));
  app.route("/", inventoryRoutes(ctx));
  app.route("/", inventoryProductRoutes(ctx));
  app.route("/", pricingRoutes(ctx));
  // Before the product page, which would take "strategies" for a product id.
  app.route("/", strategyRoutes(ctx));
  app.route("/", pricingProductRoutes(ctx));
  app.route("/", recommendationRoutes(ctx));
  app.route("/", catalogRoutes(ctx));
  app.route("/", ingestRoutes(ctx));
  app.route("/", alertApiRoutes(ctx));
  app.route("/", alertRoutes(ctx));
  app.route("/", activityRoutes(ctx));
  app.route("/", pipelineRoutes(ctx));
  // One report cache for the pages and their JSON/CSV twins.
  const reports = new AnalyticsReports(ctx.sql, analyticsLimits(ctx.config));
  app.route("/", analyticsApiRoutes(ctx, reports));
  app.route("/", analyticsRoutes(ctx, reports));
  app.route("/", backtestRoutes(ctx));
}

/** Every error becomes one answer: JSON under /api/, an error page elsewhere. */
function answerError(err: Error, c: Context, gate: DbGate): Response {
  gate.saw(err);
  const { status, message, expected, extra } = describeError(err);
  if (!expected) {
    log.error("request failed", { path: c.req.path, error: err });
  } else if (status >= 500) {
    log.warn("request failed", { path: c.req.path, status, error: err });
  }
  const s = status as 400;
  if (c.req.path.startsWith("/api/")) {
    return c.json({ error: message, status, ...extra }, s);
  }
  const { html } = renderPage(ErrorPage({ status, message }), null);
  c.header("Cache-Control", "no-store");
  return c.html(html, s);
}
