/**
 * Retention of the embedded log as the runtime runs it (workers/retention.ts):
 * segments below every consumer group's stored offset are deleted, a group
 * that lags holds its partition back, and nothing is lost to a consumer.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { seededEvents } from "./harness/events.ts";
import { until } from "../dev/wait.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { STREAMS, topicSpecs } from "../lib/stream/topics.ts";
import { startWorker } from "../lib/ingest/worker.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startLogRetention } from "../workers/retention.ts";

dbTest(
  "log retention - segments below every group's stored offset go; a lagging group keeps its partition",
  async (db) => {
    const dir = await Deno.makeTempDir({ prefix: "retention_" });
    const log = new FileLog(`${dir}/log`, {
      fsync: "never",
      segmentBytes: 4096,
    });
    await log.ensureTopics(topicSpecs());
    const topic = STREAMS.inventory.topic;
    const events = seededEvents("inventory", 600, "retention");
    for (let i = 0; i < events.length; i += 100) {
      await log.send(
        topic,
        events.slice(i, i + 100).map((e) => ({
          key: e.product_id,
          value: JSON.stringify(e),
        })),
      );
    }
    const ends = await log.endOffsets(topic);
    // Another group is done with partitions 1 and 2 but has not read 0.
    await db.sql`
      insert into consumer_offsets (consumer_group, topic, "partition", next_offset)
      values ('lagging', ${topic}, 0, 0), ('lagging', ${topic}, 1, ${ends.get(
      1,
    )!}),
             ('lagging', ${topic}, 2, ${ends.get(2)!})`;
    const w = await startWorker({
      log,
      sql: db.sql,
      stream: "inventory",
      reference: await loadReference(db.sql),
      bus: new CommitBus(),
      topicPrefix: "",
      batchSize: 100,
      batchWaitMs: 5,
    });
    try {
      ok(startLogRetention(log, db.sql, 50), "the embedded log gets retention");
      await until("partitions 1 and 2 lose their old segments", async () => {
        const starts = await log.startOffsets(topic);
        return starts.get(1)! > 0 && starts.get(2)! > 0;
      });
      const starts = await log.startOffsets(topic);
      assertEquals(starts.get(0), 0, "the lagging group holds partition 0");
      for (const p of [1, 2]) {
        ok(
          starts.get(p)! <= ends.get(p)!,
          `partition ${p} keeps what is unread`,
        );
      }
      await until("every event is stored", async () => {
        const [n] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from inventory_events`;
        return n!.n === events.length;
      });
      // dlq.* topics have no group: kept whole.
      const dlq = await log.startOffsets(`dlq.${topic}`);
      assertEquals([...dlq.values()], [0]);
    } finally {
      await w.stop();
      await log.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
