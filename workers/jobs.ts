/**
 * The jobs role: scheduled work on Deno.cron. Each job is one row of
 * {@linkcode JOBS}; a run never overlaps the previous run of the same job.
 */
import type { Sql } from "../lib/db/mod.ts";
import type { Config } from "../lib/config.ts";
import { runPricing } from "../lib/pricing/engine.ts";
import { pricingOptionsFrom } from "../lib/pricing/thresholds.ts";
import { logger } from "../lib/log.ts";
import { maxStockOf, qualityJob } from "../lib/quality/mod.ts";
import { modelsJob } from "../lib/models/refresh.ts";
import { exportLake, PARALLEL, targetFromConfig } from "../lib/lake/mod.ts";
import type { JobRun } from "../lib/metrics/mod.ts";
import type { WorkerRegistry } from "../lib/health/registry.ts";
import { evaluateAlerts } from "../lib/alerts/evaluate.ts";
import { maintain } from "../lib/db/maintenance.ts";
import { type Sender, startAlertSender } from "../lib/alerts/deliver.ts";

const log = logger("jobs");

export interface JobContext {
  config: Config;
  sql: Sql;
  /** Told about every finished run, successful or not (the metrics listen here). */
  onRun?: (run: JobRun) => void;
  /** This process's workers: the consumer alerts see them when they run here. */
  workers?: WorkerRegistry;
  /** Told when an evaluation queued alert messages (the sender then looks at once). */
  alertsQueued?: () => void;
}

export interface Job {
  name: string;
  /** Cron expression (UTC). */
  schedule: string;
  /** Also run once this many ms after start (so a fresh start shows results quickly). */
  startAfterMs?: number;
  /**
   * The start-up run and a scheduled run closer together than this do not
   * both run: the second is skipped (see {@linkcode StartupRuns}).
   */
  startupGapMs?: number;
  run(ctx: JobContext): Promise<Record<string, unknown>>;
}

export const JOBS: Job[] = [
  {
    name: "pricing",
    schedule: "* * * * *",
    startAfterMs: 5000,
    async run({ sql, config }) {
      const r = await runPricing(sql, pricingOptionsFrom(config));
      return {
        run_id: r.runId,
        products: r.products,
        ...r.counts,
        written: r.written,
        auto_applied: r.autoApplied,
        pending: r.pending,
        ...(r.gateReason ? { gate: r.gateReason } : {}),
        ms: Math.round(r.durationMs),
      };
    },
  },
  // Marts refresh CONCURRENTLY every 5 minutes (minutes 0, 5, ...): readers
  // never wait, and on embedded PGlite, where every query shares one
  // session, a refresh a minute would compete with ingestion for little gain.
  {
    name: "models",
    schedule: "*/5 * * * *",
    startAfterMs: 20000,
    startupGapMs: 2 * 60_000,
    run: ({ sql }) => modelsJob(sql),
  },
  // Quality checks at minutes 2, 7, ...: after a refresh, so the marts' schema
  // tests see fresh marts; each run is stored in quality_runs.
  {
    name: "quality",
    schedule: "2-59/5 * * * *",
    startAfterMs: 30000,
    startupGapMs: 2 * 60_000,
    run: ({ sql, config }) => qualityJob(sql, { maxStock: maxStockOf(config) }),
  },
  // Alert rules every minute: decisions and messages go to the outbox; the
  // sender (started with the jobs) posts them, so a slow channel never
  // delays an evaluation.
  {
    name: "alerts",
    schedule: "* * * * *",
    startAfterMs: 15000,
    async run({ sql, config, workers, alertsQueued }) {
      const e = await evaluateAlerts(sql, { config, workers });
      if (e.deliveries > 0) alertsQueued?.();
      return { ...e, failed: e.failed.join(",") || undefined };
    },
  },
  // PGlite runs no autovacuum: every 10 minutes (4, 14, ...; clear of the
  // marts and the checks) its tables are vacuumed and analysed, ~0.5 s for a
  // shop of 350k clicks. Does nothing on a PostgreSQL server.
  {
    name: "maintenance",
    schedule: "4-59/10 * * * *",
    startAfterMs: 60_000,
    startupGapMs: 5 * 60_000,
    run: ({ sql }) => maintain(sql),
  },
  // Hourly lake export: only rows new since the last export, as Parquet part
  // files (lib/lake); refused, not doubled, while a `lake:export` is running.
  {
    name: "lake_export",
    schedule: "0 * * * *",
    async run({ sql, config }) {
      const r = await exportLake(sql, await targetFromConfig(config), {
        parallel: PARALLEL,
      });
      return {
        files: r.files,
        rows: r.rows,
        bytes: r.bytes,
        ms: Math.round(r.ms),
      };
    },
  },
];

/**
 * Keeps a job's start-up run and a scheduled run from doubling up: a process
 * started at 12:03:30 would vacuum on schedule at 12:04:00 and again for its
 * start-up at 12:04:30, or, started at 12:02:45, for its start-up at
 * 12:03:45 and on schedule at 12:04:00. Within the job's `startupGapMs`,
 * whichever of the two comes second is skipped.
 */
export class StartupRuns {
  #scheduled = new Map<string, number>();
  #startup = new Map<string, number>();

  /** Whether `job`'s start-up run should run at `now`; if so, it is noted. */
  startupDue(job: Job, now: number): boolean {
    return this.#due(job, now, this.#scheduled, this.#startup);
  }

  /** Whether a scheduled run of `job` should run at `now`; if so, it is noted. */
  scheduledDue(job: Job, now: number): boolean {
    return this.#due(job, now, this.#startup, this.#scheduled);
  }

  /** Due unless the `other` kind of run started within the gap; notes it in `mine`. */
  #due(
    job: Job,
    now: number,
    other: Map<string, number>,
    mine: Map<string, number>,
  ): boolean {
    const last = other.get(job.name);
    if (last !== undefined && now - last < (job.startupGapMs ?? 0)) {
      return false;
    }
    mine.set(job.name, now);
    return true;
  }
}

export interface Scheduler {
  stop(): Promise<void>;
  /** Runs a job now (also used by tests and tasks). */
  runNow(name: string): Promise<Record<string, unknown>>;
}

/** Runs `job` once, logging its result and telling `ctx.onRun` how it went. */
function observed(
  ctx: JobContext,
  job: Job,
): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const observe = (
    ok: boolean,
    result?: Record<string, unknown>,
    error?: string,
  ) =>
    ctx.onRun?.({
      job: job.name,
      ok,
      seconds: (performance.now() - t0) / 1000,
      result,
      error,
      finishedAt: Date.now(),
    });
  return job.run(ctx).then((result) => {
    log.info(`job ${job.name} done`, {
      ...result,
      total_ms: Math.round(performance.now() - t0),
    });
    observe(true, result);
    return result;
  }, (err) => {
    observe(false, undefined, (err as Error)?.message ?? String(err));
    throw err;
  });
}

/** Schedules every job on Deno.cron (and once soon after start where asked). */
export function startJobs(
  jobContext: JobContext,
  jobs: readonly Job[] = JOBS,
): Scheduler {
  const sender = alertSender(jobContext);
  const ctx = { ...jobContext, alertsQueued: sender?.wake };
  const abort = new AbortController();
  const running = new Map<string, Promise<unknown>>();
  const timers: ReturnType<typeof setTimeout>[] = [];
  const startups = new StartupRuns();

  function runNow(name: string): Promise<Record<string, unknown>> {
    const job = jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new Error(`Unknown job "${name}"`));
    const busy = running.get(name);
    if (busy) return busy as Promise<Record<string, unknown>>;
    const p = observed(ctx, job).finally(() => running.delete(name));
    running.set(name, p);
    return p;
  }

  const safeRun = (name: string) =>
    runNow(name).catch((err) =>
      log.error(`job ${name} failed`, { error: err })
    );

  for (const job of jobs) {
    Deno.cron(`${ctx.config.topicPrefix}${job.name}`, job.schedule, {
      signal: abort.signal,
    }, () => {
      if (abort.signal.aborted) return;
      if (!startups.scheduledDue(job, Date.now())) {
        log.info(`job ${job.name} skipped: its start-up run was just now`);
        return;
      }
      return safeRun(job.name).then(() => {});
    });
    if (job.startAfterMs !== undefined) {
      timers.push(setTimeout(() => {
        if (startups.startupDue(job, Date.now())) safeRun(job.name);
        else log.info(`job ${job.name} skipped at start-up: it just ran`);
      }, job.startAfterMs));
    }
  }

  return {
    runNow,
    async stop() {
      abort.abort();
      timers.forEach(clearTimeout);
      await Promise.allSettled([...running.values()]);
      await sender?.stop();
    },
  };
}

/** The alert sender, where there are channels to send to. */
function alertSender({ config, sql }: JobContext): Sender | null {
  if (config.alertChannels.length === 0) return null;
  return startAlertSender({
    sql,
    channels: config.alertChannels,
    timeoutMs: config.alertTimeoutMs,
    retryBaseMs: config.alertRetryBaseMs,
    maxAttempts: config.alertMaxAttempts,
  });
}
