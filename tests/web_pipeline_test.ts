/**
 * The data engineer's page against a real database: offsets, log ends and
 * lag per partition; rejections grouped by reason with payloads shown
 * safely; quality runs with each check's history; job runs as the jobs role
 * stores them; the lake's watermark. And the writers behind it: the log's
 * end offsets from a real embedded log, and every scheduled job known.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { ingest, seedShop } from "./harness/web_seed.ts";
import { webApp } from "./harness/web_app.ts";
import { loadConfig } from "../lib/config.ts";
import { openLog } from "../lib/stream/mod.ts";
import { storeLogEnds } from "../lib/pipeline/log_ends.ts";
import { SCHEDULED_JOBS, storeJobRun } from "../lib/pipeline/job_runs.ts";
import { JOBS } from "../workers/jobs.ts";
import type { PipelineStatus } from "../lib/pipeline/types.ts";
import { startRuntime } from "../workers/runtime.ts";
import { until } from "../dev/wait.ts";

const status = async (app: ReturnType<typeof webApp>["app"]) =>
  (await (await app.request("/api/pipeline")).json()) as PipelineStatus;

Deno.test("pipeline - the page knows every scheduled job, so one that never ran still shows", () => {
  assertEquals(SCHEDULED_JOBS.map((j) => j.name), JOBS.map((j) => j.name));
});

dbTest(
  "pipeline - committed offset, log end and lag per partition, from the database alone",
  async ({ sql }) => {
    await sql`insert into consumer_offsets (consumer_group, topic, "partition", next_offset)
      values ('p_ingest.clickstream', 'p_raw.clickstream', 0, 40), ('p_ingest.inventory', 'p_raw.inventory_updates', 2, 7)`;
    await sql`insert into log_end_offsets (topic, "partition", end_offset)
      values ('p_raw.clickstream', 0, 100), ('p_raw.clickstream', 1, 5), ('p_raw.inventory_updates', 2, 7)`;
    const { app } = webApp(sql, { TOPIC_PREFIX: "p_" });
    const s = await status(app);
    assertEquals(s.partitions.length, 6 + 3 + 3, "every declared partition");
    const at = (topic: string, p: number) =>
      s.partitions.find((x) => x.topic === topic && x.partition === p)!;
    const c0 = at("raw.clickstream", 0);
    assertEquals([c0.committed, c0.logEnd, c0.lag], [40, 100, 60]);
    const c1 = at("raw.clickstream", 1);
    assertEquals(
      [c1.committed, c1.logEnd, c1.lag],
      [null, 5, 5],
      "nothing read yet",
    );
    assertEquals(at("raw.clickstream", 2).lag, null, "no log end seen");
    assertEquals(at("raw.inventory_updates", 2).lag, 0);
    const click = s.streams.find((x) => x.stream === "clickstream")!;
    assertEquals(click.lag, null, "unknown while a partition's end is unknown");
    const html = await (await app.request("/pipeline")).text();
    ok(html.includes('data-island="PipelineBoard"'), "the page is live");
    ok(html.includes('data-partition="raw.clickstream#0"'));
  },
);

dbTest(
  "pipeline - a process holding the log stores its end offsets",
  async ({ sql }) => {
    const dir = await Deno.makeTempDir({ prefix: "log_ends_" });
    const config = loadConfig({ DATA_DIR: dir, TOPIC_PREFIX: "e_" });
    const log = await openLog(config);
    try {
      await log.send("e_raw.clickstream", [
        { key: "P001", value: new TextEncoder().encode("{}") },
        { key: "P001", value: new TextEncoder().encode("{}") },
      ]);
      await storeLogEnds(sql, log, "e_");
      const ends = await log.endOffsets("e_raw.clickstream");
      const rows = await sql<{ partition: number; end_offset: string }[]>`
        select "partition", end_offset::text from log_end_offsets where topic = 'e_raw.clickstream'`;
      assertEquals(rows.length, 6);
      for (const r of rows) {
        assertEquals(
          Number(r.end_offset),
          ends.get(r.partition),
          `#${r.partition}`,
        );
      }
      ok(rows.some((r) => r.end_offset === "2"), "the two events are counted");
    } finally {
      await log.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

dbTest(
  "pipeline - rejections are grouped by reason and their payloads shown cut and with hidden characters visible",
  async ({ sql }) => {
    await seedShop(sql, { clicks: 20, moves: 5, prices: 5 });
    const evil = `{"event_type":"<script>alert(1)</script>","x":"a\u202Eb${
      "z".repeat(600)
    }"}`;
    const bad = ['{"event_id": 1}', '{"event_id": 2}', evil, "not json"];
    await ingest(sql, "clickstream", bad as never);
    const { app } = webApp(sql);
    const s = await status(app);
    const total = s.rejections.groups.reduce((n, g) => n + g.count, 0);
    assertEquals(total, 4);
    ok(
      s.rejections.groups.some((g) =>
        g.count === 2 && g.reason === 'field "event_type" is missing'
      ),
      "the two events without a type are one reason",
    );
    assertEquals(
      s.streams.find((x) => x.stream === "clickstream")!.deadLettered,
      4,
    );
    const shown = s.rejections.latest.find((r) => r.payload.includes("alert"))!;
    ok(shown.truncated, "a long payload is cut");
    ok(
      shown.payload.includes("\\u{202e}") && !shown.payload.includes("\u202E"),
    );
    const html = await (await app.request("/pipeline")).text();
    ok(
      html.includes("&lt;script>alert(1)&lt;/script>") ||
        html.includes("&lt;script&gt;"),
    );
    ok(!html.includes("<script>alert(1)"), "markup in a payload stays text");
  },
);

dbTest(
  "pipeline - job runs show duration and outcome, quality checks their history, the lake its watermark",
  async ({ sql }) => {
    const now = Date.now();
    await storeJobRun(sql, {
      job: "pricing",
      ok: true,
      seconds: 0.25,
      result: { products: 30, raise: 2 },
      finishedAt: now - 60_000,
    });
    await storeJobRun(sql, {
      job: "pricing",
      ok: false,
      seconds: 1.5,
      error: "Cannot price: the database went away",
      finishedAt: now,
    });
    await sql`insert into quality_runs (run_id, finished_at, total, passed, failed, ok)
      values (1, now(), 1, 1, 0, true), (2, now(), 1, 0, 1, false)`;
    await sql`insert into quality_results (run_id, check_name, check_group, severity, status, expectation)
      values (1, 'freshness.clickstream', 'freshness', 'error', 'pass', '<= 120'),
             (2, 'freshness.clickstream', 'freshness', 'error', 'fail', '<= 120')`;
    await seedShop(sql, { clicks: 30, moves: 5, prices: 5 });
    const { app } = webApp(sql);
    const s = await status(app);
    const pricing = s.jobs.status.find((j) => j.job === "pricing")!;
    assertEquals([pricing.last!.ok, pricing.last!.seconds], [false, 1.5]);
    ok(pricing.lastOkAt, "the earlier success is remembered");
    assertEquals(
      s.jobs.status.find((j) => j.job === "lake_export")!.last,
      null,
    );
    assertEquals(s.jobs.runs.length, 2);
    const check = s.quality.checks[0]!;
    assertEquals(check.status, "fail");
    assertEquals(check.history.map((h) => h.status), ["pass", "fail"]);
    const click = s.lake.find((l) => l.stream === "clickstream_events")!;
    assertEquals(
      [click.rowsExported, click.waiting],
      [0, 30],
      "never exported: all waiting",
    );
    const html = await (await app.request("/pipeline")).text();
    ok(html.includes("Cannot price: the database went away"));
    ok(html.includes("products 30") && html.includes("raise 2"), "the result");
    match(html, /aria-label="Oldest to newest: pass, fail"/);
  },
);

dbTest(
  "pipeline - the runtime stores every job run and, holding the log, its end offsets",
  async ({ sql, url }) => {
    const dir = await Deno.makeTempDir({ prefix: "pipeline-runtime-" });
    const prefix = `r${crypto.randomUUID().slice(0, 6)}_`;
    const runtime = await startRuntime(loadConfig({
      DATABASE_URL: url,
      DATA_DIR: dir,
      TOPIC_PREFIX: prefix,
      ROLE: "processor,jobs",
      METRICS_PORT: "0",
      STATS_INTERVAL_MS: "0",
      DB_POOL_MAX: "4",
    }));
    try {
      await runtime.jobs!.runNow("pricing");
      await until(
        "the run is stored",
        async () =>
          (await sql`select 1 from job_runs where job = 'pricing' and ok`)
            .length === 1,
      );
      await until(
        "the log's ends are stored",
        async () =>
          (await sql`select 1 from log_end_offsets where topic = ${
            prefix + "raw.clickstream"
          }`)
            .length === 6,
      );
    } finally {
      await runtime.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
