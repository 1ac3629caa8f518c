/**
 * Dead letters and retries on real Kafka (issue 16, item 1): a payload whose
 * dead-letter envelope used to exceed the topic's message limit, and a batch
 * that keeps failing, whose retries must wait longer and longer.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
  ok as assert,
} from "node:assert/strict";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startProcessor } from "../workers/consumers.ts";
import { dlqTopic, STREAMS } from "../lib/stream/topics.ts";
import type { LogRecord } from "../lib/stream/log.ts";
import { MAX_ENVELOPE_BYTES } from "../lib/ingest/dead_letter.ts";
import { kafkaTest, openTestLog, waitUntil } from "./harness/kafka_env.ts";
import { makeWorkload } from "./harness/kafka_workload.ts";

kafkaTest(
  "kafka dead letter - a 700 KiB payload of 0x01 bytes is rejected, dead-lettered within 1 MiB, and its partition goes on",
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const processor = await startProcessor({
      config: loadConfig({ KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix }),
      sql: db.sql,
      log,
      bus: new CommitBus(),
    });
    try {
      const w = makeWorkload(`dlq-${prefix}`, {
        clickstream: 0,
        inventory: 0,
        competitor: 40,
      });
      // Every event on one key, so the poison sits in the same partition.
      const events = w.competitor.map((e) => ({ ...e, product_id: "P001" }));
      const send = (values: (string | Uint8Array)[]) =>
        log.send(
          prefix + STREAMS.competitor.topic,
          values.map((value) => ({ key: "P001", value })),
        );
      await send(events.slice(0, 20).map((e) => JSON.stringify(e)));
      await send([new Uint8Array(700 * 1024).fill(1)]);
      await send(events.slice(20).map((e) => JSON.stringify(e)));
      await waitUntil("the 40 valid events are stored", async () => {
        const [r] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from competitor_price_history`;
        return r!.n === 40;
      }, 60_000);
      const [rej] = await db.sql<{ reason: string }[]>`
        select reason from rejected_events`;
      assertMatch(
        rej!.reason,
        /payload is 716800 bytes, over the 65536 byte limit/,
      );
      const dead = await readOne(
        log,
        prefix + dlqTopic(STREAMS.competitor.topic),
      );
      assert(
        dead.value.length <= MAX_ENVELOPE_BYTES,
        `${dead.value.length} bytes`,
      );
      const envelope = JSON.parse(new TextDecoder().decode(dead.value));
      assertEquals([envelope.payload_bytes, envelope.payload_truncated], [
        716_800,
        true,
      ]);
    } finally {
      await processor.stop();
      await log.close();
    }
  },
);

/** The first record of `topic`. */
async function readOne(
  log: Awaited<ReturnType<typeof openTestLog>>,
  topic: string,
): Promise<LogRecord> {
  const got: LogRecord[] = [];
  const handle = await log.consume({
    groupId: `${topic}.reader`,
    topic,
    maxBatchSize: 10,
    maxWaitMs: 100,
    loadOffsets: () => Promise.resolve(new Map()),
    handleBatch: (records) => (got.push(...records), Promise.resolve()),
  });
  try {
    await waitUntil(
      `a record on "${topic}"`,
      () => Promise.resolve(got.length > 0),
    );
  } finally {
    await handle.stop();
  }
  return got[0]!;
}

kafkaTest(
  "kafka consumer - a batch that keeps failing is retried after waits that double, not every 100 ms",
  async ({ brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const topic = prefix + STREAMS.competitor.topic;
    const calls: number[] = [];
    try {
      await log.send(topic, [{ key: "P001", value: "{}" }]);
      const handle = await log.consume({
        groupId: `${prefix}retry`,
        topic,
        maxBatchSize: 10,
        maxWaitMs: 50,
        // A stored offset exists, as in production: reloading it seeks.
        loadOffsets: (ps) => Promise.resolve(new Map(ps.map((p) => [p, 0]))),
        handleBatch: () => {
          calls.push(performance.now());
          return calls.length <= 6
            ? Promise.reject(new Error("database is down"))
            : Promise.resolve();
        },
      });
      try {
        await waitUntil(
          "the seventh attempt",
          () => Promise.resolve(calls.length >= 7),
          60_000,
        );
      } finally {
        await handle.stop();
      }
    } finally {
      await log.close();
    }
    const gaps = calls.slice(1).map((t, i) => Math.round(t - calls[i]!));
    // 100, 200, 400, 800, 1600, 3200 ms, give or take a fetch.
    assert(
      gaps[4]! >= 1500 && gaps[5]! >= 3000,
      `waits: ${gaps.join(", ")} ms`,
    );
  },
);

kafkaTest(
  "kafka consumer - a batch that hangs longer than the session timeout (a database outage) keeps its partitions: heartbeats go on",
  async ({ brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix, { sessionTimeoutMs: 3000 });
    const topic = prefix + STREAMS.competitor.topic;
    // A rejoin at start-up is Kafka settling a topic created a moment ago
    // (kafkajs rejoins when the partitions it saw at join change); what
    // this test is about is a rebalance once the batch has begun to hang.
    const joins: { at: number; hanging: boolean }[] = [];
    let batches = 0;
    const started = performance.now();
    try {
      await log.send(topic, [{ key: "P001", value: "{}" }]);
      const handle = await log.consume({
        groupId: `${prefix}hang`,
        topic,
        maxBatchSize: 10,
        maxWaitMs: 50,
        loadOffsets: () => Promise.resolve(new Map()),
        onAssign: () =>
          joins.push({ at: performance.now() - started, hanging: batches > 0 }),
        handleBatch: async () => {
          // Three session timeouts without a word from the consumer itself.
          if (batches++ === 0) await new Promise((r) => setTimeout(r, 9000));
        },
      });
      try {
        await waitUntil(
          "the hung batch ends",
          () => Promise.resolve(batches >= 1),
          30_000,
        );
        await new Promise((r) => setTimeout(r, 10_000));
      } finally {
        await handle.stop();
      }
    } finally {
      await log.close();
    }
    const seen = joins.map((j) =>
      `${Math.round(j.at)} ms${j.hanging ? " (hanging)" : ""}`
    ).join(", ");
    assert(joins.length >= 1, "the consumer joined its group");
    assertEquals(
      joins.filter((j) => j.hanging).length,
      0,
      `no rebalance once the batch hung; joins at ${seen}`,
    );
  },
);
