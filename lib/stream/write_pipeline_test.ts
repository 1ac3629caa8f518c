import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import fc from "fast-check";
import type { LogRecord } from "./log.ts";
import { WritePipeline } from "./write_pipeline.ts";

function records(partition: number, from: number, n: number): LogRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    topic: "t",
    partition,
    offset: from + i,
    key: null,
    value: new Uint8Array(0),
    timestamp: 0,
  }));
}

const chunk = (p: number, from: number, n: number, owned = () => true) => ({
  partition: p,
  records: records(p, from, n),
  owned,
});

const tick = () => new Promise((r) => setTimeout(r, 0));

/**
 * A database in miniature: per partition the rows and the next offset, which
 * a call stores with the rows (exactly what the sink's transaction does). It
 * refuses a call whose records do not start at the stored offset.
 */
class Store {
  rows = new Map<number, number[]>();
  next = new Map<number, number>();
  running = new Set<number>();
  calls = 0;

  write(rs: readonly LogRecord[]): void {
    const firsts = new Map<number, number>();
    for (const r of rs) {
      if (!firsts.has(r.partition)) firsts.set(r.partition, r.offset);
    }
    for (const [p, first] of firsts) {
      const stored = this.next.get(p) ?? 0;
      if (first !== stored) {
        this.violations.push(
          `partition ${p} starts at ${first}, stored at ${stored}`,
        );
      }
    }
    for (const r of rs) {
      const list = this.rows.get(r.partition) ?? [];
      list.push(r.offset);
      this.rows.set(r.partition, list);
      this.next.set(r.partition, r.offset + 1);
    }
  }

  /** What went wrong, noted rather than thrown (a throw would only be retried). */
  violations: string[] = [];

  /** Marks the call's partitions running, noting any already in another call. */
  enter(rs: readonly LogRecord[]): number[] {
    const ps = [...new Set(rs.map((r) => r.partition))];
    for (const p of ps) {
      if (this.running.has(p)) {
        this.violations.push(`partition ${p} is in two calls at once`);
      }
      this.running.add(p);
    }
    this.calls++;
    return ps;
  }

  leave(ps: number[]): void {
    for (const p of ps) this.running.delete(p);
  }

  reload = (ps: readonly number[]) =>
    Promise.resolve(
      new Map(
        ps.flatMap((p) => this.next.has(p) ? [[p, this.next.get(p)!]] : []),
      ),
    );
}

/** A pipeline whose calls write to `store` once `release()` is called. */
function gatedPipeline(store: Store) {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const pipeline = new WritePipeline({
    maxRecords: 100,
    reload: store.reload,
    handle: async (rs) => {
      const ps = store.enter(rs);
      await gate;
      store.write(rs);
      store.leave(ps);
    },
  });
  return { pipeline, release };
}

Deno.test("write pipeline - chunks of one turn share a call, and submit resolves when it starts", async () => {
  const store = new Store();
  const { pipeline, release } = gatedPipeline(store);
  const started = await Promise.all([
    pipeline.submit(chunk(0, 0, 10)),
    pipeline.submit(chunk(1, 0, 10)),
    pipeline.submit(chunk(2, 0, 10)),
  ]);
  // All three are in one running call that has not committed.
  assertEquals(started, [true, true, true]);
  assertEquals(store.calls, 1);
  assertEquals(store.rows.size, 0);
  release();
  await pipeline.settled();
  assertEquals([...store.next.entries()].sort(), [[0, 10], [1, 10], [2, 10]]);
});

Deno.test("write pipeline - a partition's next chunk waits for its running call", async () => {
  const store = new Store();
  const order: string[] = [];
  const pipeline = new WritePipeline({
    maxRecords: 100,
    reload: store.reload,
    handle: async (rs) => {
      const ps = store.enter(rs);
      order.push(`start ${rs[0]!.partition}@${rs[0]!.offset}`);
      await new Promise((r) => setTimeout(r, 20));
      store.write(rs);
      store.leave(ps);
      order.push(`end ${rs[0]!.partition}@${rs[0]!.offset}`);
    },
  });
  await pipeline.submit(chunk(0, 0, 5));
  const second = pipeline.submit(chunk(0, 5, 5));
  const other = pipeline.submit(chunk(1, 0, 5));
  await Promise.all([second, other]);
  await pipeline.settled();
  assertEquals(store.violations, []);
  // Partition 1 ran beside partition 0's first call; 0's second call came after it.
  assertEquals(order, [
    "start 0@0",
    "start 1@0",
    "end 0@0",
    "start 0@5",
    "end 1@0",
    "end 0@5",
  ]);
});

Deno.test("write pipeline - chunks no longer owned are dropped unwritten", async () => {
  const store = new Store();
  let owned = true;
  const { pipeline, release } = gatedPipeline(store);
  await pipeline.submit(chunk(0, 0, 5));
  const later = pipeline.submit(chunk(0, 5, 5, () => owned));
  owned = false; // a new generation: the queued chunk is not ours any more
  release();
  assertEquals(await later, false);
  await pipeline.settled();
  assertEquals(store.rows.get(0), [0, 1, 2, 3, 4]);
});

Deno.test("write pipeline - stopping ends a backoff at once", async () => {
  const stop = new AbortController();
  const failures: number[] = [];
  const pipeline = new WritePipeline({
    maxRecords: 100,
    minBackoffMs: 60_000,
    signal: stop.signal,
    reload: () => Promise.resolve(new Map()),
    handle: () => Promise.reject(new Error("database down")),
    onFailure: (_e, _p, ms) => failures.push(ms),
  });
  let owned = true;
  await pipeline.submit(chunk(0, 0, 5, () => owned));
  await tick();
  const t0 = performance.now();
  owned = false;
  stop.abort();
  await pipeline.settled();
  assertEquals(failures, [60_000]);
  ok(performance.now() - t0 < 5_000, "settled without waiting out the backoff");
});

/**
 * Property: whatever the chunks, the calls' durations and their failures
 * (before or after the commit), every record is stored exactly once, in
 * offset order, and no partition is ever in two running calls.
 */
Deno.test("write pipeline - property: every record stored once, in order, one call per partition at a time", async () => {
  const plan = fc.record({
    chunks: fc.array(
      fc.record({
        partition: fc.integer({ min: 0, max: 3 }),
        size: fc.integer({ min: 1, max: 20 }),
        gapTurns: fc.integer({ min: 0, max: 2 }),
      }),
      { minLength: 1, maxLength: 40 },
    ),
    // Per call: 0 = commits, 1 = fails before the commit, 2 = fails after it.
    outcomes: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 60 }),
    delays: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 60 }),
    maxRecords: fc.integer({ min: 1, max: 50 }),
    inFlight: fc.integer({ min: 1, max: 3 }),
  });
  await fc.assert(
    fc.asyncProperty(plan, async (t) => {
      const store = new Store();
      let call = 0;
      const pipeline = new WritePipeline({
        maxRecords: t.maxRecords,
        inFlight: t.inFlight,
        minBackoffMs: 0,
        maxBackoffMs: 1,
        reload: store.reload,
        handle: async (rs) => {
          const n = call++;
          const ps = store.enter(rs);
          try {
            for (let i = 0; i < (t.delays[n] ?? 0); i++) await tick();
            const outcome = t.outcomes[n] ?? 0;
            if (outcome === 1) throw new Error("failed before the commit");
            store.write(rs);
            if (outcome === 2) throw new Error("failed after the commit");
          } finally {
            store.leave(ps);
          }
        },
      });
      const next = new Map<number, number>();
      const submitted: Promise<boolean>[] = [];
      for (const c of t.chunks) {
        const from = next.get(c.partition) ?? 0;
        next.set(c.partition, from + c.size);
        submitted.push(pipeline.submit(chunk(c.partition, from, c.size)));
        for (let i = 0; i < c.gapTurns; i++) await tick();
      }
      ok((await Promise.all(submitted)).every((s) => s));
      await pipeline.settled();
      assertEquals(store.violations, []);
      for (const [p, n] of next) {
        assertEquals(store.rows.get(p), Array.from({ length: n }, (_, i) => i));
      }
    }),
    { numRuns: 150 },
  );
});
