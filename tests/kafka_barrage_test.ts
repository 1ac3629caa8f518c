/**
 * The bad-input barrage (issue 16): on a real broker, more than twenty kinds
 * of bad input go to every raw topic between valid events. Each lands in
 * rejected_events with its reason, every valid event is stored, and no
 * partition stops: every stored offset reaches its partition's log end.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import kafkajs from "kafkajs";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startProcessor } from "../workers/consumers.ts";
import { type StreamName, STREAMS } from "../lib/stream/topics.ts";
import type { Message } from "../lib/stream/log.ts";
import { kafkaTest, openTestLog, waitUntil } from "./harness/kafka_env.ts";
import {
  ingestedRows,
  keyOf,
  makeWorkload,
  workloadSize,
} from "./harness/kafka_workload.ts";
import type { TestDb } from "./harness/db.ts";

type Obj = Record<string, unknown>;
/** One kind of bad input: its value (null: a Kafka null value) and the reason it must get. */
interface Bad {
  kind: string;
  value: string | Uint8Array | null;
  reason: RegExp;
}

const NOT_JSON = /^payload is not valid UTF-8 JSON$/;

function nested(depth: number): unknown {
  let v: unknown = "x";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** The kinds every stream gets, built from one valid event `e` of it. */
function commonKinds(e: Obj, text: string, price: string): Bad[] {
  const json = (o: Obj) => JSON.stringify(o);
  const id = () => crypto.randomUUID();
  return [
    {
      kind: "binary",
      value: crypto.getRandomValues(new Uint8Array(300)).map((b) => b | 0x80),
      reason: NOT_JSON,
    },
    {
      kind: "invalid UTF-8",
      value: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      reason: NOT_JSON,
    },
    {
      kind: "700 KiB of 0x01",
      value: new Uint8Array(700 * 1024).fill(1),
      reason: /^payload is 716800 bytes, over the 65536 byte limit$/,
    },
    { kind: "empty", value: "", reason: NOT_JSON },
    { kind: "Kafka null", value: null, reason: NOT_JSON },
    {
      kind: "JSON null",
      value: "null",
      reason: /^payload is not a JSON object$/,
    },
    {
      kind: "JSON array",
      value: "[1,2]",
      reason: /^payload is not a JSON object$/,
    },
    {
      kind: "JSON string",
      value: '"just a string"',
      reason: /^payload is not a JSON object$/,
    },
    { kind: "trailing garbage", value: json(e) + "}}", reason: NOT_JSON },
    { kind: "broken JSON", value: '{"event_id": "', reason: NOT_JSON },
    {
      kind: "deep nesting",
      value: json({ ...e, event_id: id(), [text]: nested(3000) }),
      reason: new RegExp(`^field "${text}" must be a non-empty string`),
    },
    {
      kind: "control characters",
      value: json({ ...e, event_id: id(), [text]: "a\u0000b\u001b[31m" }),
      reason: new RegExp(`^field "${text}" contains a control character`),
    },
    {
      kind: "wrong type",
      value: json({ ...e, event_id: id(), [price]: { amount: 1 } }),
      reason: new RegExp(`^field "${price}" must be a number`),
    },
    {
      kind: "number as string",
      value: json({ ...e, event_id: id(), [price]: "12.50" }),
      reason: new RegExp(`^field "${price}" must be a number, got "12.50"`),
    },
    {
      kind: "NaN-like string",
      value: json({ ...e, event_id: id(), [price]: "NaN" }),
      reason: new RegExp(`^field "${price}" must be a number, got "NaN"`),
    },
    {
      kind: "number out of range",
      value: json({ ...e, event_id: id(), [price]: 1e300 }),
      reason: new RegExp(
        `^field "${price}" (is out of range|must be an integer), got 1e\\+300$`,
      ),
    },
    {
      kind: "unknown product",
      value: json({ ...e, event_id: id(), product_id: "P999" }),
      reason: /^field "product_id" names unknown product "P999"$/,
    },
    {
      kind: "missing event_id",
      value: json({ ...e, event_id: undefined }),
      reason: /^field "event_id" is missing$/,
    },
    {
      kind: "event_id not a UUID",
      value: json({ ...e, event_id: "12345" }),
      reason: /^field "event_id" must be a UUID/,
    },
    {
      kind: "far future",
      value: json({ ...e, event_id: id(), timestamp: "2999-01-01T00:00:00Z" }),
      reason: /^field "timestamp" is \d+ s in the future \(limit 300 s\)$/,
    },
    {
      kind: "year 0001",
      value: json({ ...e, event_id: id(), timestamp: "0001-01-01T00:00:00Z" }),
      reason: /^field "timestamp" "0001-01-01T00:00:00Z" is before 2000/,
    },
    {
      kind: "30 February",
      value: json({ ...e, event_id: id(), timestamp: "2024-02-30T10:00:00Z" }),
      reason:
        /^field "timestamp" is not a calendar time, got "2024-02-30T10:00:00Z": day 30 does not exist/,
    },
    {
      kind: "T24:00",
      value: json({ ...e, event_id: id(), timestamp: "2024-03-01T24:00:00Z" }),
      reason:
        /^field "timestamp" is not a calendar time, got .*: time 24:00:00 does not exist$/,
    },
    {
      kind: "timestamp without zone",
      value: json({ ...e, event_id: id(), timestamp: "2024-03-01T10:00:00" }),
      reason: /^field "timestamp" must be ISO-8601 with a zone/,
    },
  ];
}

/** Kinds that only make sense for one stream. */
function streamKinds(s: StreamName, e: Obj): Bad[] {
  const json = (o: Obj) =>
    JSON.stringify({ ...o, event_id: crypto.randomUUID() });
  if (s === "clickstream") {
    return [
      {
        kind: "unknown device",
        value: json({ ...e, device_type: "fridge" }),
        reason: /^field "device_type" has unknown value "fridge"/,
      },
      {
        kind: "page_view naming a product",
        value: json({ ...e, event_type: "page_view" }),
        reason: /^field "product_id" must be null for page_view/,
      },
      {
        kind: "negative price",
        value: json({ ...e, product_price: -5 }),
        reason: /^field "product_price" must be positive, got -5$/,
      },
    ];
  }
  if (s === "inventory") {
    return [
      {
        kind: "zero quantity",
        value: json({ ...e, quantity_change: 0 }),
        reason: /^field "quantity_change" must not be 0$/,
      },
      {
        kind: "fractional quantity",
        value: json({ ...e, quantity_change: 2.5 }),
        reason: /^field "quantity_change" must be an integer, got 2\.5$/,
      },
      {
        kind: "sale adding stock",
        value: json({ ...e, event_type: "stock_sold", quantity_change: 3 }),
        reason:
          /^field "quantity_change" must be negative for stock_sold, got 3$/,
      },
      {
        kind: "unknown warehouse",
        value: json({ ...e, warehouse_id: "WH-MARS" }),
        reason: /^field "warehouse_id" has unknown value "WH-MARS"$/,
      },
    ];
  }
  return [
    {
      kind: "unknown competitor",
      value: json({ ...e, competitor_name: "ShadyDeals" }),
      reason: /^field "competitor_name" has unknown value "ShadyDeals"$/,
    },
    {
      kind: "zero price",
      value: json({ ...e, competitor_price: 0 }),
      reason: /^field "competitor_price" must be positive, got 0$/,
    },
  ];
}

const FIELDS: Record<StreamName, [text: string, price: string]> = {
  clickstream: ["user_id", "product_price"],
  inventory: ["product_name", "quantity_change"],
  competitor: ["product_name", "competitor_price"],
};

/** Every bad input for stream `s`, the last one reusing `valid`'s event_id with other content. */
function barrage(s: StreamName, e: Obj, valid: Obj): Bad[] {
  const [text, price] = FIELDS[s];
  const other = { ...valid, [text]: "other content" };
  return [
    ...commonKinds(e, text, price),
    ...streamKinds(s, e),
    {
      kind: "same event_id, other content",
      value: JSON.stringify(other),
      reason:
        /^event_id "[0-9a-f-]+" is already (stored|earlier in this batch) with other content \(sha256 [0-9a-f]{64}\); this payload is sha256 [0-9a-f]{64}$/,
    },
  ];
}

/** Sends `bad` one by one between chunks of `valid`, keyed across the partitions. */
async function sendMixed(
  send: (m: Message[]) => Promise<void>,
  sendNull: (key: string) => Promise<void>,
  valid: Obj[],
  bad: Bad[],
): Promise<void> {
  const step = Math.ceil(valid.length / (bad.length + 1));
  const msg = (o: Obj): Message => ({
    key: keyOf(o),
    value: JSON.stringify(o),
  });
  await send(valid.slice(0, step).map(msg));
  for (let i = 0; i < bad.length; i++) {
    const key = keyOf(valid[i % valid.length]!) ?? "k";
    const b = bad[i]!;
    if (b.value === null) await sendNull(key);
    else await send([{ key, value: b.value }]);
    await send(valid.slice((i + 1) * step, (i + 2) * step).map(msg));
  }
}

/** Asserts each bad input of `topic` has its own rejection with the reason it must have. */
async function assertRejections(db: TestDb, topic: string, bad: Bad[]) {
  const rows = await db.sql<{ reason: string; kind: string }[]>`
    select reason, kind from rejected_events where topic = ${topic} order by "partition", "offset"`;
  const left = [...rows];
  const missing: string[] = [];
  // The most specific reasons first, so a general one cannot take their row.
  const specificFirst = [...bad].sort((a, b) =>
    b.reason.source.length - a.reason.source.length
  );
  for (const b of specificFirst) {
    const at = left.findIndex((r) => b.reason.test(r.reason));
    if (at < 0) missing.push(`${b.kind} (${b.reason})`);
    else left.splice(at, 1);
  }
  assertEquals(missing, [], `${topic}: kinds without their rejection`);
  assertEquals(
    left.map((r) => r.reason),
    [],
    `${topic}: unexpected rejections`,
  );
  assertEquals(rows.filter((r) => r.kind === "conflict").length, 1);
}

kafkaTest(
  "kafka barrage - over twenty kinds of bad input to every topic each land in rejected_events with their reason; every valid event is stored; no partition stops",
  async ({ db, brokers, prefix }) => {
    const log = await openTestLog(brokers, prefix);
    const raw = new kafkajs.Kafka({
      brokers: [brokers],
      logLevel: kafkajs.logLevel.NOTHING,
    }).producer();
    await raw.connect();
    const processor = await startProcessor({
      config: loadConfig({
        KAFKA_BROKERS: brokers,
        TOPIC_PREFIX: prefix,
        BATCH_SIZE: "50",
      }),
      sql: db.sql,
      log,
      bus: new CommitBus(),
    });
    try {
      const w = makeWorkload(`barrage-${prefix}`, {
        clickstream: 600,
        inventory: 300,
        competitor: 300,
      });
      const sent: Record<string, Bad[]> = {};
      for (const s of Object.keys(STREAMS) as StreamName[]) {
        const topic = prefix + STREAMS[s].topic;
        const valid = w[s] as unknown as Obj[];
        const e = valid.find((x) =>
          x.product_id !== null && x.event_type !== "page_view"
        )!;
        const bad = barrage(s, { ...e }, valid[0]!);
        sent[STREAMS[s].topic] = bad;
        await sendMixed(
          (m) => log.send(topic, m),
          (key) =>
            raw.send({ topic, messages: [{ key, value: null }] }).then(
              () => {},
            ),
          valid,
          bad,
        );
      }
      const badTotal = Object.values(sent).reduce((n, b) => n + b.length, 0);
      const n = workloadSize(w);
      await waitUntil(
        `${n} valid rows and ${badTotal} rejections`,
        async () => {
          const [r] = await db.sql<
            { n: number }[]
          >`select count(*)::int as n from rejected_events`;
          const rows = await ingestedRows(db.sql);
          return rows >= n && r!.n >= badTotal;
        },
      );
      assertEquals(await ingestedRows(db.sql), n, "every valid event, once");
      for (const [topic, bad] of Object.entries(sent)) {
        if (bad.length < 20) {
          throw new Error(`${topic}: only ${bad.length} kinds`);
        }
        await assertRejections(db, topic, bad);
      }
      await waitUntil(
        "every partition's stored offset reaches its log end",
        async () => {
          for (const s of Object.keys(STREAMS) as StreamName[]) {
            const topic = prefix + STREAMS[s].topic;
            const ends = await log.endOffsets(topic);
            const rows = await db.sql<
              { partition: number; next_offset: string }[]
            >`
            select "partition", next_offset from consumer_offsets where topic = ${topic}`;
            const at = new Map(
              rows.map((r) => [r.partition, Number(r.next_offset)]),
            );
            for (const [p, end] of ends) {
              if ((at.get(p) ?? 0) !== end) return false;
            }
          }
          return true;
        },
        30_000,
      );
    } finally {
      await processor.stop();
      await raw.disconnect();
      await log.close();
    }
  },
);
