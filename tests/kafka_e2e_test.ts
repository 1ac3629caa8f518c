/**
 * End to end on a real Apache Kafka broker and a real PostgreSQL: seeded
 * events produced through the KafkaLog are ingested exactly once by the
 * processor role, with exact counters and stock sums.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
  rejects as assertRejects,
} from "node:assert/strict";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startProcessor } from "../workers/consumers.ts";
import { topicSpecs } from "../lib/stream/topics.ts";
import { KafkaLog } from "../lib/stream/kafka_log.ts";
import { kafkaTest, openTestLog, waitUntil } from "./harness/kafka_env.ts";
import { runMain } from "./harness/kafka_process.ts";
import {
  assertExactTotals,
  ingestedRows,
  makeWorkload,
  produceWorkload,
  stockSnapshot,
  workloadSize,
} from "./harness/kafka_workload.ts";

kafkaTest(
  "kafka e2e - N seeded events become exactly N rows with exact counters and stock",
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const config = loadConfig({
      KAFKA_BROKERS: brokers,
      TOPIC_PREFIX: prefix,
      BATCH_SIZE: "500",
    });
    const bus = new CommitBus();
    let accepted = 0;
    bus.subscribe((s) => accepted += s.accepted + s.refused);
    const initial = await stockSnapshot(db.sql);
    const processor = await startProcessor({ config, sql: db.sql, log, bus });
    try {
      const w = makeWorkload(`e2e-${prefix}`, {
        clickstream: 6000,
        inventory: 2500,
        competitor: 1500,
      });
      await produceWorkload(log, prefix, w, { chunk: 700 });
      const n = workloadSize(w);
      await waitUntil(
        `${n} rows are ingested`,
        async () => (await ingestedRows(db.sql)) >= n,
      );
      await assertExactTotals(db.sql, w, initial);
      // Offsets stored with the rows cover exactly what was produced.
      const stored = await db.sql<{ topic: string; n: string }[]>`
      select topic, sum(next_offset)::text as n from consumer_offsets group by topic order by topic`;
      const ends = await Promise.all(
        ["raw.clickstream", "raw.competitor_prices", "raw.inventory_updates"]
          .map(async (t) =>
            [...(await log.endOffsets(prefix + t)).values()].reduce(
              (a, b) => a + b,
              0,
            )
          ),
      );
      assertEquals(stored.map((r) => Number(r.n)), ends);
      assertEquals(accepted, n);
    } finally {
      await processor.stop();
      await log.close();
    }
  },
);

kafkaTest(
  "kafka startup - refuses a topic with the wrong partition count in one sentence",
  async ({ brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    try {
      const wrong = topicSpecs(prefix).map((s) => ({
        ...s,
        partitions: s.partitions + 1,
      }));
      await assertRejects(
        () => log.ensureTopics(wrong),
        /Kafka topic ".*raw\.clickstream" has 6 partitions, expected 7/,
      );
    } finally {
      await log.close();
    }
  },
);

kafkaTest(
  "kafka startup - an unreachable broker fails fast with one sentence naming KAFKA_BROKERS",
  async () => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    const config = loadConfig({ KAFKA_BROKERS: `127.0.0.1:${port}` });
    await assertRejects(
      () => KafkaLog.connect(config),
      new RegExp(
        `Cannot reach Kafka at KAFKA_BROKERS="127\\.0\\.0\\.1:${port}"`,
      ),
    );
  },
);

kafkaTest(
  "kafka startup - deno task start exits 1 with one sentence when the broker is unreachable or a topic is wrong",
  async ({ db, brokers, prefix }) => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    const down = await runMain({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      TOPIC_PREFIX: prefix,
    }, ["--role", "processor"]);
    assertEquals(down.code, 1, down.output);
    assertMatch(
      down.output,
      new RegExp(
        `ERROR \\[main\\] Cannot reach Kafka at KAFKA_BROKERS="127\\.0\\.0\\.1:${port}"`,
      ),
    );

    // A topic someone created by hand with the wrong partition count.
    const log = await openTestLog(brokers, prefix);
    const wrongPrefix = `${prefix}wrong.`;
    await log.ensureTopics([{
      name: `${wrongPrefix}raw.clickstream`,
      partitions: 2,
    }]);
    await log.close();
    const wrong = await runMain({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: brokers,
      TOPIC_PREFIX: wrongPrefix,
    }, ["--role", "processor"]);
    assertEquals(wrong.code, 1, wrong.output);
    assertMatch(
      wrong.output,
      /ERROR \[main\] Kafka topic ".*wrong\.raw\.clickstream" has 2 partitions, expected 6/,
    );
  },
);
