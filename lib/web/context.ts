/** What route handlers get: the configuration, the database and the commit feed. */
import type { Config } from "../config.ts";
import type { Sql } from "../db/mod.ts";
import type { CommitBus } from "../feed/bus.ts";
import type { PlatformMetrics } from "../metrics/mod.ts";

export interface AppContext {
  config: Config;
  sql: Sql;
  bus: CommitBus;
  /** This process's metrics registry, served at `/metrics` (absent: 404). */
  metrics?: PlatformMetrics;
}
