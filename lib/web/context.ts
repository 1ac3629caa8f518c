/** What route handlers get: the configuration, the database and the commit feed. */
import type { Config } from "../config.ts";
import type { Sql } from "../db/mod.ts";
import type { CommitBus } from "../feed/bus.ts";

export interface AppContext {
  config: Config;
  sql: Sql;
  bus: CommitBus;
}
