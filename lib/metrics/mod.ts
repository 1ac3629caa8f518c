/**
 * The metrics of one process: a prom-client registry fed by the commit bus
 * (pushed as batches commit), by the jobs role (pushed as runs finish) and by
 * collectors that read the database and the log when Prometheus scrapes.
 * `GET /metrics` on the web server and the metrics-only port both render it.
 */
import { collectDefaultMetrics, Registry } from "prom-client";
import type { Sql } from "../db/mod.ts";
import type { EventLog } from "../stream/log.ts";
import type { CommitBus } from "../feed/bus.ts";
import { logger } from "../log.ts";
import { defineMetrics, type Metrics } from "./definitions.ts";
import { followCommits } from "./commits.ts";
import { type JobRun, recordJobRun } from "./jobs.ts";
import { monitorEventLoop } from "./event_loop.ts";
import { readLag, setLag } from "./lag.ts";
import { refreshDatabase } from "./database.ts";
import { readQuality, setQuality } from "./quality.ts";
import { readLake, setLake } from "./lake.ts";
import { readAlerts, setAlerts } from "./alerts.ts";

export type { JobRun } from "./jobs.ts";
export type { Metrics } from "./definitions.ts";

const log = logger("metrics");

/** How long a scrape waits for one collector before leaving its series out. */
export const COLLECT_TIMEOUT_MS = 2000;

/**
 * prom-client defaults that are wrong or break conventions under Deno: the
 * event-loop monitor does not see blocked loops (ours is timer-based), GC
 * timings never arrive, and the active-handle gauges end in `_total`.
 */
const DROPPED_DEFAULTS = /^nodejs_(eventloop_lag|gc_|active_)/;

export interface MetricsDeps {
  sql: Sql;
  bus: CommitBus;
  /** The log, when this process has one: consumer lag is read from it. */
  log?: EventLog | null;
  topicPrefix: string;
  dbPoolMax: number;
}

export interface PlatformMetrics {
  readonly registry: Registry;
  readonly metrics: Metrics;
  /** Records a finished job run (wired to the jobs role). */
  observeJob(run: JobRun): void;
  /** Refreshes the scrape-time collectors and renders the exposition text. */
  render(): Promise<string>;
  readonly contentType: string;
  stop(): void;
}

interface Collector {
  name: string;
  refresh(): Promise<void>;
  /** Leaves the collector's series out after a failure (stale values mislead). */
  clear(): void;
}

function collectors(m: Metrics, d: MetricsDeps): Collector[] {
  const list: Collector[] = [
    {
      name: "database",
      refresh: () => refreshDatabase(m, d.sql, d.dbPoolMax),
      clear: () => {
        m.dbUp.set(0);
        m.dbConnections.reset();
      },
    },
    {
      name: "quality",
      refresh: async () => setQuality(m, await readQuality(d.sql)),
      clear: () => setQuality(m, null),
    },
    {
      name: "lake",
      refresh: async () => setLake(m, await readLake(d.sql)),
      clear: () => setLake(m, []),
    },
    {
      name: "alerts",
      refresh: async () => setAlerts(m, await readAlerts(d.sql)),
      clear: () => setAlerts(m, { firing: [], deliveries: [] }),
    },
  ];
  const eventLog = d.log;
  if (eventLog) {
    list.push({
      name: "consumer_lag",
      refresh: async () =>
        setLag(m, await readLag(d.sql, eventLog, d.topicPrefix)),
      clear: () => setLag(m, []),
    });
  }
  return list;
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Creates this process's registry and starts feeding it. */
export function startMetrics(deps: MetricsDeps): PlatformMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const metric of registry.getMetricsAsArray()) {
    if (DROPPED_DEFAULTS.test(metric.name)) {
      registry.removeSingleMetric(metric.name);
    }
  }
  const m = defineMetrics(registry);
  const unsubscribe = followCommits(m, deps.bus);
  const stopLoop = monitorEventLoop(m);
  const scrapeTime = collectors(m, deps);

  async function refresh(c: Collector): Promise<void> {
    try {
      await withTimeout(c.refresh(), COLLECT_TIMEOUT_MS);
    } catch (err) {
      c.clear();
      m.collectErrors.inc({ collector: c.name });
      log.warn("metrics collector failed", { collector: c.name, error: err });
    }
  }

  return {
    registry,
    metrics: m,
    contentType: registry.contentType,
    observeJob: (run) => recordJobRun(m, run),
    async render() {
      await Promise.all(scrapeTime.map(refresh));
      return await registry.metrics();
    },
    stop() {
      unsubscribe();
      stopLoop();
    },
  };
}
