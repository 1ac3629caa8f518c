import { deepStrictEqual as assertEquals, rejects } from "node:assert/strict";
import { Partitioners } from "kafkajs";
import { FileLog } from "./file_log.ts";
import { partitionFor } from "./partitioner.ts";
import type { LogRecord } from "./log.ts";
import { PRODUCTS } from "../catalog.ts";

const dec = new TextDecoder();
const topics = [{ name: "t", partitions: 3 }];

async function collect(
  log: FileLog,
  from: Map<number, number>,
  want: number,
): Promise<LogRecord[]> {
  const got: LogRecord[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => done = r);
  const c = await log.consume({
    groupId: "g",
    topic: "t",
    maxBatchSize: 7,
    maxWaitMs: 5,
    loadOffsets: () => Promise.resolve(from),
    handleBatch: (records) => {
      got.push(...records);
      if (got.length >= want) done();
      return Promise.resolve();
    },
  });
  await all;
  await c.stop();
  return got;
}

Deno.test("file log - partitions keys exactly as Kafka's default partitioner does", () => {
  const kafka = Partitioners.DefaultPartitioner();
  for (const count of [3, 6]) {
    const partitionMetadata = Array.from(
      { length: count },
      (_, i) => ({ partitionId: i, leader: 0 }),
    );
    for (const p of PRODUCTS) {
      const expected = kafka(
        {
          topic: "x",
          partitionMetadata,
          message: { key: p.id, value: "" },
        } as never,
      );
      assertEquals(
        partitionFor(p.id, count),
        expected,
        `${p.id} over ${count}`,
      );
    }
  }
});

Deno.test("file log - survives a restart and drops a torn last frame", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = new FileLog(dir);
    await a.ensureTopics(topics);
    await a.send(
      "t",
      Array.from(
        { length: 100 },
        (_, i) => ({ key: `k${i % 10}`, value: `v${i}` }),
      ),
    );
    const ends = await a.endOffsets("t");
    await a.close();
    // A crash mid-append leaves half a frame at the end of one file.
    const f = await Deno.open(`${dir}/t/0.log`, { append: true });
    await f.write(new Uint8Array([0, 0, 0, 3, 0, 0]));
    f.close();
    const b = new FileLog(dir);
    await b.ensureTopics(topics);
    assertEquals(await b.endOffsets("t"), ends);
    const records = await collect(b, new Map(), 100);
    assertEquals(
      records.map((r) => dec.decode(r.value)).sort(),
      Array.from({ length: 100 }, (_, i) => `v${i}`).sort(),
    );
    await b.send("t", [{ key: "k1", value: "after" }]);
    await b.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file log - a consumer resumes from the stored offsets, in order per partition", async () => {
  const log = new FileLog();
  await log.ensureTopics(topics);
  await log.send(
    "t",
    Array.from(
      { length: 60 },
      (_, i) => ({ key: `k${i % 6}`, value: String(i) }),
    ),
  );
  const ends = await log.endOffsets("t");
  const from = new Map([...ends].map(([p, end]) => [p, Math.floor(end / 2)]));
  const want = [...ends].reduce((n, [p, end]) => n + end - from.get(p)!, 0);
  const records = await collect(log, from, want);
  assertEquals(records.length, want);
  for (const [p, start] of from) {
    const offsets = records.filter((r) => r.partition === p).map((r) =>
      r.offset
    );
    assertEquals(
      offsets,
      Array.from({ length: ends.get(p)! - start }, (_, i) => start + i),
    );
  }
  await log.close();
});

Deno.test("file log - a failed batch is read again from the stored offsets, never skipped", async () => {
  const log = new FileLog();
  await log.ensureTopics(topics);
  await log.send(
    "t",
    Array.from({ length: 30 }, (_, i) => ({ key: null, value: String(i) })),
  );
  let failures = 2;
  const committed: string[] = [];
  let finished!: () => void;
  const all = new Promise<void>((r) => finished = r);
  const c = await log.consume({
    groupId: "g",
    topic: "t",
    maxBatchSize: 10,
    maxWaitMs: 1,
    loadOffsets: () => Promise.resolve(new Map()),
    handleBatch: (records) => {
      if (failures-- > 0) return Promise.reject(new Error("database down"));
      committed.push(...records.map((r) => dec.decode(r.value)));
      if (committed.length >= 30) finished();
      return Promise.resolve();
    },
  });
  await all;
  await c.stop();
  // The offsets never advanced during the failures, so the retry restarts at the beginning.
  assertEquals(
    committed.sort(),
    Array.from({ length: 30 }, (_, i) => String(i)).sort(),
  );
  await log.close();
});

Deno.test("file log - refuses a wrong partition count and a second consumer of one group", async () => {
  const log = new FileLog();
  await log.ensureTopics(topics);
  await rejects(
    log.ensureTopics([{ name: "t", partitions: 6 }]),
    /has 3 partitions, expected 6/,
  );
  const opts = {
    groupId: "g",
    topic: "t",
    maxBatchSize: 1,
    maxWaitMs: 1,
    loadOffsets: () => Promise.resolve(new Map()),
    handleBatch: () => Promise.resolve(),
  };
  const c = await log.consume(opts);
  await rejects(log.consume(opts), /already consumes/);
  await c.stop();
  await log.close();
});
