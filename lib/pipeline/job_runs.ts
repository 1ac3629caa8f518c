/**
 * Scheduled job runs in the database (`job_runs`, sql/009): the jobs role
 * stores each finished run, so the pipeline page of any process, a web role
 * alone included, can show them. Runs older than {@linkcode KEEP_DAYS} go as
 * new ones arrive.
 */
import type { Sql } from "../db/mod.ts";
import type { JobRun } from "../metrics/jobs.ts";

/** Days of runs kept per job. */
export const KEEP_DAYS = 14;

/** The jobs of workers/jobs.ts and how often each runs, for the page to list a job that never ran. */
export const SCHEDULED_JOBS: readonly { name: string; every: string }[] = [
  { name: "pricing", every: "every minute" },
  { name: "models", every: "every 5 min" },
  { name: "quality", every: "every 5 min" },
  { name: "alerts", every: "every minute" },
  { name: "maintenance", every: "every 10 min" },
  { name: "lake_export", every: "hourly" },
];

/** A stored run, as the page shows it. */
export interface JobRunRow {
  runId: number;
  job: string;
  startedAt: Date;
  finishedAt: Date;
  seconds: number;
  ok: boolean;
  result: Record<string, unknown> | null;
  error: string | null;
}

/** Stores one finished run (and drops the job's runs older than KEEP_DAYS). */
export async function storeJobRun(sql: Sql, run: JobRun): Promise<void> {
  const finished = new Date(run.finishedAt);
  const started = new Date(run.finishedAt - run.seconds * 1000);
  await sql.begin(async (tx) => {
    await tx`
      insert into job_runs (job, started_at, finished_at, ok, result, error)
      values (${run.job}, ${started}, ${finished}, ${run.ok},
              ${run.ok ? tx.json((run.result ?? {}) as never) : null},
              ${run.ok ? null : (run.error ?? "failed without a message")})`;
    await tx`
      delete from job_runs
      where job = ${run.job} and finished_at < now() - make_interval(days => ${KEEP_DAYS})`;
  });
}

interface Row {
  run_id: string;
  job: string;
  started_at: Date;
  finished_at: Date;
  ok: boolean;
  result: Record<string, unknown> | null;
  error: string | null;
}

const toRun = (r: Row): JobRunRow => ({
  runId: Number(r.run_id),
  job: r.job,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  seconds: (r.finished_at.getTime() - r.started_at.getTime()) / 1000,
  ok: r.ok,
  result: r.result,
  error: r.error,
});

/** The newest `limit` runs of every job, newest first. */
export async function recentJobRuns(
  sql: Sql,
  limit: number,
): Promise<JobRunRow[]> {
  const rows = await sql<Row[]>`
    select run_id::text, job, started_at, finished_at, ok, result, error
    from job_runs order by finished_at desc, run_id desc limit ${limit}`;
  return rows.map(toRun);
}

/** Each job's last run and when it last succeeded. */
export async function lastJobRuns(
  sql: Sql,
): Promise<Map<string, { last: JobRunRow; lastOkAt: Date | null }>> {
  const rows = await sql<(Row & { last_ok_at: Date | null })[]>`
    select distinct on (r.job) r.run_id::text, r.job, r.started_at, r.finished_at, r.ok, r.result,
           r.error, (select max(o.finished_at) from job_runs o where o.job = r.job and o.ok) as last_ok_at
    from job_runs r order by r.job, r.finished_at desc, r.run_id desc`;
  return new Map(
    rows.map((r) => [r.job, { last: toRun(r), lastOkAt: r.last_ok_at }]),
  );
}
