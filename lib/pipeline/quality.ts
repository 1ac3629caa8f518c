/**
 * The data-quality runs (stored by the quality job and `deno task quality
 * --store` in quality_runs / quality_results): the latest run's result per
 * check, and each check's status over the runs before it.
 */
import type { Sql } from "../db/mod.ts";
import { latestRun, recentRuns } from "../quality/store.ts";
import type { QualityCheckRow, QualityRunRow } from "./types.ts";

/** The newest `runs` runs (newest first) and the latest run's checks with their history. */
export async function qualityStatus(
  sql: Sql,
  runs = 12,
): Promise<{ runs: QualityRunRow[]; checks: QualityCheckRow[] }> {
  const [recent, latest] = await Promise.all([
    recentRuns(sql, runs),
    latestRun(sql),
  ]);
  const ids = recent.map((r) => r.run_id);
  const history = await sql<
    { run_id: number; check_name: string; status: string }[]
  >`
    select run_id::int, check_name, status from quality_results
    where run_id = any(${ids}::bigint[])`;
  const statusOf = new Map(
    history.map((h) => [`${h.run_id}|${h.check_name}`, h.status]),
  );
  const oldestFirst = [...ids].reverse();
  return {
    runs: recent.map((r) => ({
      runId: r.run_id,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      source: r.source,
      passed: r.passed,
      failed: r.failed,
      warned: r.warned,
      errored: r.errored,
      ok: r.ok,
    })),
    checks: (latest?.results ?? []).map((c) => ({
      name: c.check_name,
      group: c.check_group,
      severity: c.severity,
      status: c.status,
      value: c.value,
      expected: c.expected,
      expectation: c.expectation,
      detail: c.detail,
      history: oldestFirst.map((runId) => ({
        runId,
        status: statusOf.get(`${runId}|${c.check_name}`) ?? null,
      })),
    })),
  };
}
