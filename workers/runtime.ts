/**
 * Starts the roles asked for and stops them in the order that loses nothing:
 * generators first, then consumers (flushing their batches), jobs, web, and
 * finally the log and the database.
 */
import type { Config, Role } from "../lib/config.ts";
import type { Database } from "../lib/db/mod.ts";
import { openLog } from "../lib/stream/mod.ts";
import type { EventLog } from "../lib/stream/log.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { Throughput } from "../lib/stats/throughput.ts";
import { logger, say } from "../lib/log.ts";
import { type PlatformMetrics, startMetrics } from "../lib/metrics/mod.ts";
import { type MetricsServer, serveMetrics } from "../lib/metrics/server.ts";
import { createApp } from "../routes/app.ts";
import {
  DatabasePriceBook,
  neverMovedStock,
  storedStock,
} from "../lib/generators/price_book.ts";
import { healthRoutes } from "../routes/health.ts";
import { openPlatformDatabase } from "./database.ts";
import { type GeneratorHandle, startGenerators } from "./generators.ts";
import { type Processor, startProcessor } from "./consumers.ts";
import { type Scheduler, startJobs } from "./jobs.ts";
import { serve, type WebServer } from "./web.ts";
import { startLogRetention } from "./retention.ts";
import { WorkerRegistry } from "../lib/health/registry.ts";
import { readLag } from "../lib/metrics/lag.ts";
import { storeJobRun } from "../lib/pipeline/job_runs.ts";
import { followLogEnds } from "../lib/pipeline/log_ends.ts";
import type { JobRun } from "../lib/metrics/mod.ts";
import { startMallocTuning } from "../lib/memory.ts";

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
  /** What each worker of this process is doing (served by /api/health). */
  readonly workers: WorkerRegistry;
  /** Settles when a worker keeps dying: the process should exit non-zero. */
  readonly fatal: Promise<Error>;
  stop(): Promise<void>;
}

/** The roles' handles, filled in start order; each is absent when its role is not asked for. */
interface Roles {
  processor?: Processor;
  generators?: GeneratorHandle;
  /** Our applied prices, which the simulated shop's shoppers see. */
  prices?: DatabasePriceBook;
  jobs?: Scheduler;
  web?: WebServer;
  metricsServer?: MetricsServer;
  /** Stops writing the log's end offsets (a process that holds the log). */
  stopLogEnds?: () => Promise<void>;
}

const has = (c: Config, r: Role) => c.roles.includes(r);

/**
 * Generators and processors write and read the log. A web role writes to it
 * only for the ingest API, and may open it only on Kafka: the embedded log
 * belongs to the one process holding its lock, so a web role alone there
 * answers the ingest API with 503.
 */
function needsLog(c: Config): boolean {
  return has(c, "generators") || has(c, "processor") ||
    (has(c, "web") && c.kafkaBrokers !== "" && c.ingestTokens.length > 0);
}

/** Starts every role in `config.roles` in this process. */
export async function startRuntime(config: Config): Promise<Runtime> {
  const stopTrim = startMallocTuning();
  const db = await openPlatformDatabase(config).catch((err) => {
    stopTrim();
    throw err;
  });
  const bus = new CommitBus();
  const roles: Roles = {};
  const workers = new WorkerRegistry();
  let onFatal!: (err: Error) => void;
  const fatal = new Promise<Error>((resolve) => (onFatal = resolve));
  let eventLog: EventLog | null = null;
  let metrics: PlatformMetrics | undefined;
  try {
    if (needsLog(config)) eventLog = await openLog(config);
    metrics = startMetrics({
      sql: db.sql,
      bus,
      log: eventLog,
      topicPrefix: config.topicPrefix,
      dbPoolMax: config.dbPoolMax,
    });
    await startRoles(
      config,
      { db, bus, eventLog, metrics, workers, onFatal },
      roles,
    );
  } catch (err) {
    await stopRoles(roles);
    metrics?.stop();
    await eventLog?.close().catch(() => {});
    await db.close().catch(() => {});
    stopTrim();
    throw err;
  }
  const stopStats = printStats(config, db, bus, roles);
  log.info("running", {
    roles: config.roles.join(","),
    db: db.description,
    log: eventLog?.kind ?? "none",
  });
  return {
    db,
    log: eventLog,
    bus,
    ...roles,
    metrics,
    workers,
    fatal,
    async stop() {
      stopStats();
      await stopRoles(roles);
      metrics.stop();
      await eventLog?.close();
      await db.close();
      stopTrim();
      log.info("stopped cleanly");
    },
  };
}

interface Shared {
  db: Database;
  bus: CommitBus;
  eventLog: EventLog | null;
  metrics: PlatformMetrics;
  workers: WorkerRegistry;
  onFatal: (err: Error) => void;
}

/** Starts the roles in the order that lets each find what it needs running. */
async function startRoles(
  config: Config,
  shared: Shared,
  roles: Roles,
): Promise<void> {
  const { db, bus, eventLog, workers } = shared;
  if (has(config, "processor")) {
    roles.processor = await startProcessor({
      config,
      sql: db.sql,
      log: eventLog!,
      bus,
      workers,
      onFatal: shared.onFatal,
    });
    startLogRetention(eventLog!, db.sql, config.logRetentionCheckMs);
  }
  if (has(config, "jobs")) roles.jobs = startJobsRole(config, shared);
  startWebRole(config, shared, roles);
  if (eventLog) {
    roles.stopLogEnds = followLogEnds(db.sql, eventLog, config.topicPrefix);
  }
  if (has(config, "generators")) {
    roles.prices = await DatabasePriceBook.open(db.sql);
    roles.generators = startGenerators({
      log: eventLog!,
      topicPrefix: config.topicPrefix,
      rate: config.rate,
      seed: config.seed,
      users: config.users,
      customers: config.customers,
      prices: roles.prices,
      stock: await storedStock(db.sql),
      openingStock: await neverMovedStock(db.sql),
    });
  }
}

/** The scheduled jobs; each run goes to the metrics and to job_runs, where any web role reads it. */
function startJobsRole(config: Config, shared: Shared) {
  const { db, metrics, workers } = shared;
  const onRun = (run: JobRun) => {
    metrics.observeJob(run);
    storeJobRun(db.sql, run).catch((err) =>
      log.warn("cannot store the job run", { job: run.job, error: err })
    );
  };
  return startJobs({ config, sql: db.sql, onRun, workers });
}

/** The dashboard and API, or without the web role only /metrics and /api/health (METRICS_PORT). */
function startWebRole(config: Config, shared: Shared, roles: Roles): void {
  const { db, bus, eventLog, metrics, workers } = shared;
  const lag = eventLog
    ? () => readLag(db.sql, eventLog, config.topicPrefix)
    : undefined;
  const ctx = {
    config,
    sql: db.sql,
    bus,
    metrics,
    workers,
    lag,
    log: eventLog ?? undefined,
  };
  if (has(config, "web")) {
    roles.web = serve(createApp(ctx), config);
  } else if (config.metricsPort > 0) {
    const health = healthRoutes(ctx);
    roles.metricsServer = serveMetrics(metrics, {
      host: config.host,
      port: config.metricsPort,
      health: () => health.request("/api/health"),
    });
  }
}

/** Stops in the order that loses nothing: no new events, then flush, then the rest. */
async function stopRoles(roles: Roles): Promise<void> {
  await roles.generators?.stop();
  roles.prices?.close();
  await roles.processor?.stop();
  await roles.stopLogEnds?.();
  await Promise.allSettled([
    roles.jobs?.stop(),
    roles.web?.stop(),
    roles.metricsServer?.stop(),
  ]);
}

/** How soon the first throughput line comes: a new user sees the platform work at once. */
const FIRST_STATS_MS = 2_000;

/**
 * The throughput line every STATS_INTERVAL_MS (0 turns it off), the first
 * one after at most {@linkcode FIRST_STATS_MS}; returns the stop function.
 */
function printStats(
  config: Config,
  db: Database,
  bus: CommitBus,
  roles: Roles,
): () => void {
  if (config.statsIntervalMs <= 0) return () => {};
  const throughput = new Throughput();
  throughput.follow(bus);
  const print = statsPrinter(db, throughput, roles);
  let timer: ReturnType<typeof setInterval> | undefined;
  const first = setTimeout(() => {
    void print();
    timer = setInterval(print, config.statsIntervalMs);
  }, Math.min(FIRST_STATS_MS, config.statsIntervalMs));
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

/** Prints one throughput line, with the recommendations counted now. */
function statsPrinter(
  db: Database,
  throughput: Throughput,
  roles: Roles,
): () => Promise<void> {
  return async () => {
    if (!roles.processor && roles.generators) {
      Object.assign(throughput.totals, roles.generators.produced);
    }
    const recs = await db.sql<{ n: number }[]>`
      select count(*)::int as n from pricing_recommendations`.then(
      (r) => r[0]!.n,
      (err) => (log.warn("cannot count recommendations", { error: err }), null),
    );
    say(throughput.line(recs));
  };
}
