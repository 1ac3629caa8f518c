/**
 * The lake export to a real S3 API server (s3rver, started by the harness:
 * S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY). DuckDB's httpfs extension
 * cannot be downloaded here, so each check copies the bucket's objects to a
 * temporary folder with the S3 client and reads them with DuckDB locally.
 */
import {
  deepStrictEqual as assertEquals,
  match,
  ok as assert,
  rejects,
} from "node:assert/strict";
import { dbTest, IN_CI } from "./harness/db.ts";
import type { Sql } from "../lib/db/mod.ts";
import { exportLake } from "../lib/lake/mod.ts";
import { S3Target } from "../lib/lake/s3_target.ts";
import { FaultyTarget } from "../lib/lake/faulty_target.ts";
import { insertSampleRows } from "../lib/lake/sample.ts";
import { compareLake } from "../lib/lake/verify.ts";
import { downloadLake } from "../lib/lake/duckdb.ts";

const endpoint = Deno.env.get("S3_ENDPOINT") ?? "";
const problem = Deno.env.get("S3_ENDPOINT_UNAVAILABLE") ??
  "S3_ENDPOINT is not set (run the suite with `deno task test`)";
if (!endpoint) {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `\n!!! No S3 server: ${problem}; the S3 lake tests are ${
        IN_CI ? "FAILED (CI=true)" : "SKIPPED"
      }.\n`,
    ),
  );
}

/** An S3 lake test: own bucket (created by the export), skipped without S3. */
function s3Test(
  name: string,
  fn: (sql: Sql, s3: S3Target, url: string) => Promise<void>,
) {
  if (!endpoint && !IN_CI) {
    Deno.test({ name, ignore: true, fn() {} });
    return;
  }
  dbTest(name, async ({ sql, url }) => {
    if (!endpoint) throw new Error(`No S3 server and CI=true: ${problem}`);
    const s3 = newTarget();
    await s3.ensureBucket();
    await fn(sql, s3, url);
  });
}

function newTarget(
  bucket = `lake-test-${crypto.randomUUID().slice(0, 8)}`,
): S3Target {
  return new S3Target({
    endpoint,
    bucket,
    accessKey: Deno.env.get("S3_ACCESS_KEY") ?? "",
    secretKey: Deno.env.get("S3_SECRET_KEY") ?? "",
    region: Deno.env.get("S3_REGION") ?? "us-east-1",
    prefix: "lake",
  });
}

/** Copies the bucket to a temporary folder and compares it with the database. */
async function assertBucketEqualsDb(sql: Sql, s3: S3Target): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "lake-s3-copy-" });
  try {
    const n = await downloadLake(s3, dir);
    for (const c of await compareLake(sql, dir)) {
      assertEquals(
        c.lake,
        c.db,
        `stream ${c.stream}: bucket differs from the database`,
      );
      assert(c.db.length > 0, `stream ${c.stream} has rows to compare`);
    }
    return n;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

s3Test(
  "lake export to S3 - exports, adds rows, exports again and reads back equal to the database",
  async (sql, s3) => {
    await insertSampleRows(sql, { rows: 3000, days: 3, start: "2026-11-01" });
    const first = await exportLake(sql, s3, { waitMs: 60_000 });
    assertEquals(first.rows, 12_000);
    const firstKeys = await s3.list("");
    assertEquals(firstKeys.length, 12);
    assert(
      firstKeys.every((k) =>
        /^[a-z_]+\/date=\d{4}-\d\d-\d\d\/part-\d+-\d+\.parquet$/.test(k)
      ),
    );
    await insertSampleRows(sql, { rows: 1000, days: 4, start: "2026-11-02" });
    const second = await exportLake(sql, s3, { waitMs: 60_000 });
    assertEquals(second.rows, 4000);
    const keys = await s3.list("");
    assertEquals(keys.length, 12 + 16);
    assert(
      firstKeys.every((k) => keys.includes(k)),
      "earlier part files are kept",
    );
    assertEquals(await assertBucketEqualsDb(sql, s3), 28);
  },
);

s3Test(
  "lake export to S3 - --reset gives the same lake with no duplicates",
  async (sql, s3) => {
    await insertSampleRows(sql, { rows: 2000, days: 2, start: "2026-11-01" });
    await exportLake(sql, s3, { waitMs: 60_000 });
    await insertSampleRows(sql, { rows: 700, days: 3, start: "2026-11-01" });
    await exportLake(sql, s3, { waitMs: 60_000 });
    assertEquals((await s3.list("")).length, 8 + 12);
    const reset = await exportLake(sql, s3, { reset: true, waitMs: 60_000 });
    assertEquals(reset.rows, 4 * 2700);
    assertEquals(
      (await s3.list("")).length,
      12,
      "one part file per stream and date after a reset",
    );
    await assertBucketEqualsDb(sql, s3);
  },
);

s3Test(
  "lake export to S3 - an upload failure halfway loses nothing and the next run completes exactly",
  async (sql, s3) => {
    await insertSampleRows(sql, { rows: 5000, days: 2, start: "2026-11-01" });
    const faulty = new FaultyTarget(s3, 7);
    await rejects(
      () => exportLake(sql, faulty, { waitMs: 60_000, fileRows: 1000 }),
      /injected failure/,
    );
    assertEquals(faulty.puts, 7);
    const [files] = await sql<
      { n: number }[]
    >`select count(*)::int as n from lake_export_files`;
    assertEquals(files!.n, 6, "only the committed stream's files are recorded");
    await insertSampleRows(sql, { rows: 100, days: 2, start: "2026-11-01" });
    const retry = await exportLake(sql, s3, { waitMs: 60_000, fileRows: 1000 });
    assertEquals(
      retry.streams.find((s) => s.stream === "inventory_events")!.reused,
      1,
    );
    await assertBucketEqualsDb(sql, s3);
  },
);

s3Test(
  "lake:export task - writes to the bucket from S3_* variables, creating it, and prints files, rows and bytes",
  async (sql, _s3, url) => {
    await insertSampleRows(sql, { rows: 1500, days: 2, start: "2026-11-01" });
    const target = newTarget();
    const run = async (...args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("../cli/lake.ts", import.meta.url).pathname,
          ...args,
        ],
        env: {
          DATABASE_URL: url,
          S3_ENDPOINT: endpoint,
          S3_BUCKET: target.bucket,
          S3_ACCESS_KEY: Deno.env.get("S3_ACCESS_KEY") ?? "",
          S3_SECRET_KEY: Deno.env.get("S3_SECRET_KEY") ?? "",
          LAKE_PREFIX: "lake",
          LOG_LEVEL: "warn",
        },
        stdin: "null",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      return text;
    };
    const first = await run();
    match(first, new RegExp(`s3://${target.bucket}/lake`));
    match(first, /clickstream_events\s+2 files\s+1,500 rows\s+\d+(\.\d)? KB/);
    match(first, /Done: 8 files, 6,000 rows, [\d.]+ KB/);
    match(
      first,
      /clickstream_events\/date=2026-11-01\/part-\d+-\d+\.parquet {2}750 rows/,
    );
    const again = await run();
    match(again, /Done: 0 files, 0 rows/);
    const reset = await run("--reset");
    match(reset, /reset: full history/);
    match(reset, /Done: 8 files, 6,000 rows/);
    assertEquals(await assertBucketEqualsDb(sql, target), 8);
  },
);

s3Test(
  "lake export to S3 - a server that stops answering fails the export, keeps the watermark, and the next run completes",
  async (sql, s3) => {
    await insertSampleRows(sql, { rows: 1200, days: 2, start: "2026-11-01" });
    // A real network failure: the same bucket behind a port nobody listens on.
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const deadPort = (probe.addr as Deno.NetAddr).port;
    probe.close();
    const dead = new S3Target({
      endpoint: `http://127.0.0.1:${deadPort}`,
      bucket: s3.bucket,
      accessKey: "x",
      secretKey: "y",
      region: "us-east-1",
      prefix: "lake",
    });
    await rejects(() => exportLake(sql, dead, { waitMs: 60_000 }));
    const [st] = await sql<{ done: string; pending: string | null }[]>`
    select done_xid::text as done, pending_xid::text as pending
    from lake_export_state where stream = 'clickstream_events'`;
    assertEquals(st!.done, "0", "the watermark did not move");
    assert(st!.pending !== null);
    assertEquals(await s3.list(""), []);
    const retry = await exportLake(sql, s3, { waitMs: 60_000 });
    assertEquals(retry.rows, 4800);
    await assertBucketEqualsDb(sql, s3);
  },
);
