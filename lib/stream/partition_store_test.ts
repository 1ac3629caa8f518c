import {
  deepStrictEqual as assertEquals,
  match,
  ok,
  throws,
} from "node:assert/strict";
import { type PartitionOptions, PartitionStore } from "./partition_store.ts";
import type { Entry } from "./record_frame.ts";
import { CorruptLogError, segmentName } from "./segment.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
/** Small segments so a few hundred records span many of them. */
const SMALL: Partial<PartitionOptions> = {
  segmentBytes: 4096,
  indexIntervalBytes: 256,
  tailCapacity: 10,
  fsync: false,
};

function entries(from: number, n: number): Entry[] {
  return Array.from({ length: n }, (_, i) => ({
    key: (from + i) % 4 === 0 ? null : `k${(from + i) % 7}`,
    value: enc.encode(`v${from + i}-${"x".repeat((from + i) % 50)}`),
    timestamp: 1_700_000_000_000 + from + i,
  }));
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "partition_" });
  try {
    await fn(`${dir}/p0`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Appends and acknowledges, as the log's `send` does. */
function write(s: PartitionStore, list: Entry[], batch = 20): void {
  for (let i = 0; i < list.length; i += batch) {
    s.append(list.slice(i, i + batch));
    s.commit(s.end);
  }
}

function assertReadsBack(s: PartitionStore, from: number, want: Entry[]) {
  const got = s.read(from, want.length);
  assertEquals(got.map((r) => r.offset), want.map((_, i) => from + i));
  assertEquals(
    got.map((r) => [r.key, dec.decode(r.value), r.timestamp]),
    want.map((e) => [e.key, dec.decode(e.value), e.timestamp]),
  );
}

function segments(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
    n.endsWith(".log")
  ).sort();
}

/** Runs `fn` and returns what the logger wrote to stderr meanwhile. */
async function stderrOf(fn: () => Promise<unknown>): Promise<string> {
  const original = Deno.stderr.writeSync;
  let out = "";
  Deno.stderr.writeSync = (b: Uint8Array) => (out += dec.decode(b), b.length);
  try {
    await fn();
  } finally {
    Deno.stderr.writeSync = original;
  }
  return out;
}

Deno.test("partition store - rolls segments at the configured size and reads across them", async () => {
  await withDir(async (dir) => {
    const s = await PartitionStore.open("t", 0, dir, SMALL);
    const all = entries(0, 600);
    write(s, all);
    const names = segments(dir);
    ok(names.length > 5, `only ${names.length} segments`);
    assertEquals(names[0], `${segmentName(0)}.log`);
    for (const n of names.slice(0, -1)) {
      // A batch that would overflow a segment starts the next one.
      ok(Deno.statSync(`${dir}/${n}`).size <= 4096, n);
    }
    assertReadsBack(s, 0, all);
    assertReadsBack(s, 137, all.slice(137));
    assertEquals(s.read(599, 10).map((r) => r.offset), [599]);
    assertEquals(s.read(600, 10), []);
    s.close();
  });
});

Deno.test("partition store - reopening reads the indexes and the last segment's tail, not the segments", async () => {
  await withDir(async (dir) => {
    const opts = {
      ...SMALL,
      segmentBytes: 256 * 1024,
      indexIntervalBytes: 4096,
    };
    const a = await PartitionStore.open("t", 0, dir, opts);
    const all = entries(0, 30_000);
    write(a, all, 500);
    a.close();
    const total = segments(dir).reduce(
      (n, f) => n + Deno.statSync(`${dir}/${f}`).size,
      0,
    );
    ok(segments(dir).length >= 4 && total > 1_000_000, `${total} bytes`);
    const b = await PartitionStore.open("t", 0, dir, opts);
    // At most one scan buffer (64 KiB) to check the last index entry and
    // scan the tail behind it, against more than a megabyte stored.
    ok(b.logBytesRead <= 2 * 64 * 1024, `read ${b.logBytesRead} bytes`);
    assertEquals([b.start, b.end], [0, 30_000]);
    assertReadsBack(b, 12_345, all.slice(12_345, 12_400));
    assertReadsBack(b, 29_990, all.slice(29_990));
    b.close();
  });
});

Deno.test("partition store - a torn last frame is cut on open, with a warning saying how many bytes", async () => {
  await withDir(async (dir) => {
    const a = await PartitionStore.open("t", 0, dir, SMALL);
    write(a, entries(0, 50));
    a.close();
    const last = `${dir}/${segments(dir).at(-1)}`;
    const good = Deno.statSync(last).size;
    // A crash mid-append: the first 30 bytes of a 60-byte frame.
    const f = Deno.openSync(last, { append: true });
    f.writeSync(new Uint8Array([0, 0, 0, 52, 1, 2, 3, 4, ...new Array(22)]));
    f.close();
    let b!: PartitionStore;
    const logged = await stderrOf(async () => {
      b = await PartitionStore.open("t", 0, dir, SMALL);
    });
    match(logged, /cut a torn or corrupt tail .* bytes_cut=30 /);
    assertEquals(Deno.statSync(last).size, good);
    assertEquals(b.end, 50);
    b.append(entries(50, 1));
    b.commit(b.end);
    assertReadsBack(b, 45, entries(45, 6));
    b.close();
  });
});

Deno.test("partition store - a last frame that fails its checksum is cut on open", async () => {
  await withDir(async (dir) => {
    const a = await PartitionStore.open("t", 0, dir, {
      ...SMALL,
      segmentBytes: 1e6,
    });
    write(a, entries(0, 40));
    a.close();
    const path = `${dir}/${segmentName(0)}.log`;
    const bytes = Deno.readFileSync(path);
    bytes[bytes.length - 3]! ^= 0x40;
    Deno.writeFileSync(path, bytes);
    const logged = await stderrOf(async () => {
      const b = await PartitionStore.open("t", 0, dir, SMALL);
      assertEquals(b.end, 39);
      b.close();
    });
    match(logged, /reason="it fails its checksum"/);
  });
});

Deno.test("partition store - a corrupt record inside an older segment is an error naming topic, partition and offset", async () => {
  await withDir(async (dir) => {
    const a = await PartitionStore.open("clicks", 4, dir, SMALL);
    write(a, entries(0, 300));
    a.close();
    const first = `${dir}/${segmentName(0)}.log`;
    const bytes = Deno.readFileSync(first);
    // Flip a bit in the middle of the first segment: not a torn tail, damage.
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    Deno.writeFileSync(first, bytes);
    const b = await PartitionStore.open("clicks", 4, dir, SMALL);
    assertEquals(b.end, 300);
    throws(() => b.read(0, 300), (e: Error) => {
      ok(e instanceof CorruptLogError);
      match(
        e.message,
        /^Cannot read offset \d+ of topic "clicks" partition 4: the record at byte \d+ of 00000000000000000000\.log is corrupt \(it fails its checksum\)$/,
      );
      return true;
    });
    // Records after the damaged segment still read.
    const second = Number(segments(dir)[1]!.slice(0, 20));
    assertReadsBack(b, second, entries(second, 300 - second));
    b.close();
  });
});

Deno.test("partition store - a missing index of an older segment is rebuilt from its log", async () => {
  await withDir(async (dir) => {
    const a = await PartitionStore.open("t", 0, dir, SMALL);
    write(a, entries(0, 200));
    a.close();
    Deno.removeSync(`${dir}/${segmentName(0)}.index`);
    const b = await PartitionStore.open("t", 0, dir, SMALL);
    ok(Deno.statSync(`${dir}/${segmentName(0)}.index`).size > 0);
    assertReadsBack(b, 0, entries(0, 200));
    b.close();
  });
});

Deno.test("partition store - retention deletes only whole segments below the safe offset, never the active one", async () => {
  await withDir(async (dir) => {
    const s = await PartitionStore.open("t", 0, dir, SMALL);
    const all = entries(0, 400);
    write(s, all);
    const bases = segments(dir).map((n) => Number(n.slice(0, 20)));
    const safe = bases[3]! + 1;
    assertEquals(s.deleteBelow(safe), 3);
    assertEquals(s.start, bases[3]);
    assertEquals(segments(dir).length, bases.length - 3);
    assertReadsBack(s, bases[3]!, all.slice(bases[3]!));
    throws(
      () => s.read(bases[3]! - 1, 1),
      /Cannot read offset \d+ of topic "t" partition 0: the log starts at \d+, retention deleted what came before/,
    );
    // Far beyond the end: everything but the segment being written goes.
    s.deleteBelow(1e9);
    assertEquals(segments(dir).length, 1);
    assertEquals(s.start, bases.at(-1));
    s.close();
    const again = await PartitionStore.open("t", 0, dir, SMALL);
    assertEquals([again.start, again.end], [bases.at(-1), 400]);
    assertReadsBack(again, again.start, all.slice(again.start));
    again.close();
  });
});

Deno.test("partition store - records are invisible to readers until committed", async () => {
  const s = await PartitionStore.open("t", 0);
  s.append(entries(0, 5));
  assertEquals(s.read(0, 10), []);
  s.commit(3);
  assertEquals(s.read(0, 10).map((r) => r.offset), [0, 1, 2]);
  s.close();
});
