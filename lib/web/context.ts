/** What route handlers get: the configuration, the database and the commit feed. */
import type { Config } from "../config.ts";
import type { Sql } from "../db/mod.ts";
import type { CommitBus } from "../feed/bus.ts";
import type { PlatformMetrics } from "../metrics/mod.ts";
import type { WorkerRegistry } from "../health/registry.ts";
import type { PartitionLag } from "../metrics/lag.ts";
import type { EventLog } from "../stream/log.ts";

export interface AppContext {
  config: Config;
  sql: Sql;
  bus: CommitBus;
  /** This process's metrics registry, served at `/metrics` (absent: 404). */
  metrics?: PlatformMetrics;
  /** This process's workers (absent in a web-only process: nothing to report). */
  workers?: WorkerRegistry;
  /** Reads the consumers' lag (absent where this process has no log). */
  lag?: () => Promise<PartitionLag[]>;
  /**
   * The log this process may write to, for the ingest API: the runtime's
   * own when it holds one (processor or generators here, or Kafka); absent
   * in a web role alone on the embedded log, where only the process holding
   * the log's lock may append.
   */
  log?: EventLog;
}
