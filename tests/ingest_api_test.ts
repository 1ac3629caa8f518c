/**
 * The ingest API end to end, as a retailer's feed uses it: `main.ts` with
 * the processor and web roles in a real subprocess, on the embedded log and
 * on Kafka, posted to over HTTP. Valid events reach the database once even
 * when a body is posted twice; bad lines are answered with their line and
 * reason, and recorded by the consumers like any bad event (rejected_events,
 * the dead-letter topic); wrong tokens, streams a source may not write and
 * oversized bodies are refused.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { kafkaTest } from "./harness/kafka_env.ts";
import { assertMetricsMatch, seededEvents } from "./harness/events.ts";
import { webApp } from "./harness/web_app.ts";
import { startApp, startPlatform } from "../dev/app.ts";
import { until } from "../dev/wait.ts";
import type { Sql } from "../lib/db/mod.ts";
import { MAX_EVENTS, NO_LOG } from "../routes/ingest.ts";
import { createApp } from "../routes/app.ts";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { STREAMS, topicSpecs } from "../lib/stream/topics.ts";

const SHOP = "shop-token-0123456789abcdef";
const PRICES = "prices-token-0123456789abcdef";
const TOKENS =
  `shop clickstream,inventory ${SHOP}; prices competitor ${PRICES}`;
const MAX_BYTES = 200_000;

function post(url: string, path: string, body: string, token = SHOP) {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/x-ndjson",
    },
    body,
  });
}

async function consumed(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: string }[]>`
    select coalesce(sum(next_offset), 0)::text as n from consumer_offsets`;
  return Number(r!.n);
}

async function refusals(url: string): Promise<void> {
  const body = JSON.stringify(seededEvents("competitor", 1, "refusal")[0]);
  const none = await fetch(`${url}/api/ingest/competitor`, {
    method: "POST",
    body,
  });
  assertEquals(none.status, 401);
  assertEquals(
    (await post(url, "/api/ingest/competitor", body, "x".repeat(27))).status,
    401,
  );
  const forbidden = await post(url, "/api/ingest/competitor", body, SHOP);
  assertEquals(forbidden.status, 403);
  assertEquals(await forbidden.json(), {
    error:
      'Source "shop" may not write "competitor": its token allows clickstream, inventory',
    status: 403,
  });
  assertEquals((await post(url, "/api/ingest/orders", body)).status, 404);
  const big = await post(
    url,
    "/api/ingest/clickstream",
    "x".repeat(MAX_BYTES + 1),
  );
  assertEquals(big.status, 413);
  match((await big.json()).error, /over 200,000 bytes/);
  // Without a Content-Length (chunked), the body is cut off once it passes the limit.
  const chunk = new TextEncoder().encode("x".repeat(50_000));
  let sent = 0;
  const chunked = await fetch(`${url}/api/ingest/clickstream`, {
    method: "POST",
    headers: { Authorization: `Bearer ${SHOP}` },
    body: new ReadableStream({
      pull(c) {
        if (sent++ < 5) c.enqueue(chunk);
        else c.close();
      },
    }),
  });
  assertEquals(chunked.status, 413);
  await chunked.body?.cancel();
}

/** Posts clicks (as NDJSON, twice) and moves (as a JSON array, twice) and checks every answer and row. */
async function exercise(url: string, sql: Sql): Promise<void> {
  await refusals(url);
  const clicks = seededEvents("clickstream", 300, `api-${url}`);
  const lines = clicks.map((e) => JSON.stringify(e));
  // Line 4 is not JSON, line 7 names an unknown product, line 9 is blank.
  lines.splice(3, 0, "{not json");
  lines.splice(
    6,
    0,
    JSON.stringify({
      ...clicks[0]!,
      product_id: "P999",
      event_type: "purchase",
      event_id: crypto.randomUUID(),
    }),
  );
  lines.splice(8, 0, "");
  const body = lines.join("\n") + "\n";
  for (let i = 0; i < 2; i++) {
    const res = await post(url, "/api/ingest/clickstream", body);
    assertEquals(res.status, 202);
    const a = await res.json();
    assertEquals([a.accepted, a.rejected], [300, 2]);
    assertEquals(a.errors.map((e: { line: number }) => e.line), [4, 7]);
    match(a.errors[0].reason, /not valid UTF-8 JSON/);
    assertEquals(a.errors[1].code, "unknown_product");
  }
  const moves = seededEvents("inventory", 50, `api-moves-${url}`);
  for (let i = 0; i < 2; i++) {
    const res = await post(url, "/api/ingest/inventory", JSON.stringify(moves));
    assertEquals([res.status, (await res.json()).accepted], [202, 50]);
  }
  const metrics = await (await fetch(`${url}/metrics`)).text();
  match(
    metrics,
    /ecommerce_ingest_api_events_total\{source="shop",stream="clickstream",outcome="accepted"\} 600/,
  );
  // Each body went to the log twice, its two bad lines with it: 704 records
  // in all, each valid event stored once.
  await until(
    "the consumers to read every event sent",
    async () => await consumed(sql) === 704,
    { timeoutMs: 60_000 },
  );
  await assertMetricsMatch(sql, clicks);
  const [i] = await sql<
    { n: number }[]
  >`select count(*)::int as n from inventory_events`;
  assertEquals(i!.n, 50);
  // The bad lines, once per post, with the reason the answer gave.
  const rejected = await sql<{ code: string | null; reason: string }[]>`
    select code, reason from rejected_events order by id`;
  assertEquals(rejected.length, 4, JSON.stringify(rejected));
  assertEquals(
    rejected.map((r) => r.code).filter((c) => c === "unknown_product").length,
    2,
  );
  ok(
    rejected.filter((r) => /not valid UTF-8 JSON/.test(r.reason)).length === 2,
    JSON.stringify(rejected),
  );
}

function env(url: string, dir: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: url,
    DATA_DIR: dir,
    ROLE: "processor,web",
    INGEST_TOKENS: TOKENS,
    INGEST_MAX_BYTES: String(MAX_BYTES),
    PORT: "0",
    METRICS_PORT: "0",
    STATS_INTERVAL_MS: "0",
    BATCH_WAIT_MS: "5",
    LOG_FSYNC: "never",
    ...extra,
  };
}

async function withPlatform(
  e: Record<string, string>,
  fn: (url: string) => Promise<void>,
) {
  const platform = await startPlatform(e);
  try {
    await fn(platform.url);
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\n--- platform log ---\n${
        platform.output().slice(-3000)
      }`,
      { cause: err },
    );
  } finally {
    await platform.stop();
  }
}

dbTest(
  "ingest API - on the embedded log: duplicates stored once, bad lines answered, wrong tokens and big bodies refused",
  async ({ sql, url }) => {
    const dir = await Deno.makeTempDir({ prefix: "ingest_api_" });
    try {
      await withPlatform(env(url, dir), (web) => exercise(web, sql));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

kafkaTest(
  "ingest API - on Kafka, a web role alone produces to the topics a processor elsewhere consumes: duplicates stored once, bad lines answered, refusals",
  async ({ db, brokers, prefix }) => {
    const dir = await Deno.makeTempDir({ prefix: "ingest_api_kafka_" });
    const kafka = { KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix };
    const processor = startApp(
      ["--role", "processor"],
      { ...env(db.url, dir, kafka), ROLE: "processor" },
    );
    try {
      await until(
        "the processor to run",
        () => /\[runtime\] running/.test(processor.output()),
        { timeoutMs: 60_000 },
      );
      await withPlatform(
        { ...env(db.url, dir, kafka), ROLE: "web" },
        (web) => exercise(web, db.sql),
      );
    } finally {
      await processor.kill("SIGTERM");
      await Deno.remove(dir, { recursive: true });
    }
  },
);

dbTest(
  "ingest API - more events than one request may carry are refused before any is validated or sent",
  async ({ sql }) => {
    const dir = await Deno.makeTempDir({ prefix: "ingest_max_" });
    const log = new FileLog(dir, { fsync: "never" });
    await log.ensureTopics(topicSpecs());
    try {
      const web = createApp({
        config: loadConfig({ INGEST_TOKENS: TOKENS }),
        sql,
        bus: new CommitBus(),
        log,
      });
      const res = await web.app.request("/api/ingest/clickstream", {
        method: "POST",
        headers: { Authorization: `Bearer ${SHOP}` },
        body: "{}\n".repeat(MAX_EVENTS + 1),
      });
      assertEquals(res.status, 413);
      match(
        (await res.json()).error,
        /50,001 events in one request: the limit is 50,000/,
      );
      const ends = await log.endOffsets(STREAMS.clickstream.topic);
      assertEquals([...ends.values()].reduce((a, b) => a + b, 0), 0);
      await web.feed.close();
    } finally {
      await log.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

dbTest(
  "ingest API - a web role without the log answers 503 with what to do",
  async ({ sql }) => {
    const { app } = webApp(sql, { INGEST_TOKENS: TOKENS });
    const res = await app.request("/api/ingest/clickstream", {
      method: "POST",
      headers: { Authorization: `Bearer ${SHOP}` },
      body: "{}",
    });
    assertEquals(res.status, 503);
    assertEquals(await res.json(), { error: NO_LOG, status: 503 });
    ok(res.headers.get("Content-Type")?.startsWith("application/json"));
  },
);
