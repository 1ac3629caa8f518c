/**
 * The quality job as the jobs role runs it: each run and its results stored,
 * readable as "latest" and "history" for the dashboard and the metrics.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { ensureModels } from "../lib/models/build.ts";
import {
  allChecks,
  latestRun,
  qualityJob,
  recentRuns,
} from "../lib/quality/mod.ts";
import { pruneRuns } from "../lib/quality/store.ts";
import { dbTest } from "./harness/db.ts";
import { seedShop } from "./quality_seed.ts";

dbTest(
  "quality job - stores every run with its results, latest first",
  async ({ sql }) => {
    await seedShop(sql, { clickstream: 300, inventory: 60, competitor: 60 });
    await ensureModels(sql);
    const first = await qualityJob(sql);
    assertEquals([first.failed, first.errored], [0, 0]);
    await sql`update product_metrics set total_views = total_views + 1 where product_id = 'P001'`;
    const second = await qualityJob(sql);
    assertEquals(second.failed, 1);

    const runs = await recentRuns(sql);
    assertEquals(runs.map((r) => [r.run_id, r.source, r.ok, r.failed]), [
      [second.run_id, "cron", false, 1],
      [first.run_id, "cron", true, 0],
    ]);
    const latest = await latestRun(sql);
    ok(latest);
    assertEquals(latest.run.run_id, second.run_id);
    assertEquals(latest.results.length, (await allChecks()).length);
    const bad = latest.results.filter((r) => r.status !== "pass");
    assertEquals(bad.map((r) => [r.check_name, r.value, r.expected]), [[
      "metrics.match_clickstream",
      1,
      0,
    ]]);
    ok(bad[0]!.detail?.startsWith("P001: metrics"));
  },
);

dbTest(
  "quality job - runs older than the retention are pruned with their results",
  async ({ sql }) => {
    await ensureModels(sql);
    await sql`insert into quality_runs (started_at, source) values (now() - interval '40 days', 'cron'), (now(), 'cron')`;
    await sql`insert into quality_results (run_id, check_name, check_group, severity, status, expectation)
            select run_id, 'x.y', 'x', 'error', 'pass', '= 0' from quality_runs`;
    assertEquals(await pruneRuns(sql, 30), 1);
    const [{ runs, results }] = await sql<[{ runs: number; results: number }]>`
    select (select count(*)::int from quality_runs) as runs, (select count(*)::int from quality_results) as results`;
    assertEquals([runs, results], [1, 1]);
  },
);
