/**
 * A running processor meets the catalog as it changes: an event for a
 * product nobody has imported is rejected as unknown_product; after
 * `deno task catalog:import` adds it, the same processor, never restarted,
 * accepts the next one, and `deno task rejected:replay --reason
 * unknown_product` brings the first one in too, once.
 */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { runCli } from "./harness/cli.ts";
import { seededEvents } from "./harness/events.ts";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { STREAMS, topicSpecs } from "../lib/stream/topics.ts";
import { startProcessor } from "../workers/consumers.ts";
import { until } from "../dev/wait.ts";
import type { Sql } from "../lib/db/mod.ts";
import { REJECTION_CODES } from "../lib/events/schema.ts";
import { ingest } from "./harness/web_seed.ts";

/** A product view of `product` with a fresh event id. */
function view(product: string) {
  const [e] = seededEvents("clickstream", 1, crypto.randomUUID());
  return {
    ...e!,
    event_id: crypto.randomUUID(),
    event_type: "product_view" as const,
    product_id: product,
    product_name: "Pixel 9 Pro",
    product_category: "phones",
    product_price: 999,
  };
}

async function rowsOf(sql: Sql, id: string) {
  const [r] = await sql<
    { stored: number; rejected: number; code: string | null }[]
  >`
    select (select count(*)::int from clickstream_events where event_id = ${id}::uuid) as stored,
           (select count(*)::int from rejected_events where event_id = ${id}) as rejected,
           (select max(code) from rejected_events where event_id = ${id}) as code`;
  return r!;
}

dbTest(
  "catalog reload - a running processor accepts a product imported after it started, and the rejected event is replayed once",
  async ({ sql, url }) => {
    const dir = await Deno.makeTempDir({ prefix: "reload_" });
    const log = new FileLog(`${dir}/log`, { fsync: "never" });
    await log.ensureTopics(topicSpecs());
    const processor = await startProcessor({
      config: loadConfig({ BATCH_WAIT_MS: "5" }),
      sql,
      log,
      bus: new CommitBus(),
    });
    const send = (e: ReturnType<typeof view>) =>
      log.send(STREAMS.clickstream.topic, [{
        key: e.product_id,
        value: JSON.stringify(e),
      }]);
    try {
      const early = view("P031");
      await send(early);
      await until(
        "the unknown product to be rejected",
        async () => (await rowsOf(sql, early.event_id)).rejected === 1,
      );
      assertEquals((await rowsOf(sql, early.event_id)).code, "unknown_product");

      const csv = `${dir}/products.csv`;
      await Deno.writeTextFile(
        csv,
        "product_id,name,category,list_price,unit_cost\nP031,Pixel 9 Pro,phones,999.00,780.00\n",
      );
      const imported = await runCli("catalog_import.ts", [csv], {
        DATABASE_URL: url,
      });
      assertEquals(imported.code, 0, imported.stderr);

      const late = view("P031");
      await send(late);
      await until(
        "the new product's event to be stored",
        async () => (await rowsOf(sql, late.event_id)).stored === 1,
      );

      const replay = await runCli(
        "rejected_replay.ts",
        ["--reason", "unknown_product", "--wait", "20s"],
        { DATABASE_URL: url },
      );
      assertEquals(replay.code, 0, replay.stderr + replay.stdout);
      match(
        replay.stdout,
        /1 rejected events with reason unknown_product queued/,
      );
      await until(
        "the replayed event to be stored",
        async () => (await rowsOf(sql, early.event_id)).stored === 1,
      );
      const again = await runCli("rejected_replay.ts", [
        "--reason",
        "unknown_product",
      ], {
        DATABASE_URL: url,
      });
      match(again.stdout, /Nothing to replay/);
      const [m] = await sql<{ views: number }[]>`
        select total_views::int as views from product_metrics where product_id = 'P031'`;
      assertEquals(m!.views, 2);
    } finally {
      await processor.stop();
      await log.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

dbTest(
  "rejected events - every reason code of lib/events/schema.ts is what rejected_events.code derives from the stored reason",
  async ({ sql }) => {
    const [move] = seededEvents("inventory", 1, "codes");
    const [price] = seededEvents("competitor", 1, "codes");
    await ingest(sql, "clickstream", [{
      ...view("P999"),
      event_id: crypto.randomUUID(),
    }]);
    await ingest(sql, "inventory", [{ ...move!, warehouse_id: "WH-NOWHERE" }]);
    await ingest(sql, "competitor", [{ ...price!, competitor_name: "Nobody" }]);
    const rows = await sql<{ field: string; code: string }[]>`
      select field, code from rejected_events order by field`;
    assertEquals(
      Object.fromEntries(rows.map((r) => [r.field, r.code])),
      REJECTION_CODES,
    );
  },
);
