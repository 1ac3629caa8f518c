/**
 * Quality runs kept in PostgreSQL (`quality_runs`, `quality_results`): the
 * dashboard and the metrics read the latest run and the history from here.
 */
import type { Sql } from "../db/mod.ts";
import type { QualityReport } from "./runner.ts";

export type RunSource = "cron" | "cli" | "test";

/** Stores one report (run and results) in one transaction; returns the run id. */
export async function storeReport(
  sql: Sql,
  report: QualityReport,
  source: RunSource,
): Promise<number> {
  const s = report.summary;
  return await sql.begin(async (tx) => {
    const [run] = await tx<{ run_id: string }[]>`
      insert into quality_runs (started_at, finished_at, source, total, passed, failed, warned, errored, ok)
      values (${report.startedAt}, ${report.finishedAt}, ${source}, ${s.total}, ${s.passed}, ${s.failed},
              ${s.warned}, ${s.errored}, ${s.ok})
      returning run_id`;
    const runId = run!.run_id;
    const r = report.results;
    if (r.length > 0) {
      await tx`
        insert into quality_results (run_id, check_name, check_group, severity, status, value, expected,
                                     expectation, detail, duration_ms)
        select ${runId}, * from unnest(
          ${r.map((x) => x.name)}::text[], ${r.map((x) => x.group)}::text[],
          ${r.map((x) => x.severity)}::text[], ${
        r.map((x) => x.status)
      }::text[],
          ${r.map((x) => x.value)}::numeric[], ${
        r.map((x) => x.expected)
      }::numeric[],
          ${r.map((x) => x.expectation)}::text[], ${
        r.map((x) => x.detail)
      }::text[],
          ${r.map((x) => x.durationMs)}::int[])`;
    }
    return Number(runId);
  });
}

export interface StoredRun {
  run_id: number;
  started_at: Date;
  finished_at: Date | null;
  source: RunSource;
  total: number;
  passed: number;
  failed: number;
  warned: number;
  errored: number;
  ok: boolean;
}

export interface StoredResult {
  check_name: string;
  check_group: string;
  severity: "error" | "warn";
  status: "pass" | "fail" | "warn" | "error";
  value: number | null;
  expected: number | null;
  expectation: string;
  detail: string | null;
  duration_ms: number;
}

/** The newest runs, newest first (for a history chart). */
export async function recentRuns(sql: Sql, limit = 50): Promise<StoredRun[]> {
  const rows = await sql<StoredRun[]>`
    select run_id::int, started_at, finished_at, source, total, passed, failed, warned, errored, ok
    from quality_runs order by run_id desc limit ${limit}`;
  return [...rows];
}

/** The newest run with its results, or null before the first run. */
export async function latestRun(
  sql: Sql,
): Promise<{ run: StoredRun; results: StoredResult[] } | null> {
  const [run] = await recentRuns(sql, 1);
  if (!run) return null;
  const results = await sql<StoredResult[]>`
    select check_name, check_group, severity, status, value::float8 as value, expected::float8 as expected,
           expectation, detail, duration_ms
    from quality_results where run_id = ${run.run_id} order by check_group, check_name`;
  return { run, results: [...results] };
}

/** Deletes runs older than `days` days (their results go with them); returns how many. */
export async function pruneRuns(sql: Sql, days = 30): Promise<number> {
  const rows = await sql`
    delete from quality_runs where started_at < now() - make_interval(days => ${days}) returning 1`;
  return rows.length;
}
