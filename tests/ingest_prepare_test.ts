/**
 * A worker's batches prepared ahead (`prepareBatch`, which the Kafka consumer
 * runs for a topic's next batch while the one before is in its
 * transaction): preparing writes nothing, the prepared transaction stores
 * what the whole way would, and a batch naming a product the loaded catalog
 * lacks still meets the catalog as it is now.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dbTest, type TestDb } from "./harness/db.ts";
import {
  asRecords,
  assertMetricsMatch,
  seededEvents,
} from "./harness/events.ts";
import { startWorker } from "../lib/ingest/worker.ts";
import { CatalogCache } from "../lib/ingest/reference.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { topicSpecs } from "../lib/stream/topics.ts";
import type { ConsumerOptions } from "../lib/stream/log.ts";
import { CommitBus, type CommitSummary } from "../lib/feed/bus.ts";

/**
 * A clickstream worker on a file log, and the options it gave the log's
 * consumer (whose `prepareBatch` the tests call, as the Kafka consumer does).
 */
async function clickWorker(db: TestDb) {
  const dir = await Deno.makeTempDir({ prefix: "prepare_" });
  const log = new FileLog(`${dir}/log`, { fsync: "never" });
  await log.ensureTopics(topicSpecs());
  let options: ConsumerOptions | undefined;
  const consume = log.consume.bind(log);
  log.consume = (opts) => {
    options = opts;
    return consume(opts);
  };
  const commits: CommitSummary[] = [];
  const bus = new CommitBus();
  bus.subscribe((s) => commits.push(s));
  const catalog = await CatalogCache.load(db.sql);
  const worker = await startWorker({
    log,
    sql: db.sql,
    stream: "clickstream",
    reference: catalog.reference(),
    bus,
    topicPrefix: "",
    batchSize: 500,
    batchWaitMs: 5,
  });
  ok(options?.prepareBatch, "the worker offers a prepare step");
  return {
    prepareBatch: options.prepareBatch,
    commits,
    async stop() {
      await worker.stop();
      await log.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function clickRows(db: TestDb): Promise<number> {
  const [r] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from clickstream_events`;
  return r!.n;
}

dbTest(
  "prepared batch - preparing writes nothing; the prepared transaction stores the rows, metrics and offsets",
  async (db) => {
    const w = await clickWorker(db);
    try {
      const events = seededEvents("clickstream", 300, "prepare");
      const records = asRecords("clickstream", events);
      const run = w.prepareBatch(records);
      assertEquals(await clickRows(db), 0);
      assertEquals(w.commits.length, 0);
      await run();
      await assertMetricsMatch(db.sql, events);
      const stored = await db.sql<{ p: number; next: number }[]>`
        select "partition" as p, next_offset::int as next from consumer_offsets
        where consumer_group = 'ingest.clickstream' order by 1`;
      const ends = new Map<number, number>();
      for (const r of records) ends.set(r.partition, r.offset + 1);
      assertEquals(
        stored.map((r) => [r.p, r.next]),
        [...ends].sort((a, b) => a[0] - b[0]),
      );
      assertEquals(w.commits.map((c) => c.accepted), [300]);
    } finally {
      await w.stop();
    }
  },
  ["postgres", "pglite"],
);

dbTest(
  "prepared batch - a product added after the catalog loaded is accepted, an unknown one rejected",
  async (db) => {
    const w = await clickWorker(db);
    try {
      // Imported after the worker loaded the catalog.
      await db.sql`
        insert into products (product_id, product_name, category, base_price, current_price, unit_cost)
        values ('P031', 'Pixel 9 Pro', 'phones', 999.00, 999.00, 780.00)`;
      const [base] = seededEvents("clickstream", 1, "prepare-new");
      const view = (product: string) => ({
        ...base!,
        event_id: crypto.randomUUID(),
        event_type: "product_view" as const,
        product_id: product,
        product_name: "Pixel 9 Pro",
        product_category: "phones",
        product_price: 999,
      });
      const added = view("P031");
      const unknown = view("P999");
      // Validation misses on P031: the preparation is given up and the
      // batch goes the whole way (catalog checked and reloaded) when run.
      await w.prepareBatch(asRecords("clickstream", [added, unknown]))();
      const rows = await db.sql<{ id: string }[]>`
        select event_id::text as id from clickstream_events`;
      assertEquals(rows.map((r) => r.id), [added.event_id]);
      const [rejected] = await db.sql<{ id: string; code: string }[]>`
        select event_id as id, code from rejected_events`;
      assertEquals(rejected, { id: unknown.event_id, code: "unknown_product" });
    } finally {
      await w.stop();
    }
  },
);
