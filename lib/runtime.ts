/**
 * Starts the roles asked for and stops them in the order that loses nothing:
 * generators first, then consumers (flushing their batches), jobs, web, and
 * finally the log and the database.
 */
import type { Config, Role } from "./config.ts";
import { type Database, openDatabase } from "./db/mod.ts";
import { openLog } from "./stream/mod.ts";
import type { EventLog } from "./stream/log.ts";
import { CommitBus } from "./feed/bus.ts";
import { Throughput } from "./stats/throughput.ts";
import { logger, say } from "./log.ts";
import {
  type GeneratorHandle,
  startGenerators,
} from "../workers/generators.ts";
import { type Processor, startProcessor } from "../workers/consumers.ts";
import { type Scheduler, startJobs } from "../workers/jobs.ts";
import { createApp } from "./web/app.ts";
import { serve, type WebServer } from "./web/server.ts";
import { type PlatformMetrics, startMetrics } from "./metrics/mod.ts";
import { type MetricsServer, serveMetrics } from "./metrics/server.ts";

const log = logger("runtime");

export interface Runtime {
  readonly db: Database;
  readonly log: EventLog | null;
  readonly bus: CommitBus;
  readonly generators?: GeneratorHandle;
  readonly jobs?: Scheduler;
  readonly web?: WebServer;
  readonly metrics: PlatformMetrics;
  /** The metrics-only server, in a process without the web role (METRICS_PORT > 0). */
  readonly metricsServer?: MetricsServer;
  stop(): Promise<void>;
}

const has = (c: Config, r: Role) => c.roles.includes(r);

/** Starts every role in `config.roles` in this process. */
export async function startRuntime(config: Config): Promise<Runtime> {
  const db = await openDatabase(config);
  const bus = new CommitBus();
  const needsLog = has(config, "generators") || has(config, "processor");
  let eventLog: EventLog | null = null;
  let processor: Processor | undefined;
  let generators: GeneratorHandle | undefined;
  let jobs: Scheduler | undefined;
  let web: WebServer | undefined;
  let metrics: PlatformMetrics | undefined;
  let metricsServer: MetricsServer | undefined;
  const throughput = new Throughput();
  throughput.follow(bus);
  let statsTimer: ReturnType<typeof setInterval> | undefined;
  try {
    if (needsLog) eventLog = await openLog(config);
    metrics = startMetrics({
      sql: db.sql,
      bus,
      log: eventLog,
      topicPrefix: config.topicPrefix,
      dbPoolMax: config.dbPoolMax,
    });
    if (has(config, "processor")) {
      processor = await startProcessor({
        config,
        sql: db.sql,
        log: eventLog!,
        bus,
      });
    }
    if (has(config, "jobs")) {
      jobs = startJobs({ config, sql: db.sql, onRun: metrics.observeJob });
    }
    if (has(config, "web")) {
      web = serve(createApp({ config, sql: db.sql, bus, metrics }), config);
    } else if (config.metricsPort > 0) {
      metricsServer = serveMetrics(metrics, {
        host: config.host,
        port: config.metricsPort,
      });
    }
    if (has(config, "generators")) {
      generators = startGenerators({
        log: eventLog!,
        topicPrefix: config.topicPrefix,
        rate: config.rate,
        seed: config.seed,
        users: config.users,
      });
    }
  } catch (err) {
    await Promise.allSettled([
      processor?.stop(),
      jobs?.stop(),
      web?.stop(),
      metricsServer?.stop(),
    ]);
    metrics?.stop();
    await eventLog?.close().catch(() => {});
    await db.close().catch(() => {});
    throw err;
  }
  if (config.statsIntervalMs > 0) {
    statsTimer = setInterval(async () => {
      if (!processor && generators) {
        Object.assign(throughput.totals, generators.produced);
      }
      const recs = await db.sql<
        { n: number }[]
      >`select count(*)::int as n from pricing_recommendations`
        .then(
          (r) => r[0]!.n,
          (
            err,
          ) => (log.warn("cannot count recommendations", { error: err }), null),
        );
      say(throughput.line(recs));
    }, config.statsIntervalMs);
  }
  log.info("running", {
    roles: config.roles.join(","),
    db: db.description,
    log: eventLog?.kind ?? "none",
  });
  return {
    db,
    log: eventLog,
    bus,
    generators,
    jobs,
    web,
    metrics,
    metricsServer,
    async stop() {
      clearInterval(statsTimer);
      await generators?.stop();
      await processor?.stop();
      await jobs?.stop();
      await web?.stop();
      await metricsServer?.stop();
      metrics.stop();
      await eventLog?.close();
      await db.close();
      log.info("stopped cleanly");
    },
  };
}
