/**
 * Crash proof on real Kafka and PostgreSQL: processor subprocesses are killed
 * with SIGKILL at random moments during an ingest (at least twice while rows
 * are still coming in, at most four times), then restarted; the final tables
 * equal those of one uninterrupted run (nothing lost, nothing counted twice).
 * Size: KAFKA_CRASH_EVENTS (default 200,000 events).
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { kafkaTest, openTestLog, waitUntil } from "./harness/kafka_env.ts";
import {
  assertExactTotals,
  ingestedRows,
  makeWorkload,
  produceWorkload,
  stockSnapshot,
  type Workload,
  workloadSize,
} from "./harness/kafka_workload.ts";
import {
  type ProcessorProcess,
  randomMs,
  spawnProcessor,
} from "./harness/kafka_process.ts";

const TOTAL = Number(Deno.env.get("KAFKA_CRASH_EVENTS") ?? 200_000);

function crashWorkload(seed: string): Workload {
  return makeWorkload(seed, {
    clickstream: Math.round(TOTAL * 0.7),
    inventory: Math.round(TOTAL * 0.2),
    competitor: Math.round(TOTAL * 0.1),
  });
}

/** Kills at most this many times, and needs this many to land mid-ingest. */
const KILLS = 4;
const MIN_KILLS = 2;

kafkaTest(
  `kafka crash - a processor SIGKILLed ${MIN_KILLS} to ${KILLS} times during ${TOTAL} events loses nothing and counts nothing twice`,
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const initial = await stockSnapshot(db.sql);
    const w = crashWorkload(`crash-${prefix}`);
    const n = workloadSize(w);
    const env = { databaseUrl: db.url, brokers, prefix };
    let proc: ProcessorProcess = await spawnProcessor(env);
    try {
      const producing = produceWorkload(log, prefix, w, { chunk: 5000 });
      // Ingest is fast enough to finish before four kills: stop killing once
      // everything is in, but only kills that land mid-ingest count.
      const seen: number[] = [];
      while (seen.length < KILLS) {
        const before = await ingestedRows(db.sql);
        if (before >= n) break;
        // Kill only once rows are moving, so each kill lands mid-ingest.
        await waitUntil(
          "the processor commits rows (or has ingested everything)",
          async () => (await ingestedRows(db.sql)) > before,
        );
        await new Promise((r) => setTimeout(r, randomMs(200, 1500)));
        const atKill = await ingestedRows(db.sql);
        await proc.kill();
        proc = await spawnProcessor(env);
        if (atKill >= n) break;
        seen.push(atKill);
      }
      await producing;
      await waitUntil(
        `all ${n} events are ingested`,
        async () => (await ingestedRows(db.sql)) >= n,
        240_000,
      );
      assertEquals(
        seen.length >= MIN_KILLS,
        true,
        `only ${seen.length} kills landed mid-ingest (rows at kills: ${seen}); make KAFKA_CRASH_EVENTS larger`,
      );
      await assertExactTotals(db.sql, w, initial);
      assertEquals(await proc.stop(), 0, "graceful stop exits 0");
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\nprocessor log:\n${await proc.tail()}`,
      );
    } finally {
      await proc.kill();
      await log.close();
    }
  },
);
