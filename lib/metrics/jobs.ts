/** Scheduled job runs: duration, outcome, last success, and the pricing cycle's results. */
import type { Metrics } from "./definitions.ts";
import { ACTIONS } from "../pricing/action.ts";

/** One finished job run, as reported by the jobs role. */
export interface JobRun {
  job: string;
  ok: boolean;
  seconds: number;
  /** What the job returned (absent when it failed). */
  result?: Record<string, unknown>;
  /** Why it failed, one sentence (absent when it succeeded). */
  error?: string;
  /** When it finished (ms since the epoch). */
  finishedAt: number;
}

/** The lake export job, whatever its exact row name in JOBS ("lake", "lake_export"). */
const LAKE_JOB = /^lake/;

/** Records one job run; the pricing job's counts feed the recommendation metrics. */
export function recordJobRun(m: Metrics, run: JobRun): void {
  const outcome = run.ok ? "success" : "failure";
  m.jobRuns.inc({ job: run.job, outcome });
  m.jobDuration.observe({ job: run.job, outcome }, run.seconds);
  if (LAKE_JOB.test(run.job)) m.lakeDuration.observe({ outcome }, run.seconds);
  if (!run.ok) return;
  m.jobLastSuccess.set({ job: run.job }, run.finishedAt / 1000);
  if (run.job === "pricing" && run.result) {
    m.pricingCycle.observe(run.seconds);
    for (const rec of ACTIONS) {
      const n = Number(run.result[rec] ?? 0);
      if (!Number.isFinite(n)) continue;
      m.recommendations.inc({ recommendation: rec }, n);
      m.lastCycleRecommendations.set({ recommendation: rec }, n);
    }
  }
}
