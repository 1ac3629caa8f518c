/**
 * Poison messages on real Kafka: broken JSON, wrong types, unknown ids and
 * 1 MB payloads mixed into every topic all land in their dlq.* topic and in
 * rejected_events with a reason, while every valid event is ingested.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
  rejects as assertRejects,
} from "node:assert/strict";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startProcessor } from "../workers/consumers.ts";
import { dlqTopic, type StreamName, STREAMS } from "../lib/stream/topics.ts";
import type { EventLog, LogRecord, Message } from "../lib/stream/log.ts";
import { MAX_MESSAGE_BYTES } from "../lib/stream/kafka_log.ts";
import { kafkaTest, openTestLog, waitUntil } from "./harness/kafka_env.ts";
import {
  assertExactTotals,
  ingestedRows,
  keyOf,
  makeWorkload,
  stockSnapshot,
  type Workload,
  workloadSize,
} from "./harness/kafka_workload.ts";

const MB = 1024 * 1024;

/** Four kinds of poison for `stream`, built from one of its valid events. */
function poison(stream: StreamName, valid: Record<string, unknown>): Message[] {
  const wrongType = stream === "clickstream"
    ? { ...valid, event_id: crypto.randomUUID(), product_price: "cheap" }
    : stream === "inventory"
    ? { ...valid, event_id: crypto.randomUUID(), quantity_change: "ten" }
    : { ...valid, event_id: crypto.randomUUID(), competitor_price: [] };
  const unknownId = {
    ...valid,
    event_id: crypto.randomUUID(),
    product_id: "P-DOES-NOT-EXIST",
  };
  const huge = {
    ...valid,
    event_id: crypto.randomUUID(),
    product_name: "x".repeat(MB),
  };
  return [
    { key: "poison", value: '{"event_id": "broken' },
    { key: "poison", value: JSON.stringify(wrongType) },
    { key: "poison", value: JSON.stringify(unknownId) },
    { key: "poison", value: JSON.stringify(huge) },
  ];
}

async function readAll(
  log: EventLog,
  topic: string,
  expected: number,
): Promise<LogRecord[]> {
  const got: LogRecord[] = [];
  const handle = await log.consume({
    groupId: `${topic}.reader`,
    topic,
    maxBatchSize: 100,
    maxWaitMs: 100,
    loadOffsets: () => Promise.resolve(new Map()),
    handleBatch: (records) => {
      got.push(...records);
      return Promise.resolve();
    },
  });
  try {
    await waitUntil(
      `${expected} messages are read from "${topic}"`,
      () => Promise.resolve(got.length >= expected),
    );
  } finally {
    await handle.stop();
  }
  return got;
}

kafkaTest(
  "kafka poison - bad messages in every topic land in dlq.* and rejected_events, valid ones are all ingested",
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const initial = await stockSnapshot(db.sql);
    const config = loadConfig({
      KAFKA_BROKERS: brokers,
      TOPIC_PREFIX: prefix,
      BATCH_SIZE: "200",
    });
    const processor = await startProcessor({
      config,
      sql: db.sql,
      log,
      bus: new CommitBus(),
    });
    try {
      const w: Workload = makeWorkload(`poison-${prefix}`, {
        clickstream: 900,
        inventory: 450,
        competitor: 300,
      });
      for (const s of Object.keys(STREAMS) as StreamName[]) {
        const events = w[s] as unknown as Record<string, unknown>[];
        const valid = events.map((e) => ({
          key: keyOf(e),
          value: JSON.stringify(e),
        }));
        const bad = poison(s, events[0]!);
        // Poison between valid events: before, in the middle, at the end.
        const third = Math.floor(valid.length / 3);
        const mixed = [
          bad[0]!,
          ...valid.slice(0, third),
          bad[1]!,
          bad[2]!,
          ...valid.slice(third),
          bad[3]!,
        ];
        for (let i = 0; i < mixed.length; i += 100) {
          await log.send(prefix + STREAMS[s].topic, mixed.slice(i, i + 100));
        }
      }
      const n = workloadSize(w);
      await waitUntil(
        `${n} valid rows and 12 rejections are stored`,
        async () => {
          const [r] = await db.sql<
            { n: number }[]
          >`select count(*)::int as n from rejected_events where kind = 'invalid'`;
          return (await ingestedRows(db.sql)) >= n && r!.n >= 12;
        },
      );
      await assertExactTotals(db.sql, w, initial);
      const rejected = await db.sql<
        { topic: string; reason: string; size: number }[]
      >`
      select topic, reason, length(payload) as size from rejected_events where kind = 'invalid' order by topic, "offset"`;
      assertEquals(rejected.length, 12);
      for (const s of Object.keys(STREAMS) as StreamName[]) {
        const mine = rejected.filter((r) => r.topic === STREAMS[s].topic);
        assertEquals(mine.length, 4, `rejections of ${s}`);
        assertMatch(mine[0]!.reason, /json|parse/i);
        assertMatch(
          mine[1]!.reason,
          /field "(product_price|quantity_change|competitor_price)"/,
        );
        assertMatch(mine[2]!.reason, /P-DOES-NOT-EXIST/);
        assertMatch(mine[3]!.reason, /bytes, over the/);
        const dead = await readAll(log, prefix + dlqTopic(STREAMS[s].topic), 4);
        assertEquals(dead.length, 4, `dead letters of ${s}`);
        const reasons = dead.map((d) =>
          JSON.parse(new TextDecoder().decode(d.value)).reason as string
        );
        assertEquals(reasons, mine.map((m) => m.reason));
      }
      // Above the topic limit a message is refused when produced, with a clear error.
      await assertRejects(
        () =>
          log.send(prefix + STREAMS.clickstream.topic, [{
            key: "k",
            value: "x".repeat(MAX_MESSAGE_BYTES + 1),
          }]),
        /Cannot send 1 messages to Kafka topic ".*raw\.clickstream": message 0 is \d+ bytes, over the \d+ byte limit/,
      );
    } finally {
      await processor.stop();
      await log.close();
    }
  },
);
