/** A dashboard app over a test database, as the runtime would build it. */
import type { Hono } from "hono";
import type { Sql } from "../../lib/db/mod.ts";
import { loadConfig } from "../../lib/config.ts";
import { CommitBus } from "../../lib/feed/bus.ts";
import { createApp, type DashboardApp } from "../../routes/app.ts";

/** The app with settings from `env` (e.g. API_TOKEN) and its own bus. */
export function webApp(
  sql: Sql,
  env: Record<string, string> = {},
): { app: Hono; web: DashboardApp; bus: CommitBus } {
  const bus = new CommitBus();
  const web = createApp({ config: loadConfig(env), sql, bus });
  return { app: web.app, web, bus };
}
