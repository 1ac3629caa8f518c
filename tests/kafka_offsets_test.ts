/**
 * Offsets ahead of the log on real Kafka (issue 16, item 2): a stored offset
 * past a partition's high watermark (the topic was recreated, or the broker's
 * data lost) makes the consumer pause that partition with one sentence
 * instead of letting kafkajs reset it to the earliest offset and skip
 * everything below the stored one; offsets:reset starts it again.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
} from "node:assert/strict";
import { startWorker } from "../lib/ingest/worker.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { resetOffsets } from "../lib/ingest/offset_reset.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { STREAMS } from "../lib/stream/topics.ts";
import { partitionFor } from "../lib/stream/partitioner.ts";
import { kafkaTest, openTestLog, waitUntil } from "./harness/kafka_env.ts";
import { makeWorkload } from "./harness/kafka_workload.ts";
import type { TestDb } from "./harness/db.ts";

async function stored(db: TestDb): Promise<number> {
  const [r] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from competitor_price_history`;
  return r!.n;
}

kafkaTest(
  "kafka offsets - a stored offset past the high watermark pauses that partition with one sentence until offsets:reset",
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const topic = prefix + STREAMS.competitor.topic;
    const events = makeWorkload(`offsets-${prefix}`, {
      clickstream: 0,
      inventory: 0,
      competitor: 120,
    }).competitor;
    const in0 = events.filter((e) => partitionFor(e.product_id, 3) === 0);
    await db.sql`
      insert into consumer_offsets (consumer_group, topic, "partition", next_offset)
      values (${`${prefix}ingest.competitor`}, ${topic}, 0, 5000)`;
    await log.send(
      topic,
      events.map((e) => ({ key: e.product_id, value: JSON.stringify(e) })),
    );
    const refusals: string[] = [];
    const start = async () =>
      startWorker({
        log,
        sql: db.sql,
        stream: "competitor",
        reference: await loadReference(db.sql),
        bus: new CommitBus(),
        topicPrefix: prefix,
        batchSize: 100,
        batchWaitMs: 20,
        onRefuse: (_p, reason) => refusals.push(reason),
      });
    try {
      let w = await start();
      await waitUntil(
        "the other partitions are stored",
        async () => (await stored(db)) === events.length - in0.length,
        60_000,
      );
      await new Promise((r) => setTimeout(r, 1000));
      assertEquals(await stored(db), events.length - in0.length);
      assertEquals(refusals.length, 1);
      assertMatch(
        refusals[0]!,
        /^Cannot consume ".*raw\.competitor_prices" partition 0: its stored offset 5000 is past the log end \d+/,
      );
      await w.stop();
      await resetOffsets(db.sql, log, {
        topic: STREAMS.competitor.topic,
        prefix,
        to: "earliest",
      });
      w = await start();
      await waitUntil(
        "every event is stored",
        async () => (await stored(db)) === events.length,
        60_000,
      );
      await w.stop();
    } finally {
      await log.close();
    }
  },
);
