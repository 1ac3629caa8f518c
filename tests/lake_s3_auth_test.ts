/**
 * The lake's S3 credentials are used and checked (issue 16, item 8), against
 * S3Proxy with `s3proxy.authorization=aws-v2-or-v4` (dev/s3proxy.ts, started
 * by the harness as S3PROXY_ENDPOINT; s3rver accepts any key): the right
 * keys export, wrong keys fail in one sentence and move no watermark.
 */
import {
  deepStrictEqual as assertEquals,
  match,
  rejects,
} from "node:assert/strict";
import { dbTest, IN_CI } from "./harness/db.ts";
import { exportLake } from "../lib/lake/mod.ts";
import { S3Target } from "../lib/lake/s3_target.ts";
import { insertSampleRows } from "../lib/lake/sample.ts";
import { compareLake } from "../lib/lake/verify.ts";
import { downloadLake } from "../lib/lake/duckdb.ts";
import type { Sql } from "../lib/db/mod.ts";

const endpoint = Deno.env.get("S3PROXY_ENDPOINT") ?? "";
const problem = Deno.env.get("S3PROXY_ENDPOINT_UNAVAILABLE") ??
  "S3PROXY_ENDPOINT is not set (run the suite with `deno task test`)";
if (!endpoint) {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `\n!!! No S3Proxy: ${problem}; the S3 credential tests are ${
        IN_CI ? "FAILED (CI=true)" : "SKIPPED"
      }.\n`,
    ),
  );
}

const KEY = Deno.env.get("S3PROXY_ACCESS_KEY") ?? "";
const SECRET = Deno.env.get("S3PROXY_SECRET_KEY") ?? "";

function target(bucket: string, accessKey: string, secretKey: string) {
  return new S3Target({
    endpoint,
    bucket,
    accessKey,
    secretKey,
    region: "us-east-1",
    prefix: "lake",
  });
}

function authTest(
  name: string,
  fn: (sql: Sql, bucket: string) => Promise<void>,
) {
  if (!endpoint && !IN_CI) {
    Deno.test({ name, ignore: true, fn() {} });
    return;
  }
  dbTest(name, async ({ sql }) => {
    if (!endpoint) throw new Error(`No S3Proxy and CI=true: ${problem}`);
    await fn(sql, `lake-auth-${crypto.randomUUID().slice(0, 8)}`);
  });
}

async function watermark(sql: Sql): Promise<string[]> {
  const rows = await sql<{ done: string }[]>`
    select done_xid::text as done from lake_export_state order by stream`;
  return rows.map((r) => r.done);
}

authTest(
  "lake S3 credentials - the right keys export and read back equal to the database",
  async (sql, bucket) => {
    await insertSampleRows(sql, { rows: 800, days: 2, start: "2026-11-01" });
    const s3 = target(bucket, KEY, SECRET);
    await s3.ensureBucket();
    const r = await exportLake(sql, s3, { waitMs: 60_000 });
    assertEquals(r.rows, 3200);
    const dir = await Deno.makeTempDir({ prefix: "lake-auth-copy-" });
    try {
      assertEquals(await downloadLake(s3, dir), 8);
      for (const c of await compareLake(sql, dir)) {
        assertEquals(c.lake, c.db, `stream ${c.stream}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

authTest(
  "lake S3 credentials - a wrong secret fails in one sentence naming the settings and moves no watermark",
  async (sql, bucket) => {
    await insertSampleRows(sql, { rows: 300, days: 1, start: "2026-11-01" });
    const good = target(bucket, KEY, SECRET);
    await good.ensureBucket();
    const before = await watermark(sql);
    const wrong = target(bucket, KEY, "not-the-secret");
    const sentence =
      /Cannot (open|read|write to) the lake at s3:\/\/lake-auth-[0-9a-f]+\/lake at http:\/\/127\.0\.0\.1:\d+: the S3 server refused the credentials S3_ACCESS_KEY and S3_SECRET_KEY \(\w+\)$/;
    await rejects(() => wrong.ensureBucket(), sentence);
    await rejects(() => exportLake(sql, wrong, { waitMs: 60_000 }), sentence);
    const unknown = target(bucket, "NOSUCHKEY", SECRET);
    await rejects(() => exportLake(sql, unknown, { waitMs: 60_000 }), sentence);
    const after = await watermark(sql);
    assertEquals(
      after.every((x, i) => x === (before[i] ?? "0")),
      true,
      "no watermark moved",
    );
    assertEquals(await good.list(""), [], "nothing was stored");
    match(after.join(","), /^(0,?)*$/);
  },
);
