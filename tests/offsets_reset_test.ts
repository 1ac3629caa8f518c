/**
 * Offsets ahead of the log (issue 16, item 2): after the embedded log is
 * lost while PostgreSQL keeps its offsets, the consumer refuses the
 * partitions whose stored offset is past the log end, with one sentence,
 * instead of skipping what comes next; `offsets:reset` lets them start again,
 * and a rejection at a reused position is stored, not lost.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
} from "node:assert/strict";
import { dbTest, type TestDb } from "./harness/db.ts";
import { seededEvents } from "./harness/events.ts";
import { until } from "../dev/wait.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { STREAMS, topicSpecs } from "../lib/stream/topics.ts";
import { partitionFor } from "../lib/stream/partitioner.ts";
import { startWorker } from "../lib/ingest/worker.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { resetOffsets } from "../lib/ingest/offset_reset.ts";
import { CommitBus } from "../lib/feed/bus.ts";

const TOPIC = STREAMS.clickstream.topic;
const GROUP = "ingest.clickstream";

async function worker(db: TestDb, log: FileLog, refusals: string[]) {
  return startWorker({
    log,
    sql: db.sql,
    stream: "clickstream",
    reference: await loadReference(db.sql),
    bus: new CommitBus(),
    topicPrefix: "",
    batchSize: 100,
    batchWaitMs: 5,
    onRefuse: (_p, reason) => refusals.push(reason),
  });
}

async function rows(db: TestDb): Promise<number> {
  const [r] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from clickstream_events`;
  return r!.n;
}

async function consumedEnd(db: TestDb, log: FileLog, skip: number) {
  const ends = await log.endOffsets(TOPIC);
  const stored = await db.sql<{ partition: number; next_offset: string }[]>`
    select "partition", next_offset from consumer_offsets where consumer_group = ${GROUP}`;
  const at = new Map(stored.map((r) => [r.partition, Number(r.next_offset)]));
  return [...ends].every(([p, end]) => p === skip || at.get(p) === end);
}

dbTest(
  "offsets - a stored offset past the log end stops that partition with one sentence; offsets:reset starts it again and a reused position keeps its new rejection",
  async (db) => {
    const dir = await Deno.makeTempDir({ prefix: "offsets_reset_" });
    const events = seededEvents("clickstream", 400, "reset")
      .filter((e) => e.product_id !== null);
    const p0 = events.filter((e) => partitionFor(e.product_id, 6) === 0);
    const key0 = p0[0]!.product_id;
    // The database outlived its log: partition 0 stood at 10,000, and a
    // rejection was recorded at its offset 0.
    await db.sql`
      insert into consumer_offsets (consumer_group, topic, "partition", next_offset)
      values (${GROUP}, ${TOPIC}, 0, 10000)`;
    await db.sql`
      insert into rejected_events (topic, "partition", "offset", payload, reason)
      values (${TOPIC}, 0, 0, 'old', 'an old rejection')`;
    let log = new FileLog(`${dir}/log`, { fsync: "never" });
    await log.ensureTopics(topicSpecs());
    await log.send(TOPIC, [{ key: key0, value: "{broken" }]);
    await log.send(
      TOPIC,
      events.map((e) => ({ key: e.product_id, value: JSON.stringify(e) })),
    );
    const refusals: string[] = [];
    let w = await worker(db, log, refusals);
    await until(
      "the other partitions are consumed",
      () => consumedEnd(db, log, 0),
    );
    // Events appended to the refused partition are not read either (before,
    // they were, while everything below the stored offset was skipped).
    const later = p0.slice(0, 5).map((e) => ({
      ...e,
      event_id: crypto.randomUUID(),
    }));
    await log.send(
      TOPIC,
      later.map((e) => ({ key: e.product_id, value: JSON.stringify(e) })),
    );
    await new Promise((r) => setTimeout(r, 500));
    assertEquals(await rows(db), events.length - p0.length);
    assertEquals(refusals.length, 1);
    assertMatch(
      refusals[0]!,
      /^Cannot consume "raw\.clickstream" partition 0: its stored offset 10000 is past the log end \d+, .* run "deno task offsets:reset --topic raw\.clickstream"/,
    );
    await w.stop();
    await log.close();

    log = new FileLog(`${dir}/log`, { fsync: "never" });
    await log.ensureTopics(topicSpecs());
    const moved = await resetOffsets(db.sql, log, {
      topic: TOPIC,
      prefix: "",
      to: "earliest",
    });
    assertEquals(moved.find((m) => m.partition === 0), {
      partition: 0,
      from: 10000,
      to: 0,
    });
    w = await worker(db, log, refusals);
    await until("every partition is consumed", () => consumedEnd(db, log, -1));
    await w.stop();
    await log.close();
    await Deno.remove(dir, { recursive: true });
    assertEquals(await rows(db), events.length + later.length);
    const rejected = await db.sql<{ reason: string; old: boolean }[]>`
      select reason, superseded_at is not null as old from rejected_events
      where topic = ${TOPIC} and "partition" = 0 and "offset" = 0 order by id`;
    assertEquals(rejected.map((r) => r.old), [true, false]);
    assertMatch(rejected[1]!.reason, /not valid UTF-8 JSON/);
    const [regressions] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from consumer_offset_regressions`;
    assertEquals(regressions!.n, 0, "an asked-for reset is not a regression");
  },
);
