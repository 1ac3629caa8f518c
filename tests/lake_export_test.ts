/**
 * The lake export to a local folder, against a real PostgreSQL, read back
 * with DuckDB: incremental runs, --reset, a failure halfway and rows that
 * commit late with an older timestamp.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects as assertRejects,
} from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import type { Sql } from "../lib/db/mod.ts";
import { exportLake, LocalTarget } from "../lib/lake/mod.ts";
import { FaultyTarget } from "../lib/lake/faulty_target.ts";
import { insertSampleRows } from "../lib/lake/sample.ts";
import { compareLake } from "../lib/lake/verify.ts";
import { summarizeLake } from "../lib/lake/duckdb.ts";
import { runCli, withRunningPlatform } from "./harness/cli.ts";

async function assertLakeEqualsDb(sql: Sql, dir: string): Promise<void> {
  for (const c of await compareLake(sql, dir)) {
    assertEquals(
      c.lake,
      c.db,
      `stream ${c.stream}: lake differs from the database`,
    );
    assert(c.db.length > 0, `stream ${c.stream} has rows to compare`);
  }
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "lake-test-" });
}

dbTest(
  "lake export - writes every stream by date, then only new rows as new part files",
  async ({ sql }) => {
    const dir = await tempDir();
    const target = new LocalTarget(dir);
    await insertSampleRows(sql, { rows: 3000, days: 3, start: "2026-11-01" });
    const first = await exportLake(sql, target, { waitMs: 60_000 });
    assertEquals(first.rows, 12_000);
    const firstKeys = await target.list("");
    assertEquals(firstKeys.length, 12, "one part file per stream and date");
    assert(
      firstKeys.every((k) =>
        /^[a-z_]+\/date=2026-11-0[1-3]\/part-\d{12}-\d{12}\.parquet$/.test(k)
      ),
    );
    const before = new Map(
      await Promise.all(
        firstKeys.map(async (k) => [k, await target.get(k)] as const),
      ),
    );
    await assertLakeEqualsDb(sql, dir);

    await insertSampleRows(sql, { rows: 1000, days: 4, start: "2026-11-01" });
    const second = await exportLake(sql, target, { waitMs: 60_000 });
    assertEquals(second.rows, 4000);
    const keys = await target.list("");
    assertEquals(
      keys.length,
      12 + 16,
      "the second run adds part files, also for days already there",
    );
    for (const [k, bytes] of before) {
      assertEquals(await target.get(k), bytes, `${k} was not rewritten`);
    }
    await assertLakeEqualsDb(sql, dir);
    const third = await exportLake(sql, target, { waitMs: 60_000 });
    assertEquals(third.rows, 0, "nothing new, nothing written");
    const [state] = await sql<
      { n: number }[]
    >`select sum(rows_exported)::int as n from lake_export_state`;
    assertEquals(state!.n, 16_000);
    await Deno.remove(dir, { recursive: true });
  },
  // The hourly job exports from embedded PGlite too.
  ["postgres", "pglite"],
);

dbTest(
  "lake export - rows sharing one timestamp across transactions are neither skipped nor repeated",
  async ({ sql }) => {
    const dir = await tempDir();
    const target = new LocalTarget(dir);
    const insert = () =>
      sql`insert into competitor_price_history (event_id, product_id, competitor_name, competitor_price,
        our_price, price_difference, price_difference_pct, "timestamp")
      select gen_random_uuid(), 'P0001', 'Amazon', 10.5, 11, 0.5, 0.0476, '2026-11-05T12:00:00Z'
      from generate_series(1, 500)`;
    await insert();
    await exportLake(sql, target, { waitMs: 60_000 });
    await insert();
    await exportLake(sql, target, { waitMs: 60_000 });
    const lake = await summarizeLake(
      dir,
      "competitor_price_history",
      "competitor_price",
    );
    assertEquals(lake, [{
      date: "2026-11-05",
      rows: 1000,
      distinct: 1000,
      sum: "10500.00",
    }]);
    await Deno.remove(dir, { recursive: true });
  },
);

dbTest(
  "lake export - --reset replaces the lake with the full history and no duplicates",
  async ({ sql }) => {
    const dir = await tempDir();
    const target = new LocalTarget(dir);
    await insertSampleRows(sql, { rows: 2000, days: 2, start: "2026-10-30" });
    await exportLake(sql, target, { waitMs: 60_000 });
    await insertSampleRows(sql, { rows: 500, days: 3, start: "2026-10-30" });
    await exportLake(sql, target, { waitMs: 60_000 });
    const reset = await exportLake(sql, target, {
      reset: true,
      waitMs: 60_000,
    });
    assertEquals(reset.rows, 10_000);
    assertEquals((await target.list("")).length, 12, "old part files are gone");
    await assertLakeEqualsDb(sql, dir);
    await Deno.remove(dir, { recursive: true });
  },
);

dbTest(
  "lake export - a reset that fails halfway never leaves duplicates and the next run completes it",
  async ({ sql }) => {
    const dir = await tempDir();
    const target = new LocalTarget(dir);
    await insertSampleRows(sql, { rows: 2000, days: 2, start: "2026-10-30" });
    await exportLake(sql, target, { waitMs: 60_000, fileRows: 500 });
    await assertRejects(
      () =>
        exportLake(sql, new FaultyTarget(target, 3), {
          reset: true,
          waitMs: 60_000,
          fileRows: 500,
        }),
      /injected failure/,
    );
    for (const c of await compareLake(sql, dir)) {
      assert(
        c.lake.every((d) => d.rows === d.distinct),
        `${c.stream} has no duplicate rows`,
      );
    }
    await exportLake(sql, target, { waitMs: 60_000, fileRows: 500 });
    await assertLakeEqualsDb(sql, dir);
    await Deno.remove(dir, { recursive: true });
  },
);

dbTest(
  "lake export - an upload failure halfway keeps the watermark and the next run completes exactly",
  async ({ sql }) => {
    const dir = await tempDir();
    const target = new LocalTarget(dir);
    await insertSampleRows(sql, { rows: 4000, days: 2, start: "2026-11-10" });
    const failing = new FaultyTarget(target, 5);
    await assertRejects(
      () => exportLake(sql, failing, { waitMs: 60_000, fileRows: 1000 }),
      /injected failure/,
    );
    assertEquals(failing.puts, 5);
    const states = await sql<
      { stream: string; done: string; pending: string | null }[]
    >`
    select stream, done_xid::text as done, pending_xid::text as pending from lake_export_state order by stream`;
    const click = states.find((s) => s.stream === "clickstream_events")!;
    const inv = states.find((s) => s.stream === "inventory_events")!;
    assert(
      click.done !== "0" && click.pending === null,
      "the first stream (4 files) committed",
    );
    assertEquals(inv.done, "0", "the failed stream's watermark did not move");
    assert(inv.pending !== null, "the failed window is remembered");
    // More rows arrive before the retry; they must land in a later window.
    await insertSampleRows(sql, { rows: 300, days: 2, start: "2026-11-10" });
    const retry = await exportLake(sql, target, {
      waitMs: 60_000,
      fileRows: 1000,
    });
    assertEquals(
      retry.streams.find((s) => s.stream === "inventory_events")!.reused,
      1,
    );
    await assertLakeEqualsDb(sql, dir);
    const [files] = await sql<{ n: number; rows: number }[]>`
    select count(*)::int as n, sum(rows)::int as rows from lake_export_files`;
    assertEquals(files!.rows, 4 * 4300);
    assertEquals(files!.n, (await target.list("")).length);
    await Deno.remove(dir, { recursive: true });
  },
);

dbTest(
  "lake export - a row that commits late with an older timestamp and smaller lake_seq is exported once",
  async ({ sql }) => {
    const dir = await tempDir();
    const target = new LocalTarget(dir);
    const row = (c: Sql, id: string, ts: string) =>
      c`insert into inventory_events (event_id, product_id, warehouse_id, event_type, quantity_change, "timestamp")
      values (${id}, 'P0001', 'WH-1', 'sale', -1, ${ts}) returning lake_seq::int8 as seq`;
    const early = crypto.randomUUID(), late = crypto.randomUUID();
    const a = await sql.reserve();
    const b = await sql.reserve();
    try {
      await a`begin`;
      const [seqA] = await row(a, late, "2026-11-20T08:00:00Z"); // older timestamp, smaller lake_seq
      await b`begin`;
      const [seqB] = await row(b, early, "2026-11-20T09:00:00Z");
      await b`commit`;
      assert(BigInt(seqA!.seq) < BigInt(seqB!.seq));
      // A timestamp or lake_seq watermark would export B now and then skip A.
      const r1 = await exportLake(sql, target, { waitMs: 0 });
      const r1Inv = r1.streams.find((s) => s.stream === "inventory_events")!;
      assertEquals(
        r1Inv.rows,
        0,
        "B waits: A, older and still open, may still commit",
      );
      // An export that starts while A is open waits for it (A commits meanwhile).
      const exporting = exportLake(sql, target, { waitMs: 60_000 });
      await new Promise((r) => setTimeout(r, 300));
      await a`commit`;
      const r2 = await exporting;
      assertEquals(
        r2.streams.find((s) => s.stream === "inventory_events")!.rows,
        2,
      );
    } finally {
      await a`rollback`.catch(() => {});
      a.release();
      b.release();
    }
    const r3 = await exportLake(sql, target, { waitMs: 60_000 });
    assertEquals(r3.rows, 0);
    const lake = await summarizeLake(
      dir,
      "inventory_events",
      "quantity_change",
    );
    assertEquals(lake, [{
      date: "2026-11-20",
      rows: 2,
      distinct: 2,
      sum: "-2",
    }]);
    await Deno.remove(dir, { recursive: true });
  },
);

dbTest(
  "lake export - two exports at once: the second is refused, not run twice",
  async ({ sql }) => {
    const dir = await tempDir();
    const target = new LocalTarget(dir);
    await insertSampleRows(sql, { rows: 2000, days: 1, start: "2026-11-01" });
    const results = await Promise.allSettled([
      exportLake(sql, target, { waitMs: 60_000 }),
      exportLake(sql, target, { waitMs: 60_000 }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    assertEquals(ok.length, 1);
    assertEquals(refused.length, 1);
    assert(
      /another export is running/.test(
        String((refused[0] as PromiseRejectedResult).reason),
      ),
    );
    await assertLakeEqualsDb(sql, dir);
    await Deno.remove(dir, { recursive: true });
  },
);

Deno.test({
  name:
    "lake:export task - without DATABASE_URL it exports through the embedded PostgreSQL a running platform serves",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // `deno task start` holds the embedded data folder; the task must use its
    // server, as every other task does, not try to open the folder again.
    await withRunningPlatform(async ({ sql, env }) => {
      const dir = await tempDir();
      await insertSampleRows(sql, { rows: 500, days: 2, start: "2026-11-01" });
      const r = await runCli("lake.ts", [], { ...env, LAKE_DIR: dir });
      assertEquals(r.code, 0, r.stderr);
      assert(
        r.stdout.includes("Done: 8 files, 2,000 rows"),
        `expected 8 files and 2,000 rows in:\n${r.stdout}`,
      );
      await assertLakeEqualsDb(sql, dir);
      await Deno.remove(dir, { recursive: true });
    });
  },
});
