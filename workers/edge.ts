/**
 * The dashboard alone, as a module `deno serve` runs (and edge runtimes such
 * as Deno Deploy, which call its `fetch`):
 *
 *   deno task build    # once per release: the island bundles, ahead of time
 *   DATABASE_URL=postgres://… deno serve --allow-net --allow-env --allow-read --allow-sys workers/edge.ts
 *
 * It reads the database only through DATABASE_URL, applies no migrations
 * (the platform's own processes do), spawns nothing and writes no file. It
 * hears commits by polling the consumers' offsets every 2 s, since an edge
 * isolate keeps no long-lived connection to LISTEN on; set LIVE_LISTEN=true
 * where it can.
 */
import { ConfigError, loadConfig } from "../lib/config.ts";
import { connect } from "../lib/db/mod.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { configureLog } from "../lib/log.ts";
import { createApp } from "../routes/app.ts";

const config = loadConfig({
  LIVE_LISTEN: "false",
  ...Deno.env.toObject(),
  ROLE: "web",
});
configureLog({ level: config.logLevel, format: config.logFormat });
if (!config.databaseUrl) {
  throw new ConfigError(
    "Cannot serve the dashboard alone: set DATABASE_URL (or PGHOST) to the platform's PostgreSQL",
  );
}

const web = createApp({
  config,
  sql: connect({ url: config.databaseUrl, max: config.dbPoolMax }),
  bus: new CommitBus(),
});

export default { fetch: web.app.fetch } satisfies Deno.ServeDefaultExport;
