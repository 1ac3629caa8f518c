/**
 * A dead Kafka consumer is noticed (issue 16, item 5): a kafkajs crash it
 * will not restart (here a real one: another member of the group speaks an
 * incompatible protocol, INCONSISTENT_GROUP_PROTOCOL) turns /api/health to
 * 503 naming the worker and its error; the processor restarts the consumer,
 * and once it can join again health is 200 and events flow.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
} from "node:assert/strict";
import { Buffer } from "node:buffer";
import kafkajs from "kafkajs";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { WorkerRegistry } from "../lib/health/registry.ts";
import { startProcessor } from "../workers/consumers.ts";
import { healthRoutes } from "../routes/health.ts";
import { STREAMS } from "../lib/stream/topics.ts";
import { kafkaTest, openTestLog, waitUntil } from "./harness/kafka_env.ts";
import { makeWorkload } from "./harness/kafka_workload.ts";

const { AssignerProtocol, Kafka, logLevel } = kafkajs;

/** A consumer of `group` whose assignment protocol no other member speaks. */
async function foreignMember(brokers: string, group: string, topic: string) {
  const kafka = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: group,
    partitionAssigners: [() => ({
      name: "SomethingElse",
      version: 1,
      assign: ({ members }) =>
        Promise.resolve(members.map((m) => ({
          memberId: m.memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment: {},
            userData: Buffer.alloc(0),
          }),
        }))),
      protocol: ({ topics }) => ({
        name: "SomethingElse",
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics,
          userData: Buffer.alloc(0),
        }),
      }),
    })],
  });
  await consumer.connect();
  await consumer.subscribe({ topic });
  await consumer.run({ eachMessage: () => Promise.resolve() });
  return consumer;
}

kafkaTest(
  "kafka worker down - a consumer kafkajs will not restart makes /api/health 503, and the processor restarts it",
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const config = loadConfig({ KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix });
    const topic = prefix + STREAMS.competitor.topic;
    const foreign = await foreignMember(
      brokers,
      `${prefix}ingest.competitor`,
      topic,
    );
    const workers = new WorkerRegistry();
    const health = healthRoutes({
      config,
      sql: db.sql,
      bus: new CommitBus(),
      workers,
    });
    const check = async () => {
      const r = await health.request("/api/health");
      return { status: r.status, body: await r.json() };
    };
    const processor = await startProcessor({
      config,
      sql: db.sql,
      log,
      bus: new CommitBus(),
      workers,
      restart: {
        firstDelayMs: 200,
        maxDelayMs: 1000,
        maxFailures: 1000,
        stableMs: 60_000,
      },
    });
    try {
      await waitUntil(
        "the competitor consumer is reported down",
        async () => (await check()).status === 503,
        60_000,
      );
      const down = await check();
      const w = down.body.workers.find((x: { name: string }) =>
        x.name === "consumer raw.competitor_prices"
      );
      assertMatch(w.state, /^(down|restarting)$/);
      assertMatch(w.error, /protocol/i);
      await foreign.disconnect();
      await waitUntil(
        "health is 200 again",
        async () => (await check()).status === 200,
        60_000,
      );
      const events = makeWorkload(`down-${prefix}`, {
        clickstream: 0,
        inventory: 0,
        competitor: 30,
      }).competitor;
      await log.send(
        topic,
        events.map((e) => ({ key: e.product_id, value: JSON.stringify(e) })),
      );
      await waitUntil("events flow again", async () => {
        const [r] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from competitor_price_history`;
        return r!.n === 30;
      }, 60_000);
      const up = await check();
      const again = up.body.workers.find((x: { name: string }) =>
        x.name === "consumer raw.competitor_prices"
      );
      assertEquals(again.state, "running");
      assertEquals(again.restarts >= 1, true);
    } finally {
      await processor.stop();
      await foreign.disconnect().catch(() => {});
      await log.close();
    }
  },
);
