/**
 * COPY inside `sql.begin` when the server refuses the data mid-stream
 * (postgres.js#1173: the transaction never settled). lib/db/copy.ts must
 * reject promptly with the server's error, roll the transaction back and
 * leave the connection usable; the worker must then split the batch and
 * isolate the refused record like any other data error.
 */
import {
  deepStrictEqual as assertEquals,
  match,
  ok,
  rejects,
} from "node:assert/strict";
import { dbTest, type TestDb } from "./harness/db.ts";
import {
  asRecords,
  assertMetricsMatch,
  seededEvents,
} from "./harness/events.ts";
import { until, untilConsumed } from "../dev/wait.ts";
import { copyIn } from "../lib/db/copy.ts";
import { connect } from "../lib/db/mod.ts";
import { contentHash } from "../lib/ingest/content.ts";
import { parseEvent } from "../lib/events/schema.ts";
import { ingestBatch, type SinkOptions } from "../lib/ingest/sink.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { groupId, startWorker } from "../lib/ingest/worker.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { STREAMS, topicSpecs } from "../lib/stream/topics.ts";
import { CommitBus } from "../lib/feed/bus.ts";

/** `promise`, or an error naming `what` after `ms`. */
function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} did not settle within ${ms} ms`)),
        ms,
      );
    }),
  ]);
}

dbTest(
  "copy - a COPY the server refuses mid-stream rejects at once, rolls back and leaves the connection usable",
  async (db) => {
    const sql = connect({ url: db.url, max: 1 });
    try {
      await sql`create table copy_target (n int check (n <> 5000))`;
      const rows = Array.from({ length: 10_000 }, (_, i) => `${i}\n`).join("");
      const t0 = performance.now();
      await rejects(
        within(
          "the refused COPY",
          5_000,
          sql.begin(async (tx) => {
            await tx`insert into copy_target values (1)`;
            await copyIn(tx, "copy copy_target from stdin", rows);
          }),
        ),
        (err: { code?: string }) => err.code === "23514",
      );
      ok(performance.now() - t0 < 5_000);
      // Rolled back: the insert before the COPY is gone, and the one
      // connection of the pool answers the next query.
      const [c] = await within(
        "the next query",
        5_000,
        sql<{ n: number }[]>`select count(*)::int as n from copy_target`,
      );
      assertEquals(c!.n, 0);
      await sql.begin(async (tx) => {
        await copyIn(tx, "copy copy_target from stdin", "1\n2\n");
      });
      const [d] = await sql<
        { n: number }[]
      >`select count(*)::int as n from copy_target`;
      assertEquals(d!.n, 2);
    } finally {
      await sql.end({ timeout: 1 });
    }
  },
);

/**
 * clickstream_events refuses one user id on this database, so the sink's
 * COPY (straight into the table, behind a savepoint) is refused in the
 * middle of a 4,000-row batch.
 */
async function refusingTable(db: TestDb) {
  const sql = connect({ url: db.url, max: 1 });
  await sql`alter table clickstream_events
    add constraint no_poison check (user_id <> 'user_poison')`;
  return sql;
}

dbTest(
  "copy - a batch whose COPY is refused mid-stream is split: the refused record is rejected, the rest committed once",
  async (db) => {
    const sql = await refusingTable(db);
    const log = new FileLog();
    try {
      await log.ensureTopics(topicSpecs());
      const events = seededEvents("clickstream", 4_000, "copy-refused");
      events[2_345] = { ...events[2_345]!, user_id: "user_poison" };
      const topic = STREAMS.clickstream.topic;
      await log.send(
        topic,
        events.map((e) => ({ key: e.product_id, value: JSON.stringify(e) })),
      );
      const w = await startWorker({
        log,
        sql,
        stream: "clickstream",
        reference: await loadReference(sql),
        bus: new CommitBus(),
        topicPrefix: "",
        batchSize: 4_000,
        batchWaitMs: 20,
      });
      await untilConsumed(sql, log, groupId("", "clickstream"), topic, {
        timeoutMs: 30_000,
      });
      await w.stop();
      const [n] = await sql<{ n: number; p: number }[]>`
      select (select count(*)::int from clickstream_events) as n,
             (select count(*)::int from clickstream_events where user_id = 'user_poison') as p`;
      assertEquals([n!.n, n!.p], [3_999, 0]);
      const rejected = await sql<{ payload: string; reason: string }[]>`
      select payload, reason from rejected_events`;
      assertEquals(rejected.length, 1);
      ok(rejected[0]!.payload.includes('"user_poison"'));
      match(
        rejected[0]!.reason,
        /database refused the event: .*check constraint/,
      );
      await until(
        "the DLQ copy",
        async () => (await log.endOffsets(`dlq.${topic}`)).get(0) === 1,
      );
    } finally {
      await log.close();
      await sql.end({ timeout: 1 });
    }
  },
);

dbTest(
  "copy - a clickstream batch goes straight into its table; one with stored events goes the staged way, each event counted once",
  async (db) => {
    const sql = connect({ url: db.url, max: 1 });
    try {
      const s: SinkOptions = {
        sql,
        stream: "clickstream",
        topic: STREAMS.clickstream.topic,
        offsetTopic: STREAMS.clickstream.topic,
        groupId: groupId("", "clickstream"),
        reference: await loadReference(sql),
      };
      const events = seededEvents("clickstream", 3_000, "copy-straight");
      // The session's staging table exists once a batch was staged.
      const staged = async () =>
        (await sql<{ t: string | null }[]>`
          select to_regclass('pg_temp.stage_clickstream')::text as t`)[0]!.t !==
          null;
      const first = await ingestBatch(
        s,
        asRecords("clickstream", events.slice(0, 2_000)),
      );
      assertEquals([first.accepted, first.duplicates, await staged()], [
        2_000,
        0,
        false,
      ]);
      await assertMetricsMatch(sql, events.slice(0, 2_000));
      // The stored content hash is that of the validated event.
      const [r] = asRecords("clickstream", [events[0]]);
      const parsed = parseEvent("clickstream", r!.value, s.reference);
      ok(parsed.ok);
      const [h] = await sql<{ hash: string }[]>`
        select encode(content_hash, 'hex') as hash from clickstream_events
        where event_id = ${events[0]!.event_id}`;
      assertEquals(h!.hash, contentHash(parsed.event));
      // Half stored, half new: the COPY meets a stored event_id and is
      // taken back; the staged insert adds only the new ones.
      const second = await ingestBatch(
        s,
        asRecords("clickstream", events.slice(1_000), 2_000),
      );
      assertEquals([second.accepted, second.duplicates, await staged()], [
        1_000,
        1_000,
        true,
      ]);
      await assertMetricsMatch(sql, events);
    } finally {
      await sql.end({ timeout: 1 });
    }
  },
);
