/**
 * The embedded default end to end, as a user runs it: `main.ts` in a real
 * subprocess on PGlite and the file-backed log, killed and restarted.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { FileLog } from "../lib/stream/file_log.ts";
import { STREAMS, topicSpecs } from "../lib/stream/topics.ts";
import { applyMoves } from "../lib/ingest/inventory.ts";
import { connect, type Sql } from "../lib/db/mod.ts";
import type { EventOf } from "../lib/events/schema.ts";
import { assertMetricsMatch, seededEvents } from "./harness/events.ts";
import { type AppProcess, startApp } from "../dev/app.ts";
import { freePort } from "../dev/ports.ts";
import { until } from "../dev/wait.ts";
import { configureLog } from "../lib/log.ts";

configureLog({ level: "warn" });

const N = { clickstream: 18_000, inventory: 9_000, competitor: 3_000 };
/** Kills at most this many times; at least MIN_KILLS must land mid-ingest. */
const KILLS = 4;
const MIN_KILLS = 2;

async function fillLog(dir: string) {
  const events = {
    clickstream: seededEvents("clickstream", N.clickstream, "crash"),
    inventory: seededEvents("inventory", N.inventory, "crash"),
    competitor: seededEvents("competitor", N.competitor, "crash"),
  };
  const log = new FileLog(`${dir}/log`);
  await log.ensureTopics(topicSpecs());
  for (const s of ["clickstream", "inventory", "competitor"] as const) {
    const list = events[s] as { product_id: string | null }[];
    for (let i = 0; i < list.length; i += 1000) {
      await log.send(
        STREAMS[s].topic,
        list.slice(i, i + 1000).map((e) => ({
          key: e.product_id,
          value: JSON.stringify(e),
        })),
      );
    }
  }
  await log.close();
  return events;
}

/** Waits until the app says it runs (its database socket is up then). */
function ready(app: AppProcess): Promise<void> {
  return until(
    "the app to start",
    () => /\[runtime\] running/.test(app.output()),
    { timeoutMs: 90_000 },
  );
}

async function consumed(sql: Sql): Promise<number> {
  const [r] = await sql<
    { n: string }[]
  >`select coalesce(sum(next_offset), 0)::text as n from consumer_offsets`;
  return Number(r!.n);
}

async function expectExactTotals(
  sql: Sql,
  events: { [K in keyof typeof N]: EventOf[K][] },
) {
  await assertMetricsMatch(sql, events.clickstream);
  // Stock: every product x warehouse starts at 100; moves apply in log order, which is per-key order.
  const stock = new Map<string, number>();
  for (const e of events.inventory) {
    stock.set(`${e.product_id}|${e.warehouse_id}`, 100);
  }
  const refused =
    applyMoves(stock, events.inventory).filter((r) => !r.applied).length;
  const rows = await sql<{ k: string; s: number }[]>`
    select product_id || '|' || warehouse_id as k, current_stock as s from inventory_state`;
  for (const r of rows) {
    assertEquals(r.s, stock.get(r.k) ?? 100, `stock of ${r.k}`);
  }
  const [i] = await sql<{ n: number; refused: number }[]>`
    select count(*)::int as n, count(*) filter (where not applied)::int as refused from inventory_events`;
  assertEquals([i!.n, i!.refused], [N.inventory, refused]);
  const [h] = await sql<
    { n: number }[]
  >`select count(*)::int as n from competitor_price_history`;
  assertEquals(h!.n, N.competitor);
}

Deno.test({
  name:
    "embedded pipeline - a processor killed with SIGKILL and restarted ends with exactly the uninterrupted totals",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "crash_" });
    const events = await fillLog(dir);
    const port = freePort();
    const env = {
      DATA_DIR: dir,
      EMBEDDED_PG_PORT: String(port),
      BATCH_SIZE: "150",
      BATCH_WAIT_MS: "5",
    };
    const total = N.clickstream + N.inventory + N.competitor;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const kills: number[] = [];
    try {
      for (let attempt = 0; attempt < KILLS; attempt++) {
        const app = startApp(["--role", "processor"], env);
        await ready(app);
        // Kill at a random moment once this run is ingesting.
        const sql = connect({ url, max: 1 });
        const before = await consumed(sql).catch(() => 0);
        await until(
          "the processor to ingest",
          async () => {
            const now = await consumed(sql).catch(() => 0);
            return now > before || now === total;
          },
          { timeoutMs: 60_000, everyMs: 100 },
        );
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
        const atKill = await consumed(sql).catch(() => total);
        await sql.end({ timeout: 1 }).catch(() => {});
        const status = await app.kill("SIGKILL");
        assertEquals(status.signal, "SIGKILL");
        // Ingest got fast enough to finish before a third kill: stop then.
        if (atKill >= total) break;
        kills.push(atKill);
      }
      ok(
        kills.length >= MIN_KILLS,
        `only ${kills.length} kills landed mid-ingest (offsets at kills: ${kills}); make N larger`,
      );
      const app = startApp(["--role", "processor"], env);
      await ready(app);
      const sql = connect({ url, max: 2 });
      await until(
        "everything to be consumed",
        async () => (await consumed(sql).catch(() => 0)) === total,
        {
          timeoutMs: 120_000,
          everyMs: 200,
        },
      );
      await expectExactTotals(sql, events);
      await sql.end();
      const status = await app.kill("SIGINT");
      assertEquals(status.code, 0, app.output());
      match(app.output(), /stopped cleanly/);
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name:
    "embedded pipeline - deno task start runs every role, Ctrl-C stops cleanly, and a restart keeps the data",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "start_" });
    const port = freePort();
    const web = freePort();
    const env = {
      DATA_DIR: dir,
      EMBEDDED_PG_PORT: String(port),
      STATS_INTERVAL_MS: "1000",
      PORT: String(web),
    };
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    try {
      const app = startApp(["--rate", "20", "--seed", "start"], env);
      await until(
        "a throughput line",
        () =>
          /\] clickstream=[\d,]+ \([\d.]+\/s\) \| inventory=/.test(
            app.output(),
          ),
        {
          timeoutMs: 60_000,
        },
      );
      const health = await fetch(`http://127.0.0.1:${web}/api/health`);
      assertEquals(health.status, 200);
      await health.body?.cancel();
      const sql = connect({ url, max: 1 });
      await until("rows", async () => (await consumed(sql)) > 200);
      await sql.end();
      const status = await app.kill("SIGINT");
      assertEquals(status.code, 0, app.output());
      match(app.output(), /stopping: flushing batches in flight/);
      match(app.output(), /stopped cleanly/);
      match(
        app.output(),
        /\[\d\d:\d\d:\d\d\] clickstream=[\d,]+ \([\d.]+\/s\) \| inventory=[\d,]+ \([\d.]+\/s\) \| competitor=[\d,]+ \([\d.]+\/s\) \| recommendations=\d+/,
      );

      // Read the log end while the app is down: the log's folder lock keeps
      // a second process out while one runs, and only generators write raw.*.
      const log = new FileLog(`${dir}/log`);
      const ends = { total: 0 };
      await log.ensureTopics(topicSpecs());
      for (const s of topicSpecs().filter((t) => t.name.startsWith("raw."))) {
        for (const v of (await log.endOffsets(s.name)).values()) {
          ends.total += v;
        }
      }
      await log.close();
      // Restart: the data survives and whatever was left in the log is consumed.
      const again = startApp(["--role", "processor"], env);
      await ready(again);
      const sql2 = connect({ url, max: 1 });
      await until(
        "the restarted processor to reach the log end",
        async () => (await consumed(sql2)) === ends.total,
      );
      const [c] = await sql2<
        { n: number }[]
      >`select count(*)::int as n from clickstream_events`;
      ok(c!.n > 0);
      await sql2.end();
      assertEquals((await again.kill("SIGTERM")).code, 0);
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name:
    "embedded pipeline - a SIGTERM while the roles still start stops them once they are up, with status 0",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "early_stop_" });
    const env = {
      DATA_DIR: dir,
      EMBEDDED_PG_PORT: String(freePort()),
    };
    try {
      const app = startApp(["--role", "processor"], env);
      // A fresh data folder: the migrations still run after this line.
      await until(
        "the embedded database to be up",
        () => /embedded PostgreSQL ready/.test(app.output()),
        { timeoutMs: 60_000, everyMs: 5 },
      );
      const status = await app.kill("SIGTERM");
      assertEquals(status.code, 0, app.output());
      match(app.output(), /stopping once the roles have started/);
      match(app.output(), /stopped cleanly/);
      ok(
        app.output().indexOf("stopping once") <
          app.output().indexOf("[runtime] running"),
        app.output(),
      );
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
