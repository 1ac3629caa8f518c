/**
 * Job metrics follow the jobs role's runs (pricing cycles and their
 * recommendations, failures, the lake export's duration), and the quality and
 * lake series follow the tables those jobs write.
 */
import {
  deepStrictEqual as assertEquals,
  fail,
  ok as assert,
} from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { sampleValue } from "./harness/prometheus.ts";
import { commit, records, setup } from "./harness/metrics.ts";
import { loadConfig } from "../lib/config.ts";
import { JOBS, startJobs } from "../workers/jobs.ts";

dbTest(
  "metrics - job runs are timed and counted, and pricing cycles count recommendations by type",
  async (db) => {
    const { bus, metrics, scrape, topicPrefix } = await setup(db);
    const config = loadConfig({ TOPIC_PREFIX: topicPrefix });
    const failing = {
      name: "broken",
      schedule: "0 0 1 1 *",
      run: () => Promise.reject(new Error("broken on purpose")),
    };
    const pricing = JOBS.find((j) => j.name === "pricing")!;
    const jobs = startJobs(
      { config, sql: db.sql, onRun: metrics.observeJob },
      [{ ...pricing, startAfterMs: undefined }, failing],
    );
    try {
      await commit(db, bus, "competitor", records("competitor", 40));
      const result = await jobs.runNow("pricing");
      const made = Number(result.raise) + Number(result.lower) +
        Number(result.hold);
      assert(made > 0, "the pricing cycle should have recommended something");
      await jobs.runNow("broken").then(
        () => fail("should fail"),
        () => {},
      );

      const text = await scrape();
      assertEquals(
        sampleValue(text, "ecommerce_pricing_recommendations_total"),
        made,
      );
      for (const rec of ["raise", "lower", "hold"]) {
        assertEquals(
          sampleValue(text, "ecommerce_pricing_last_cycle_recommendations", {
            recommendation: rec,
          }),
          Number(result[rec]),
        );
      }
      assertEquals(
        sampleValue(text, "ecommerce_pricing_cycle_duration_seconds_count"),
        1,
      );
      assertEquals(
        sampleValue(text, "ecommerce_job_runs_total", {
          job: "pricing",
          outcome: "success",
        }),
        1,
      );
      assertEquals(
        sampleValue(text, "ecommerce_job_runs_total", {
          job: "broken",
          outcome: "failure",
        }),
        1,
      );
      const last = sampleValue(
        text,
        "ecommerce_job_last_success_timestamp_seconds",
        {
          job: "pricing",
        },
      )!;
      assert(
        Math.abs(last - Date.now() / 1000) < 600,
        `last success ${last} is not now`,
      );
      assertEquals(
        sampleValue(text, "ecommerce_job_last_success_timestamp_seconds", {
          job: "broken",
        }),
        undefined,
      );
    } finally {
      await jobs.stop();
      metrics.stop();
    }
  },
);

dbTest(
  "metrics - quality checks read 1 when the latest run passed them, 0 otherwise",
  async (db) => {
    const { metrics, scrape } = await setup(db);
    try {
      const none = await scrape();
      assertEquals(
        sampleValue(none, "ecommerce_quality_check_passed"),
        undefined,
      );
      const insertRun = async (
        finished: string,
        statuses: [string, string][],
      ) => {
        const [run] = await db.sql<{ run_id: string }[]>`
          insert into quality_runs (finished_at, source, total) values (${finished}, 'test', ${statuses.length})
          returning run_id`;
        for (const [name, status] of statuses) {
          await db.sql`
            insert into quality_results (run_id, check_name, check_group, severity, status, expectation)
            values (${
            run!.run_id
          }, ${name}, 'test', 'error', ${status}, 'test')`;
        }
      };
      await insertRun("2026-01-01T00:00:00Z", [["old_check", "fail"]]);
      await insertRun("2026-01-02T00:00:00Z", [
        ["stock_never_negative", "pass"],
        ["offsets_forward", "fail"],
        ["freshness", "warn"],
      ]);
      const text = await scrape();
      const check = (c: string) =>
        sampleValue(text, "ecommerce_quality_check_passed", { check: c });
      assertEquals(check("stock_never_negative"), 1);
      assertEquals(check("offsets_forward"), 0);
      assertEquals(check("freshness"), 0);
      assertEquals(check("old_check"), undefined);
      assertEquals(
        sampleValue(text, "ecommerce_quality_last_run_timestamp_seconds"),
        Date.parse("2026-01-02T00:00:00Z") / 1000,
      );
    } finally {
      metrics.stop();
    }
  },
);

dbTest(
  "metrics - lake export totals and last success come from the export state",
  async (db) => {
    const { metrics, scrape } = await setup(db);
    try {
      await db.sql`
        insert into lake_export_state (stream, rows_exported, files_exported, bytes_exported, last_export_at)
        values ('clickstream', 1200, 3, 45678, '2026-03-04T05:06:07Z'), ('inventory', 0, 0, 0, null)`;
      const text = await scrape();
      const v = (name: string, stream: string) =>
        sampleValue(text, name, { stream });
      assertEquals(
        v("ecommerce_lake_exported_rows_total", "clickstream"),
        1200,
      );
      assertEquals(
        v("ecommerce_lake_exported_bytes_total", "clickstream"),
        45678,
      );
      assertEquals(v("ecommerce_lake_exported_files_total", "clickstream"), 3);
      assertEquals(
        v("ecommerce_lake_last_success_timestamp_seconds", "clickstream"),
        Date.parse("2026-03-04T05:06:07Z") / 1000,
      );
      assertEquals(v("ecommerce_lake_exported_rows_total", "inventory"), 0);
      assertEquals(
        v("ecommerce_lake_last_success_timestamp_seconds", "inventory"),
        undefined,
      );

      metrics.observeJob({
        job: "lake",
        ok: true,
        seconds: 1.5,
        finishedAt: Date.now(),
        result: {},
      });
      const later = await scrape();
      assertEquals(
        sampleValue(later, "ecommerce_lake_export_duration_seconds_sum"),
        1.5,
      );
    } finally {
      metrics.stop();
    }
  },
);

dbTest(
  "metrics - the real quality and lake export jobs show in the metrics as they ran",
  async (db) => {
    const { bus, metrics, scrape, topicPrefix } = await setup(db);
    const lakeDir = await Deno.makeTempDir({ prefix: "metrics-lake-" });
    const config = loadConfig({ TOPIC_PREFIX: topicPrefix, LAKE_DIR: lakeDir });
    const rows = JOBS.filter((j) => ["quality", "lake_export"].includes(j.name))
      .map((j) => ({ ...j, startAfterMs: undefined }));
    assertEquals(rows.length, 2, "JOBS has a quality and a lake_export row");
    const jobs = startJobs(
      { config, sql: db.sql, onRun: metrics.observeJob },
      rows,
    );
    try {
      await commit(db, bus, "clickstream", records("clickstream", 25));
      const quality = await jobs.runNow("quality");
      const lake = await jobs.runNow("lake_export");
      assert(Number(lake.rows) >= 25, `the export wrote ${lake.rows} rows`);

      const text = await scrape();
      const checks = parseChecks(text);
      const total = ["passed", "failed", "warned", "errored"]
        .reduce((n, k) => n + Number(quality[k]), 0);
      assertEquals(checks.length, total);
      assertEquals(
        checks.filter((v) => v === 1).length,
        Number(quality.passed),
      );
      assert(
        sampleValue(text, "ecommerce_quality_last_run_timestamp_seconds")! > 0,
      );

      assertEquals(
        sampleValue(text, "ecommerce_lake_exported_rows_total"),
        Number(lake.rows),
      );
      assertEquals(
        sampleValue(text, "ecommerce_lake_exported_bytes_total"),
        Number(lake.bytes),
      );
      assertEquals(
        sampleValue(text, "ecommerce_lake_exported_files_total"),
        Number(lake.files),
      );
      assert(
        sampleValue(text, "ecommerce_lake_last_success_timestamp_seconds", {
          stream: "clickstream_events",
        })! > 0,
      );
      assertEquals(
        sampleValue(text, "ecommerce_lake_export_duration_seconds_count", {
          outcome: "success",
        }),
        1,
      );
    } finally {
      await jobs.stop();
      metrics.stop();
      await Deno.remove(lakeDir, { recursive: true }).catch(() => {});
    }
  },
);

/** Values of every ecommerce_quality_check_passed series. */
function parseChecks(text: string): number[] {
  return [...text.matchAll(/^ecommerce_quality_check_passed\{[^}]*\} (\S+)$/gm)]
    .map((m) => Number(m[1]));
}
