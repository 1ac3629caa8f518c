import {
  deepStrictEqual as assertEquals,
  ok,
  rejects,
} from "node:assert/strict";
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
    const f = await Deno.open(`${dir}/t/0/${"0".repeat(20)}.log`, {
      append: true,
    });
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

/** Runs a second Deno process that opens the log at `dir` and, if it can, holds it. */
function otherProcess(dir: string): Deno.ChildProcess {
  const code = `
    const { FileLog } = await import(${
    JSON.stringify(new URL("./file_log.ts", import.meta.url).href)
  });
    const log = new FileLog(${JSON.stringify(dir)});
    await log.ensureTopics([{ name: "t", partitions: 1 }]);
    await Deno.stdout.write(new TextEncoder().encode("locked\\n"));
    setInterval(() => {}, 60_000);
  `;
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value);
  }
  reader.releaseLock();
  return text.split("\n")[0]!;
}

Deno.test("file log - a second process cannot open a folder in use, and a killed holder leaves no stale lock", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lock_" });
  try {
    const mine = new FileLog(dir);
    await mine.ensureTopics(topics);
    const refused = await otherProcess(dir).output();
    assertEquals(refused.code, 1);
    const lockMessage = (pid: number) =>
      `Cannot open the embedded log at "${dir}": another process holds its lock (${dir}/LOCK, pid ${pid})`;
    ok(
      dec.decode(refused.stderr).includes(lockMessage(Deno.pid)),
      dec.decode(refused.stderr),
    );
    await mine.close();

    const holder = otherProcess(dir);
    try {
      assertEquals(await firstLine(holder.stdout), "locked");
      const again = new FileLog(dir);
      await rejects(again.ensureTopics(topics), (e: Error) => {
        assertEquals(e.message, lockMessage(holder.pid));
        return true;
      });
    } finally {
      holder.kill("SIGKILL");
      await holder.status;
      await holder.stderr.cancel();
    }
    // The kernel released the dead process's lock.
    const after = new FileLog(dir);
    await after.ensureTopics(topics);
    await after.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file log - fsync always makes concurrent sends share fsyncs; never runs none and still keeps the data", async () => {
  for (const fsync of ["always", "never"] as const) {
    const dir = await Deno.makeTempDir({ prefix: "fsync_" });
    try {
      const log = new FileLog(dir, { fsync });
      await log.ensureTopics(topics);
      await Promise.all(
        Array.from(
          { length: 40 },
          (_, i) => log.send("t", [{ key: `k${i}`, value: `v${i}` }]),
        ),
      );
      if (fsync === "always") {
        ok(
          log.fsyncRounds >= 1 && log.fsyncRounds <= 2,
          `${log.fsyncRounds} rounds for 40 concurrent sends`,
        );
      } else assertEquals(log.fsyncRounds, 0);
      await log.close();
      const again = new FileLog(dir, { fsync });
      await again.ensureTopics(topics);
      const ends = await again.endOffsets("t");
      assertEquals([...ends.values()].reduce((a, b) => a + b, 0), 40);
      await again.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("file log - retention moves startOffsets up, keeps every offset at or above the safe one, and consumers start at the log start", async () => {
  const dir = await Deno.makeTempDir({ prefix: "retention_" });
  try {
    const log = new FileLog(dir, { segmentBytes: 2048, fsync: "never" });
    await log.ensureTopics(topics);
    for (let i = 0; i < 30; i++) {
      await log.send(
        "t",
        Array.from({ length: 20 }, (_, j) => ({
          key: `k${j % 6}`,
          value: `v${i * 20 + j}`,
        })),
      );
    }
    const ends = await log.endOffsets("t");
    const safe = new Map([...ends].map(([p, end]) => [p, Math.floor(end / 2)]));
    const asked: string[] = [];
    const deleted = await log.runRetention((topic, p) => {
      asked.push(`${topic}/${p}`);
      return Promise.resolve(safe.get(p)!);
    });
    assertEquals(asked, ["t/0", "t/1", "t/2"]);
    ok(deleted > 0);
    const starts = await log.startOffsets("t");
    for (const [p, start] of starts) {
      ok(
        start > 0 && start <= safe.get(p)!,
        `partition ${p} starts at ${start}`,
      );
      const kept = log.read("t", p, start, 1e6).map((r) => r.offset);
      assertEquals(
        kept,
        Array.from({ length: ends.get(p)! - start }, (_, i) => start + i),
      );
    }
    // A consumer whose stored offsets were deleted starts at the log start.
    const records = await collect(log, new Map([[0, 0], [1, 0], [2, 0]]), 1);
    for (const r of records) ok(r.offset >= starts.get(r.partition)!);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file log - retention keeps what a running consumer has not committed, even before its group stored an offset", async () => {
  const dir = await Deno.makeTempDir({ prefix: "retention_" });
  try {
    const log = new FileLog(dir, { segmentBytes: 1024, fsync: "never" });
    await log.ensureTopics(topics);
    // Sends of 10, so every partition rolls over into several segments.
    for (let i = 0; i < 300; i += 10) {
      await log.send(
        "t",
        Array.from({ length: 10 }, (_, j) => ({
          key: `k${i + j}`,
          value: `v${i + j}`,
        })),
      );
    }
    const ends = await log.endOffsets("t");
    // Another group is done with every partition; this one stored nothing.
    const otherGroupDone = (_t: string, p: number) =>
      Promise.resolve(ends.get(p)!);
    let release!: () => void;
    const gate = new Promise<void>((r) => release = r);
    let started!: () => void;
    const inFlight = new Promise<void>((r) => started = r);
    const seen: LogRecord[] = [];
    const consumer = await log.consume({
      groupId: "new",
      topic: "t",
      maxBatchSize: 50,
      maxWaitMs: 1,
      loadOffsets: () => Promise.resolve(new Map()),
      handleBatch: async (records) => {
        started();
        await gate;
        seen.push(...records);
      },
    });
    await inFlight;
    assertEquals(await log.runRetention(otherGroupDone), 0);
    assertEquals([...(await log.startOffsets("t")).values()], [0, 0, 0]);
    release();
    while (seen.length < 300) await new Promise((r) => setTimeout(r, 5));
    for (const [p, end] of ends) {
      assertEquals(
        seen.filter((r) => r.partition === p).map((r) => r.offset),
        Array.from({ length: end }, (_, i) => i),
      );
    }
    // Once it has committed everything, the other group's answer holds again
    // (its position moves just after its last batch returns).
    let deleted = 0;
    for (let i = 0; i < 200 && deleted === 0; i++) {
      deleted = await log.runRetention(otherGroupDone);
      if (deleted === 0) await new Promise((r) => setTimeout(r, 5));
    }
    ok(deleted > 0, "retention goes on once the consumer has committed");
    await consumer.stop();
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file log - periodic retention runs until the log closes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "retention_" });
  try {
    const log = new FileLog(dir, { segmentBytes: 1024, fsync: "never" });
    await log.ensureTopics(topics);
    await log.send(
      "t",
      Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    for (let i = 0; i < 5; i++) await log.send("t", [{ key: "x", value: "y" }]);
    let passes = 0;
    log.startRetention((_t, _p) => (passes++, Promise.resolve(1e9)), 5);
    while (passes < 6) await new Promise((r) => setTimeout(r, 5));
    ok([...(await log.startOffsets("t")).values()].some((s) => s > 0));
    await log.close();
    const after = passes;
    await new Promise((r) => setTimeout(r, 30));
    assertEquals(passes, after);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
