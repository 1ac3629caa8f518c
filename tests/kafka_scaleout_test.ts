/**
 * Scale-out on real Kafka: a second processor joins the group mid-ingest (a
 * rebalance while batches are in flight), the two split the partitions, then
 * the first is SIGKILLed and the survivor takes every partition over. The
 * totals are exact: nothing lost, nothing counted twice.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { kafkaTest, openTestLog, waitUntil } from "./harness/kafka_env.ts";
import {
  assertExactTotals,
  ingestedRows,
  makeWorkload,
  produceWorkload,
  stockSnapshot,
  workloadSize,
} from "./harness/kafka_workload.ts";
import {
  type ProcessorProcess,
  spawnProcessor,
} from "./harness/kafka_process.ts";

const TOTAL = Number(Deno.env.get("KAFKA_SCALEOUT_EVENTS") ?? 100_000);

/** Latest clickstream assignment in a processor's log, or null. */
function lastAssignment(log: string, topic: string): number[] | null {
  const re = new RegExp(
    `partitions assigned topic=${
      topic.replaceAll(".", "\\.")
    } partitions=("?)([\\d,]*)\\1`,
    "g",
  );
  let last: number[] | null = null;
  for (const m of log.matchAll(re)) {
    last = m[2] ? m[2].split(",").map(Number) : [];
  }
  return last;
}

kafkaTest(
  `kafka scale-out - two processors split the partitions and the survivor of a SIGKILL finishes ${TOTAL} events exactly`,
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const initial = await stockSnapshot(db.sql);
    const w = makeWorkload(`scale-${prefix}`, {
      clickstream: Math.round(TOTAL * 0.7),
      inventory: Math.round(TOTAL * 0.2),
      competitor: Math.round(TOTAL * 0.1),
    });
    const n = workloadSize(w);
    const env = { databaseUrl: db.url, brokers, prefix };
    const topic = prefix + "raw.clickstream";
    const a: ProcessorProcess = await spawnProcessor(env);
    let b: ProcessorProcess | null = null;
    try {
      const producing = produceWorkload(log, prefix, w, { chunk: 5000 });
      await waitUntil(
        "the first processor commits rows",
        async () => (await ingestedRows(db.sql)) > 0,
      );
      b = await spawnProcessor(env);
      const second = b;
      await waitUntil(
        "the two processors split the clickstream partitions",
        async () => {
          const pa = lastAssignment(await a.tail(400), topic);
          const pb = lastAssignment(await second.tail(400), topic);
          return pa !== null && pb !== null && pa.length > 0 && pb.length > 0 &&
            pa.length + pb.length === 6;
        },
      );
      const atKill = await ingestedRows(db.sql);
      await a.kill();
      await waitUntil(
        "the survivor owns all six clickstream partitions",
        async () => {
          return lastAssignment(await second.tail(400), topic)?.length === 6;
        },
      );
      await producing;
      await waitUntil(
        `all ${n} events are ingested`,
        async () => (await ingestedRows(db.sql)) >= n,
        240_000,
      );
      assertEquals(atKill < n, true, "the kill happened mid-ingest");
      await assertExactTotals(db.sql, w, initial);
      assertEquals(await b.stop(), 0, "graceful stop exits 0");
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\nfirst:\n${await a
          .tail()}\nsecond:\n${await b?.tail()}`,
      );
    } finally {
      await a.kill();
      await b?.kill();
      await log.close();
    }
  },
);
