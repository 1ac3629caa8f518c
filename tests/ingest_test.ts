import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest, type TestDb } from "./harness/db.ts";
import {
  asRecords,
  assertMetricsMatch,
  expectedMetrics,
  seededEvents,
} from "./harness/events.ts";
import { until, untilConsumed } from "../dev/wait.ts";
import { ingestBatch, type SinkOptions } from "../lib/ingest/sink.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { groupId, startWorker } from "../lib/ingest/worker.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { connect } from "../lib/db/mod.ts";
import { type StreamName, STREAMS, topicSpecs } from "../lib/stream/topics.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import type { LogRecord } from "../lib/stream/log.ts";
import { ensureModels } from "../lib/models/build.ts";

async function sink(db: TestDb, stream: StreamName): Promise<SinkOptions> {
  const { topic } = STREAMS[stream];
  return {
    sql: db.sql,
    stream,
    topic,
    offsetTopic: topic,
    groupId: groupId("", stream),
    reference: await loadReference(db.sql),
  };
}

/** A clickstream worker on `log` writing to the test's database. */
async function clickWorker(
  db: TestDb,
  log: FileLog,
  batchSize: number,
  batchWaitMs: number,
) {
  return startWorker({
    log,
    sql: db.sql,
    stream: "clickstream",
    reference: await loadReference(db.sql),
    bus: new CommitBus(),
    topicPrefix: "",
    batchSize,
    batchWaitMs,
  });
}

/** Everything a batch can change, as comparable text. */
async function snapshot(db: TestDb): Promise<string> {
  const tables = [
    "clickstream_events",
    "inventory_events",
    "inventory_state",
    "product_metrics",
    "competitor_prices",
    "competitor_price_history",
    "rejected_events",
    "consumer_offsets",
  ];
  const parts: string[] = [];
  for (const t of tables) {
    const [r] = await db.sql.unsafe(
      `select count(*) as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h
       from (select * from ${t}) x`.replace(
        "select * from",
        `select ${cols(t)} from`,
      ),
    );
    parts.push(`${t}:${r!.n}:${r!.h}`);
  }
  return parts.join("\n");
}

// Bookkeeping timestamps (when a row was written) legitimately differ; the data must not.
function cols(table: string): string {
  const skip: Record<string, string> = {
    clickstream_events: "event_id, product_id, event_type, product_price",
    inventory_events: "event_id, applied, stock_after, refusal_reason",
    inventory_state: "product_id, warehouse_id, current_stock",
    product_metrics:
      "product_id, total_views, total_cart_adds, total_purchases, conversion_rate, revenue",
    competitor_prices:
      "product_id, competitor_name, competitor_price, event_id",
    competitor_price_history: "event_id, competitor_price",
    rejected_events: 'topic, "partition", "offset", reason, kind',
    consumer_offsets: 'consumer_group, topic, "partition", next_offset',
  };
  return skip[table]!;
}

dbTest(
  "ingest - replaying the same batches twice leaves every table unchanged the second time",
  async (db) => {
    const batches: [StreamName, LogRecord[]][] = [
      [
        "clickstream",
        asRecords("clickstream", [
          ...seededEvents("clickstream", 400, "replay"),
          "{broken",
        ]),
      ],
      [
        "inventory",
        asRecords("inventory", seededEvents("inventory", 200, "replay")),
      ],
      [
        "competitor",
        asRecords("competitor", seededEvents("competitor", 100, "replay")),
      ],
    ];
    for (const [stream, records] of batches) {
      await ingestBatch(await sink(db, stream), records);
    }
    const first = await snapshot(db);
    for (const [stream, records] of batches) {
      const again = await ingestBatch(await sink(db, stream), records);
      assertEquals(
        again.accepted,
        0,
        `${stream}: a redelivered batch adds nothing`,
      );
    }
    assertEquals(await snapshot(db), first);
  },
  ["postgres", "pglite"],
);

dbTest(
  "ingest - product_metrics equal the counts of the clickstream, each event once",
  async (db) => {
    const events = seededEvents("clickstream", 3000, "metrics");
    const records = asRecords("clickstream", [
      ...events,
      ...events.slice(0, 500),
    ]); // 500 duplicates
    const s = await sink(db, "clickstream");
    for (let i = 0; i < records.length; i += 250) {
      await ingestBatch(s, records.slice(i, i + 250));
    }
    await assertMetricsMatch(db.sql, events);
  },
);

dbTest(
  "ingest - a move that would take stock below zero is refused and recorded, the rest applied",
  async (db) => {
    const [base] = seededEvents("inventory", 1, "neg");
    const move = (q: number) => ({
      ...base!,
      event_id: crypto.randomUUID(),
      quantity_change: q,
    });
    const moves = [move(-60), move(-50), move(-40), move(25)]; // from 100: 40, refused, 0, 25
    await ingestBatch(
      await sink(db, "inventory"),
      asRecords("inventory", moves),
    );
    const [state] = await db.sql<{ current_stock: number }[]>`
    select current_stock from inventory_state where product_id = ${
      base!.product_id
    }
      and warehouse_id = ${base!.warehouse_id}`;
    assertEquals(state!.current_stock, 25);
    const refused = await db.sql<
      { event_id: string; reason: string; field: string; kind: string }[]
    >`
    select event_id, reason, field, kind from rejected_events`;
    assertEquals(refused.length, 1);
    assertEquals([refused[0]!.event_id, refused[0]!.field, refused[0]!.kind], [
      moves[1]!.event_id,
      "quantity_change",
      "refused",
    ]);
    match(refused[0]!.reason, /from 40 to -10; stock cannot go below zero/);
    const [ev] = await db.sql<{ applied: boolean; refusal_reason: string }[]>`
    select applied, refusal_reason from inventory_events where event_id = ${
      moves[1]!.event_id
    }`;
    assertEquals(ev!.applied, false);
    // Every move is stored with what happened to it, in log order.
    const stored = await db.sql<
      { event_id: string; applied: boolean; stock_after: number }[]
    >`
      select event_id::text, applied, stock_after from inventory_events where event_id = any(${
      moves.map((m) => m.event_id)
    }::uuid[])`;
    const byId = new Map(
      stored.map((r) => [r.event_id, [r.applied, r.stock_after]]),
    );
    assertEquals(moves.map((m) => byId.get(m.event_id)), [
      [true, 40],
      [false, 40],
      [true, 0],
      [true, 25],
    ]);
  },
);

dbTest(
  "ingest - an older competitor observation arriving late does not replace the latest price",
  async (db) => {
    const [e] = seededEvents("competitor", 1, "late");
    const newer = {
      ...e!,
      event_id: crypto.randomUUID(),
      competitor_price: 111.11,
      timestamp: new Date(Date.now() - 1000).toISOString(),
    };
    const older = {
      ...e!,
      event_id: crypto.randomUUID(),
      competitor_price: 99.99,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
    };
    const s = await sink(db, "competitor");
    await ingestBatch(s, asRecords("competitor", [newer]));
    await ingestBatch(s, asRecords("competitor", [older], 1));
    const [latest] = await db.sql<{ competitor_price: string }[]>`
    select competitor_price from competitor_prices where product_id = ${
      e!.product_id
    }
      and competitor_name = ${e!.competitor_name}`;
    assertEquals(latest!.competitor_price, "111.11");
    const [h] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from competitor_price_history`;
    assertEquals(h!.n, 2);
  },
);

dbTest(
  "ingest - a dead-letter send that fails does not block the batch: rejections are stored and counted",
  async (db) => {
    const s = {
      ...(await sink(db, "clickstream")),
      deadLetter: () => Promise.reject(new Error("broker refused the DLQ")),
    };
    const records = asRecords("clickstream", [
      ...seededEvents("clickstream", 20, "dlq-down"),
      "{broken",
    ]);
    const summary = await ingestBatch(s, records);
    assertEquals([summary.accepted, summary.rejected], [20, 1]);
    assertEquals(summary.deadLetterFailed, 1);
    const [r] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from rejected_events`;
    assertEquals(r!.n, 1);
  },
);

dbTest(
  "ingest - two competitor observations with the same timestamp end with the larger event id, in either order",
  async (db) => {
    const [e] = seededEvents("competitor", 1, "tie");
    const at = new Date(Date.now() - 1000).toISOString();
    const small = {
      ...e!,
      event_id: "00000000-0000-4000-8000-000000000001",
      competitor_price: 10.01,
      timestamp: at,
    };
    const large = {
      ...e!,
      event_id: "ffffffff-ffff-4fff-bfff-fffffffffff1",
      competitor_price: 20.02,
      timestamp: at,
    };
    const s = await sink(db, "competitor");
    // The larger id first: "last processed wins" would keep the smaller one.
    await ingestBatch(s, asRecords("competitor", [large]));
    await ingestBatch(s, asRecords("competitor", [small], 1));
    const [latest] = await db.sql<{ competitor_price: string }[]>`
      select competitor_price from competitor_prices
      where product_id = ${e!.product_id} and competitor_name = ${
      e!
        .competitor_name
    }`;
    assertEquals(latest!.competitor_price, "20.02");
    await ensureModels(db.sql);
    const [view] = await db.sql<{ competitor_price: string }[]>`
      select competitor_price from stg_competitor_prices
      where product_id = ${e!.product_id} and competitor_name = ${
      e!
        .competitor_name
    }`;
    assertEquals(view!.competitor_price, latest!.competitor_price);
  },
);

dbTest(
  "ingest worker - every invalid kind goes to the DLQ and rejected_events with its reason; valid ones land",
  async (db) => {
    const log = new FileLog();
    await log.ensureTopics(topicSpecs());
    const valid = seededEvents("clickstream", 50, "poison");
    const good = valid.find((e) => e.event_type === "product_view")!;
    const poison: [unknown, RegExp, string | null][] = [
      ["{not json", /not valid UTF-8 JSON/, null],
      [
        { ...good, event_id: crypto.randomUUID(), event_type: undefined },
        /"event_type" is missing/,
        "event_type",
      ],
      [
        { ...good, event_id: crypto.randomUUID(), product_price: "cheap" },
        /"product_price" must be a number/,
        "product_price",
      ],
      [
        {
          ...good,
          event_id: crypto.randomUUID(),
          event_type: "product_view",
          product_id: "P404",
        },
        /unknown product "P404"/,
        "product_id",
      ],
      [
        {
          ...good,
          event_id: crypto.randomUUID(),
          event_type: "purchase",
          product_id: "P001",
          product_price: 0,
        },
        /must be positive/,
        "product_price",
      ],
      [
        {
          ...good,
          event_id: crypto.randomUUID(),
          timestamp: new Date(Date.now() + 3600_000).toISOString(),
        },
        /in the future/,
        "timestamp",
      ],
      ["x".repeat(1024 * 1024), /over the 65536 byte limit/, null],
    ];
    const topic = STREAMS.clickstream.topic;
    await log.send(
      topic,
      [...valid, ...poison.map((p) => p[0])].map((v) => ({
        key: typeof v === "object"
          ? (v as { product_id: string }).product_id
          : null,
        value: typeof v === "string" ? v : JSON.stringify(v),
      })),
    );
    const w = await clickWorker(db, log, 20, 5);
    await untilConsumed(db.sql, log, groupId("", "clickstream"), topic);
    await w.stop();
    const rejected = await db.sql<
      { reason: string; field: string | null; payload: string }[]
    >`
    select reason, field, payload from rejected_events order by "partition", "offset"`;
    assertEquals(rejected.length, poison.length);
    for (const [payload, reason, field] of poison) {
      const text = typeof payload === "string"
        ? payload
        : JSON.stringify(payload);
      const row = rejected.find((r) =>
        r.payload.startsWith(text.slice(0, 200))
      );
      ok(row, `no rejection stored for ${text.slice(0, 60)}`);
      match(row.reason, reason);
      assertEquals(row.field, field);
    }
    const [n] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from clickstream_events`;
    assertEquals(n!.n, valid.length);
    const dlq = await log.endOffsets(`dlq.${topic}`);
    assertEquals(dlq.get(0), poison.length);
    await log.close();
  },
);

dbTest(
  "ingest worker - a record the database refuses is isolated, rejected with its reason, and the rest go in",
  async (db) => {
    // This test's own database gets a constraint the validator does not know about.
    await db
      .sql`alter table clickstream_events add constraint no_poison check (user_id <> 'user_poison')`;
    const log = new FileLog();
    await log.ensureTopics(topicSpecs());
    const events = seededEvents("clickstream", 64, "isolate");
    events[37] = { ...events[37]!, user_id: "user_poison" };
    const topic = STREAMS.clickstream.topic;
    await log.send(
      topic,
      events.map((e) => ({ key: e.product_id, value: JSON.stringify(e) })),
    );
    const w = await clickWorker(db, log, 64, 20);
    await untilConsumed(db.sql, log, groupId("", "clickstream"), topic);
    await w.stop();
    const [n] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from clickstream_events`;
    assertEquals(n!.n, 63);
    const [r] = await db.sql<
      { reason: string }[]
    >`select reason from rejected_events`;
    match(r!.reason, /database refused the event: .*no_poison/);
    await until(
      "the DLQ copy",
      async () => (await log.endOffsets(`dlq.${topic}`)).get(0) === 1,
    );
    await log.close();
  },
);

dbTest(
  "ingest worker - connections killed mid-ingest: the worker backs off, resumes, and totals are exact",
  async (db) => {
    const log = new FileLog();
    await log.ensureTopics(topicSpecs());
    const events = seededEvents("clickstream", 20_000, "outage");
    const topic = STREAMS.clickstream.topic;
    const w = await clickWorker(db, log, 200, 5);
    const dbName = new URL(db.url).pathname.slice(1);
    const admin = connect({
      url: db.url,
      max: 1,
    });
    let killed = 0;
    for (let i = 0; i < events.length; i += 2000) {
      await log.send(
        topic,
        events.slice(i, i + 2000).map((e) => ({
          key: e.product_id,
          value: JSON.stringify(e),
        })),
      );
      const [k] = await admin<{ n: number }[]>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = ${dbName} and pid <> pg_backend_pid()`;
      killed += k!.n;
      await new Promise((r) => setTimeout(r, 50));
    }
    ok(killed > 0, "no connection was killed; the test proved nothing");
    await untilConsumed(db.sql, log, groupId("", "clickstream"), topic, {
      timeoutMs: 120_000,
    });
    await w.stop();
    const want = expectedMetrics(events);
    const [n] = await db.sql<{ n: number; v: string; p: string }[]>`
    select (select count(*)::int from clickstream_events) as n,
           (select sum(total_views)::text from product_metrics) as v,
           (select sum(total_purchases)::text from product_metrics) as p`;
    const sum = (m: Map<string, number>) =>
      [...m.values()].reduce((a, b) => a + b, 0);
    assertEquals([n!.n, Number(n!.v), Number(n!.p)], [
      want.clicks,
      sum(want.views),
      sum(want.purchases),
    ]);
    await admin.end();
    await log.close();
  },
);
