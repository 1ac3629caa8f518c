/**
 * Crash proof on real Kafka and PostgreSQL: processor subprocesses are killed
 * with SIGKILL at random moments during an ingest, then restarted; the final
 * tables equal those of one uninterrupted run (nothing lost, nothing counted
 * twice). Size: KAFKA_CRASH_EVENTS (default 200,000 events).
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

kafkaTest(
  `kafka crash - a processor SIGKILLed 4 times during ${TOTAL} events loses nothing and counts nothing twice`,
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const initial = await stockSnapshot(db.sql);
    const w = crashWorkload(`crash-${prefix}`);
    const n = workloadSize(w);
    const env = { databaseUrl: db.url, brokers, prefix };
    let proc: ProcessorProcess = await spawnProcessor(env);
    try {
      const producing = produceWorkload(log, prefix, w, { chunk: 5000 });
      const seen: number[] = [];
      for (let kill = 0; kill < 4; kill++) {
        // Kill only once rows are moving, so each kill lands mid-ingest.
        const before = await ingestedRows(db.sql);
        await waitUntil(
          "the processor commits rows",
          async () => (await ingestedRows(db.sql)) > before,
        );
        await new Promise((r) => setTimeout(r, randomMs(200, 2500)));
        await proc.kill();
        seen.push(await ingestedRows(db.sql));
        proc = await spawnProcessor(env);
      }
      await producing;
      await waitUntil(
        `all ${n} events are ingested`,
        async () => (await ingestedRows(db.sql)) >= n,
        240_000,
      );
      // Every kill happened before the end, with work still to do.
      assertEquals(seen.every((s) => s < n), true, `rows at kills: ${seen}`);
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
