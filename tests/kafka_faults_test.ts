/**
 * Faults below the processor on real Kafka and PostgreSQL: its database
 * connections are killed with pg_terminate_backend mid-ingest, and (on a
 * broker of the test's own) the broker is stopped and started again
 * mid-ingest. Producers and consumers back off, resume, and the totals are
 * exact.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
} from "node:assert/strict";
import postgres from "postgres";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startProcessor } from "../workers/consumers.ts";
import {
  kafkaTest,
  openTestLog,
  privateBroker,
  randomPrefix,
  waitUntil,
} from "./harness/kafka_env.ts";
import {
  assertExactTotals,
  ingestedRows,
  makeWorkload,
  produceWorkload,
  stockSnapshot,
  workloadSize,
} from "./harness/kafka_workload.ts";
import { randomMs, spawnProcessor } from "./harness/kafka_process.ts";

const OBSERVER = "kafka-test-observer";

const mix = (total: number) => ({
  clickstream: Math.round(total * 0.7),
  inventory: Math.round(total * 0.2),
  competitor: Math.round(total * 0.1),
});

kafkaTest(
  "kafka faults - PostgreSQL connections killed mid-ingest: the processor backs off, resumes, totals exact",
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const initial = await stockSnapshot(db.sql);
    // Large enough that ingest outlasts the first kills on a fast machine.
    const w = makeWorkload(`pgkill-${prefix}`, mix(120_000));
    const n = workloadSize(w);
    const proc = await spawnProcessor({ databaseUrl: db.url, brokers, prefix });
    // The test watches through its own connections, which it spares.
    const obs = postgres(db.url, {
      max: 2,
      onnotice: () => {},
      connection: {
        application_name: OBSERVER,
        search_path: "ecommerce, public",
      },
    });
    try {
      const producing = produceWorkload(log, prefix, w, { chunk: 3000 });
      let kills = 0;
      // Up to six kills, each while rows are still moving; once everything is
      // ingested there is nothing left to interrupt.
      for (let i = 0; i < 6; i++) {
        const before = await ingestedRows(obs);
        if (before >= n) break;
        await waitUntil(
          "rows are moving",
          async () =>
            proc.exitCode() !== null || (await ingestedRows(obs)) > before,
        );
        if (proc.exitCode() !== null) {
          throw new Error(
            `The processor died (exit ${proc.exitCode()}) after its PostgreSQL connections were killed`,
          );
        }
        // Soon after rows move, so the kill meets a batch in flight.
        await new Promise((r) => setTimeout(r, randomMs(20, 400)));
        const killed = await obs<{ n: number }[]>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = current_database() and application_name <> ${OBSERVER}`;
        kills += killed[0]!.n;
      }
      await producing;
      await waitUntil(
        `all ${n} events are ingested`,
        async () => (await ingestedRows(obs)) >= n,
        240_000,
      );
      assertEquals(kills > 0, true, "some connections were killed");
      await assertExactTotals(obs, w, initial);
      // The kills did reach the processor, and it recovered from them.
      assertMatch(
        await proc.tail(100_000),
        /batch failed; backing off|terminat/i,
      );
      assertEquals(await proc.stop(), 0, "graceful stop exits 0");
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\nprocessor log:\n${await proc.tail()}`,
      );
    } finally {
      await proc.kill();
      await obs.end();
      await log.close();
    }
  },
);

kafkaTest(
  "kafka faults - the broker stopped and started again mid-ingest: producer and consumers recover, totals exact",
  async ({ db }) => {
    const broker = await privateBroker();
    const prefix = randomPrefix();
    const log = await openTestLog(broker.brokers, prefix, {
      sessionTimeoutMs: 6000,
    });
    const initial = await stockSnapshot(db.sql);
    const config = loadConfig({
      KAFKA_BROKERS: broker.brokers,
      TOPIC_PREFIX: prefix,
    });
    const processor = await startProcessor({
      config,
      sql: db.sql,
      log,
      bus: new CommitBus(),
    });
    try {
      const w = makeWorkload(`restart-${prefix}`, mix(40_000));
      const n = workloadSize(w);
      let sent = 0;
      const producing = produceWorkload(log, prefix, w, {
        chunk: 1000,
        onSent: (k) => sent += k,
      });
      await waitUntil(
        "rows are moving",
        async () => (await ingestedRows(db.sql)) > 0,
      );
      await broker.stop(10_000);
      const sentWhileDown = sent;
      await new Promise((r) => setTimeout(r, 3000));
      await broker.restart();
      await producing;
      await waitUntil(
        `all ${n} events are ingested`,
        async () => (await ingestedRows(db.sql)) >= n,
        240_000,
      );
      assertEquals(sentWhileDown < n, true, "the broker went down mid-produce");
      await assertExactTotals(db.sql, w, initial);
    } finally {
      await processor.stop();
      await log.close();
      await broker.stop(2000);
      await Deno.remove(broker.dataDir, { recursive: true }).catch(() => {});
    }
  },
);
