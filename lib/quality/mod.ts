/**
 * Data quality: the checks of the raw streams and the pipeline plus the
 * models' schema tests, run as one report. Used by the cron job of the jobs
 * role, `deno task quality` and `deno task models:test`.
 */
import type { Sql } from "../db/mod.ts";
import { loadModels } from "../models/schema.ts";
import { schemaChecks } from "./model_tests.ts";
import type { Check } from "./check.ts";
import { dataChecks } from "./checks.ts";
import { type QualityReport, runChecks } from "./runner.ts";
import { pruneRuns, type RunSource, storeReport } from "./store.ts";
import { logger } from "../log.ts";

const log = logger("quality");

export type { Check, CheckResult } from "./check.ts";
export type { QualityReport, Summary } from "./runner.ts";
export { CHECKS, maxStockOf } from "./checks.ts";
export { latestRun, recentRuns } from "./store.ts";

/**
 * The data checks, with no stock above `maxStock` units (see
 * {@linkcode maxStockOf}), followed by every model schema test.
 */
export async function allChecks(maxStock?: number): Promise<Check[]> {
  return [...dataChecks(maxStock), ...schemaChecks(await loadModels())];
}

/**
 * The quality job of the jobs role: runs every check, stores the run and
 * prunes runs older than 30 days; returns a summary for the job log line.
 */
export async function qualityJob(
  sql: Sql,
  opts: { maxStock?: number } = {},
): Promise<Record<string, unknown>> {
  const r = await runQuality(sql, { ...opts, source: "cron" });
  const failing = r.results.filter((x) => x.status !== "pass");
  if (!r.summary.ok) {
    log.warn("data quality checks failed", {
      run_id: r.runId,
      checks: failing.filter((x) => x.severity === "error").map((x) => x.name)
        .join(","),
    });
  }
  return {
    run_id: r.runId,
    passed: r.summary.passed,
    failed: r.summary.failed,
    warned: r.summary.warned,
    errored: r.summary.errored,
  };
}

/** Runs every check, stores the run when `source` is given, and prunes old runs. */
export async function runQuality(
  sql: Sql,
  opts: { source?: RunSource; keepDays?: number; maxStock?: number } = {},
): Promise<QualityReport & { runId: number | null }> {
  const report = await runChecks(sql, await allChecks(opts.maxStock));
  let runId: number | null = null;
  if (opts.source) {
    runId = await storeReport(sql, report, opts.source);
    await pruneRuns(sql, opts.keepDays ?? 30);
  }
  return { ...report, runId };
}
