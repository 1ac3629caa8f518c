/** Assembles the web app from the sub-apps in `routes/`; errors become responses here, once. */
import { Hono } from "hono";
import type { AppContext } from "./context.ts";
import { healthRoutes } from "../../routes/health.ts";
import { metricsRoutes } from "../../routes/metrics.ts";
import { overviewRoutes } from "../../routes/overview.tsx";
import { inventoryRoutes } from "../../routes/inventory.tsx";
import { pricingRoutes } from "../../routes/pricing.tsx";
import { activityRoutes } from "../../routes/activity.tsx";
import { analyticsRoutes } from "../../routes/analytics.tsx";
import { analyticsApiRoutes } from "../../routes/analytics_api.ts";
import { liveRoutes } from "../../routes/live.ts";
import { assetRoutes } from "../../routes/assets.ts";
import { ErrorPage } from "../../components/ErrorPage.tsx";
import { renderPage } from "../islands/render.ts";
import { islandBundle } from "../islands/build.ts";
import { describeError, HttpError } from "./http_error.ts";
import { LiveFeed } from "./live.ts";
import { DbGate } from "./db_gate.ts";
import { microCache } from "./micro_cache.ts";
import { logger } from "../log.ts";

const log = logger("web");

/** The dashboard's own GET routes, served through the micro-cache (`/x/*` also matches `/x`). */
const DASHBOARD_GETS = [
  "/",
  "/inventory",
  "/pricing/*",
  "/activity",
  "/api/overview",
  "/api/inventory",
  "/api/pricing/*",
  "/api/activity",
];

const feeds = new WeakMap<Hono, LiveFeed>();

/** The live feed behind `app`'s `/api/live` (to end its streams on shutdown). */
export function liveFeedOf(app: Hono): LiveFeed | undefined {
  return feeds.get(app);
}

export function createApp(ctx: AppContext): Hono {
  // Build the island bundles now, so the first page view does not wait.
  islandBundle().catch((err) =>
    log.error("cannot build islands", { error: err })
  );
  const feed = new LiveFeed({
    sql: ctx.sql,
    bus: ctx.bus,
    lowStockThreshold: ctx.config.lowStockThreshold,
    // A process without consumers hears commits through PostgreSQL NOTIFY.
    listen: !ctx.config.roles.includes("processor"),
  });
  const gate = new DbGate(ctx.sql);
  const cache = microCache(ctx.config.webCacheMs);
  const app = new Hono();
  feeds.set(app, feed);
  app.route("/", healthRoutes(ctx));
  app.route("/", metricsRoutes(ctx));
  app.route("/", assetRoutes());
  app.route("/", liveRoutes(feed));
  // Everything below reads the database: fail fast while it is down.
  for (
    const path of [
      "/",
      "/inventory",
      "/pricing/*",
      "/activity",
      "/analytics/*",
      "/api/*",
    ]
  ) {
    app.use(path, gate.middleware());
  }
  for (const path of DASHBOARD_GETS) app.use(path, cache);
  app.route("/", overviewRoutes(ctx));
  app.route("/", inventoryRoutes(ctx));
  app.route("/", pricingRoutes(ctx));
  app.route("/", activityRoutes(ctx));
  app.route("/", analyticsApiRoutes(ctx));
  app.route("/", analyticsRoutes(ctx));
  app.notFound((c) => {
    throw new HttpError(404, `Cannot find "${c.req.path}"`);
  });
  app.onError((err, c) => {
    gate.saw(err);
    const { status, message, expected } = describeError(err);
    if (!expected) {
      log.error("request failed", { path: c.req.path, error: err });
    } else if (status >= 500) {
      log.warn("request failed", { path: c.req.path, status, error: err });
    }
    const s = status as 400;
    if (c.req.path.startsWith("/api/")) {
      return c.json({ error: message, status }, s);
    }
    const { html } = renderPage(ErrorPage({ status, message }), null);
    c.header("Cache-Control", "no-store");
    return c.html(html, s);
  });
  return app;
}
