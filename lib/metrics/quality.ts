/**
 * Data-quality results, read at scrape time from the latest finished run in
 * `quality_runs` / `quality_results` (written by the quality job or CLI).
 */
import type { Sql } from "../db/mod.ts";
import type { Metrics } from "./definitions.ts";
import { isMissingTable, readOnly } from "./read.ts";

/** The latest finished quality run: when it finished and each check's status. */
export interface QualitySnapshot {
  finishedAt: Date;
  checks: { name: string; status: string }[];
}

/** Reads the latest finished run, or `null` when there is none yet. */
export async function readQuality(sql: Sql): Promise<QualitySnapshot | null> {
  try {
    return await readOnly(sql, async (tx) => {
      const [run] = await tx<{ run_id: string; finished_at: Date }[]>`
        select run_id, finished_at from quality_runs
        where finished_at is not null order by finished_at desc, run_id desc limit 1`;
      if (!run) return null;
      const checks = await tx<{ name: string; status: string }[]>`
        select check_name as name, status from quality_results
        where run_id = ${run.run_id} order by check_name`;
      return { finishedAt: run.finished_at, checks };
    });
  } catch (err) {
    if (isMissingTable(err)) return null;
    throw err;
  }
}

/** Replaces the quality gauges with `snap` (1 = the check passed). */
export function setQuality(m: Metrics, snap: QualitySnapshot | null): void {
  m.qualityCheck.reset();
  m.qualityLastRun.reset();
  if (!snap) return;
  m.qualityLastRun.set(snap.finishedAt.getTime() / 1000);
  for (const c of snap.checks) {
    m.qualityCheck.set({ check: c.name }, c.status === "pass" ? 1 : 0);
  }
}
