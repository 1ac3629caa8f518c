/**
 * Property: whatever the sends (sizes, empty values, null keys), segment
 * size, index spacing, reopen points and torn tail, every acknowledged record
 * reads back identically, in order, at the same offset; of a send cut short
 * by a crash, only a prefix of each partition's records survives.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import fc from "fast-check";
import { FileLog } from "./file_log.ts";
import { partitionFor } from "./partitioner.ts";

const PARTITIONS = 2;
const topics = [{ name: "t", partitions: PARTITIONS }];

interface Msg {
  key: string | null;
  value: Uint8Array;
  timestamp: number;
}

const message = fc.record({
  key: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
  value: fc.uint8Array({ maxLength: 300 }),
});
const step = fc.oneof(
  { weight: 6, arbitrary: fc.array(message, { maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constant("reopen" as const) },
);

function stamp(list: { key: string | null; value: Uint8Array }[], t: number) {
  return list.map((m, i) => ({ ...m, timestamp: t + i }));
}

function readAll(log: FileLog, p: number): Msg[] {
  return log.read("t", p, 0, 1e9).map((r, i) => {
    assertEquals(r.offset, i);
    return { key: r.key, value: r.value, timestamp: r.timestamp };
  });
}

/**
 * Reads every partition and checks it against what was sent: the same
 * records (timestamps are unique), each in the partition of its key (null
 * keys go round-robin, so anywhere), in send order, and `before` (an earlier
 * reading) still a prefix of each. Returns the reading.
 */
function check(log: FileLog, sent: Msg[], before?: Msg[][]): Msg[][] {
  const now = Array.from({ length: PARTITIONS }, (_, p) => readAll(log, p));
  const byTime = (a: Msg, b: Msg) => a.timestamp - b.timestamp;
  assertEquals(now.flat().sort(byTime), [...sent].sort(byTime));
  now.forEach((list, p) => {
    assertEquals(list, [...list].sort(byTime));
    for (const m of list) {
      if (m.key !== null) assertEquals(partitionFor(m.key, PARTITIONS), p);
    }
    if (before) assertEquals(list.slice(0, before[p]!.length), before[p]);
  });
  return now;
}

function lastSegment(dir: string, p: number): { path: string; size: number } {
  const name = [...Deno.readDirSync(`${dir}/t/${p}`)].map((e) => e.name)
    .filter((n) => n.endsWith(".log")).sort().at(-1)!;
  const path = `${dir}/t/${p}/${name}`;
  return { path, size: Deno.statSync(path).size };
}

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;
type Unstamped = { key: string | null; value: Uint8Array }[];

/** One generated case, and the log it runs against. */
interface Run {
  open(): Promise<FileLog>;
  dir: string;
  log: FileLog;
  sent: Msg[];
  clock: number;
}

/** Sends and reopens as `steps` say; every reopen checks nothing was lost. */
async function sendAndReopen(r: Run, steps: Step[]): Promise<Msg[][]> {
  let seen: Msg[][] | undefined;
  for (const s of steps) {
    if (s === "reopen") {
      await r.log.close();
      r.log = await r.open();
      seen = check(r.log, r.sent, seen);
      continue;
    }
    const msgs = stamp(s, r.clock += 1000);
    await r.log.send("t", msgs);
    r.sent.push(...msgs);
  }
  const acked = check(r.log, r.sent, seen);
  for (let p = 0; p < PARTITIONS; p++) {
    // From any offset, through the sparse index.
    for (let o = 0; o < acked[p]!.length; o += 7) {
      assertEquals(
        r.log.read("t", p, o, 3).map((m) => m.timestamp),
        acked[p]!.slice(o, o + 3).map((m) => m.timestamp),
      );
    }
  }
  return acked;
}

/**
 * A send the crash cut short: the last segment of partition `torn` loses
 * `cutShare` of what the send wrote to it, and `junk` follows. Returns what
 * each partition held before the cut.
 */
async function crashDuringSend(
  r: Run,
  torn: number,
  inFlight: Unstamped,
  cutShare: number,
  junk: Uint8Array,
): Promise<Msg[][]> {
  const acked = check(r.log, r.sent);
  const before = lastSegment(r.dir, torn);
  const flying = stamp(inFlight, r.clock += 1000);
  await r.log.send("t", flying);
  const written = check(r.log, [...r.sent, ...flying], acked);
  await r.log.close();
  const after = lastSegment(r.dir, torn);
  const bytes = after.path === before.path
    ? after.size - before.size
    : after.size;
  const f = await Deno.open(after.path, { read: true, write: true });
  await f.truncate(after.size - Math.floor(bytes * cutShare));
  await f.seek(0, Deno.SeekMode.End);
  await f.write(junk);
  f.close();
  return written;
}

async function run(
  segmentBytes: number,
  indexIntervalBytes: number,
  tailCapacity: number,
  steps: Step[],
  inFlight: Unstamped,
  cutShare: number,
  junk: Uint8Array,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "log_property_" });
  const opts = { segmentBytes, indexIntervalBytes, tailCapacity };
  const open = async () => {
    const log = new FileLog(dir, { ...opts, fsync: "never" });
    await log.ensureTopics(topics);
    return log;
  };
  try {
    const r: Run = { open, dir, log: await open(), sent: [], clock: 0 };
    const acked = await sendAndReopen(r, steps);
    const key = inFlight[0]!.key ?? "";
    const torn = partitionFor(key, PARTITIONS);
    const written = await crashDuringSend(r, torn, inFlight, cutShare, junk);
    const log = await open();
    for (let p = 0; p < PARTITIONS; p++) {
      const got = readAll(log, p);
      // Everything acknowledged, then a prefix of what the cut send wrote.
      assertEquals(got.slice(0, acked[p]!.length), acked[p]);
      assertEquals(got, written[p]!.slice(0, got.length));
      if (p !== torn) assertEquals(got.length, written[p]!.length);
    }
    // The log goes on from where recovery left it.
    const end = (await log.endOffsets("t")).get(torn)!;
    await log.send("t", [{ key, value: "next", timestamp: 1 }]);
    assertEquals(log.read("t", torn, end, 5).map((m) => m.offset), [end]);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name:
    "file log property - acknowledged records survive any sends, segment sizes, reopens and torn tails",
  // Recovery warns about every cut tail; the property is what is checked.
  fn: async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 64, max: 8192 }),
        fc.integer({ min: 1, max: 2048 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(step, { maxLength: 20 }),
        fc.array(message, { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.uint8Array({ maxLength: 40 }),
        run,
      ),
      { numRuns: 100 },
    );
  },
});
