/**
 * `deno task quality` and `deno task models:*` as a user runs them: real
 * subprocesses against a real database, judged by exit status and output.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import postgres from "postgres";
import { ensureModels } from "../lib/models/build.ts";
import { refreshModels } from "../lib/models/refresh.ts";
import { allChecks } from "../lib/quality/mod.ts";
import { PG_URL } from "../dev/db.ts";
import { dbTest, IN_CI, pgAvailable } from "./harness/db.ts";
import { seedShop } from "./quality_seed.ts";
import { runCli, withRunningPlatform } from "./harness/cli.ts";

const run = (script: string, args: string[], env: Record<string, string>) =>
  runCli(script, args, env);

const quality = (args: string[], env: Record<string, string>) =>
  run("quality.ts", args, env);

dbTest(
  "quality cli - exits 0 when every check passes and 1 when one fails, naming it",
  async ({ sql, url }) => {
    await seedShop(sql);
    await ensureModels(sql);
    await refreshModels(sql);
    const pass = await quality([], { DATABASE_URL: url });
    assertEquals(pass.code, 0, pass.stderr + pass.stdout);
    match(pass.stdout, /^inventory$/m);
    match(
      pass.stdout,
      /PASS +inventory\.row_per_product_warehouse +90 \(= expected \(90\)\)/,
    );
    match(
      pass.stdout,
      /Summary: \d+ checks: \d+ passed, 0 failed, 0 warnings, 0 errors - OK/,
    );

    await sql`insert into clickstream_events (event_id, user_id, session_id, event_type, "timestamp", device_type)
              values ('00000000-0000-4000-8000-00000000beef', 'u', gen_random_uuid(), 'teleport', now(), 'mobile')`;
    const fail = await quality(["--store"], { DATABASE_URL: url });
    assertEquals(fail.code, 1, fail.stderr + fail.stdout);
    match(
      fail.stdout,
      /FAIL +clickstream\.known_event_types +1, expected = 0: 00000000-0000-4000-8000-00000000beef: teleport/,
    );
    match(fail.stdout, /1 failed, 0 warnings, 0 errors - FAILED/);
    const runs = await sql<{ source: string; failed: number; ok: boolean }[]>`
      select source, failed, ok from quality_runs`;
    assertEquals([...runs], [{ source: "cli", failed: 1, ok: false }]);
  },
);

dbTest(
  "quality cli - --json is machine-readable and --verbose shows each check's SQL and raw value",
  async ({ sql, url }) => {
    await seedShop(sql, { clickstream: 300, inventory: 60, competitor: 60 });
    await ensureModels(sql);
    const json = await quality(["--json"], { DATABASE_URL: url });
    assertEquals(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout);
    assertEquals(parsed.summary.ok, true);
    assertEquals(parsed.checks.length, (await allChecks()).length);
    const row = parsed.checks.find((c: { name: string }) =>
      c.name === "inventory.row_per_product_warehouse"
    );
    assertEquals([row.status, row.value, row.expected], ["pass", 90, 90]);

    const verbose = await quality(["--verbose"], { DATABASE_URL: url });
    assertEquals(verbose.code, 0, verbose.stderr);
    match(
      verbose.stdout,
      /sql: select \(select count\(\*\) from inventory_state\) as value/,
    );
    match(verbose.stdout, /raw: \{"value":90,"expected":90,"detail":null\}/);
    match(
      verbose.stdout,
      /why: There is one inventory row per product x warehouse/,
    );
    ok(!verbose.stderr.includes("Note:"));

    await sql`update model_builds set hash = 'built-by-another-version'`;
    const stale = await quality([], { DATABASE_URL: url });
    assertEquals(stale.code, 0, stale.stderr);
    match(
      stale.stderr,
      /Note: the models in the database were built from other definitions than sql\/models\//,
    );
  },
);

Deno.test({
  name:
    "quality cli - exits 2 with one sentence when the database is unreachable",
  fn: async () => {
    const r = await quality([], {
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere",
    });
    assertEquals(r.code, 2);
    assertEquals(r.stdout, "");
    assertEquals(
      r.stderr.trim(),
      "Cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:1/nowhere: connection refused (is the server running?)",
    );
  },
});

Deno.test({
  name: "quality cli - exits 2 when the database has no platform tables",
  ignore: !pgAvailable && !IN_CI,
  fn: async () => {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    const name = `q_empty_${crypto.randomUUID().slice(0, 8)}`;
    await admin.unsafe(`create database "${name}"`);
    try {
      const u = new URL(PG_URL);
      u.pathname = `/${name}`;
      const r = await quality([], { DATABASE_URL: u.toString() });
      assertEquals(r.code, 2);
      match(r.stderr, /the platform's tables are missing/);
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  },
});

dbTest(
  "models cli - models:refresh refreshes every mart and models:test runs only the schema tests",
  async ({ sql, url }) => {
    await seedShop(sql, { clickstream: 300, inventory: 60, competitor: 60 });
    const refresh = await run("models.ts", ["refresh"], {
      DATABASE_URL: url,
    });
    assertEquals(refresh.code, 0, refresh.stderr);
    for (
      const m of [
        "mart_daily_funnel",
        "mart_product_performance",
        "mart_pricing_analysis",
        "mart_hourly_demand",
      ]
    ) match(refresh.stdout, new RegExp(`refreshed ${m} +\\d+ rows`));
    const [{ n }] = await sql<
      [{ n: number }]
    >`select count(*)::int as n from model_refreshes`;
    assertEquals(n, 4);

    const test = await run("models.ts", ["test"], {
      DATABASE_URL: url,
    });
    assertEquals(test.code, 0, test.stderr + test.stdout);
    match(
      test.stdout,
      /PASS +models\.mart_pricing_analysis\.price_position\.accepted_values/,
    );
    ok(!test.stdout.includes("inventory.no_negative_stock"));
    ok(!/^inventory$/m.test(test.stdout));
  },
);

Deno.test({
  name:
    "quality cli - without DATABASE_URL it uses the embedded PostgreSQL a running platform serves",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await withRunningPlatform(async ({ sql, env }) => {
      await ensureModels(sql);
      const r = await quality([], env);
      // A platform that has not ingested anything yet: the clickstream is empty.
      assertEquals(r.code, 1, r.stderr);
      match(
        r.stdout,
        /Data quality of embedded PGlite of a running platform \(127\.0\.0\.1:\d+\)/,
      );
      match(
        r.stdout,
        /FAIL +clickstream\.not_empty +0, expected > 0: no clickstream events at all/,
      );
    });
  },
});

Deno.test({
  name:
    "quality cli - without DATABASE_URL and no running platform it opens the embedded data folder itself",
  fn: async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const dir = await Deno.makeTempDir();
    try {
      const r = await quality([], {
        EMBEDDED_PG_PORT: String(port),
        DATA_DIR: dir,
      });
      // A fresh data folder has no tables yet: the tool says so, it does not migrate.
      assertEquals(r.code, 2, r.stdout);
      assertEquals(
        r.stderr.trim(),
        `Cannot run the checks on embedded PGlite (${dir}/pg): the platform's tables are missing (start the platform once, or run the migrations)`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
