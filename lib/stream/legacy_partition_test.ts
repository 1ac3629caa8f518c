import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { FileLog } from "./file_log.ts";
import { partitionFor } from "./partitioner.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A frame exactly as the single-file format (before segments) wrote it. */
function oldFrame(key: string | null, value: string, timestamp: number) {
  const k = key === null ? null : enc.encode(key);
  const v = enc.encode(value);
  const buf = new Uint8Array(16 + (k?.length ?? 0) + v.length);
  const view = new DataView(buf.buffer);
  view.setUint32(0, k === null ? 0xffffffff : k.length);
  view.setUint32(4, v.length);
  view.setFloat64(8, timestamp);
  if (k) buf.set(k, 16);
  buf.set(v, 16 + (k?.length ?? 0));
  return buf;
}

function oldFile(records: [string | null, string][], torn = 0): Uint8Array {
  const frames = records.map(([k, v], i) => oldFrame(k, v, 1000 + i));
  const tail = oldFrame("k", "torn", 0).subarray(0, torn);
  const out = new Uint8Array(
    frames.reduce((n, f) => n + f.length, 0) + tail.length,
  );
  let at = 0;
  for (const f of [...frames, tail]) out.set(f, at), at += f.length;
  return out;
}

function readAll(log: FileLog, partition: number) {
  return log.read("t", partition, 0, 1e6).map((r) => ({
    offset: r.offset,
    key: r.key,
    value: dec.decode(r.value),
    timestamp: r.timestamp,
  }));
}

const topics = [{ name: "t", partitions: 2 }];
/** A key that lands on partition 1 of 2. */
const toP1 = ["a", "b", "c", "d"].find((k) => partitionFor(k, 2) === 1)!;
const p0: [string | null, string][] = Array.from(
  { length: 2500 },
  (_, i) => [i % 5 ? `k${i}` : null, i % 7 ? `value ${i}` : ""],
);
const p1: [string | null, string][] = [["a", "one"], [null, "two"]];

Deno.test("legacy partition - a partition of the single-file format is converted on open with its offsets", async () => {
  const dir = await Deno.makeTempDir({ prefix: "legacy_" });
  try {
    await Deno.mkdir(`${dir}/t`);
    await Deno.writeFile(`${dir}/t/0.log`, oldFile(p0, 11));
    await Deno.writeFile(`${dir}/t/1.log`, oldFile(p1));
    const log = new FileLog(dir, { segmentBytes: 16 * 1024, fsync: "never" });
    await log.ensureTopics(topics);
    const want = (list: typeof p0) =>
      list.map(([key, value], offset) => ({
        offset,
        key,
        value,
        timestamp: 1000 + offset,
      }));
    assertEquals(readAll(log, 0), want(p0));
    assertEquals(readAll(log, 1), want(p1));
    assertEquals(await log.endOffsets("t"), new Map([[0, 2500], [1, 2]]));
    // The old files are gone; the new folders hold several segments.
    ok(!(await exists(`${dir}/t/0.log`)) && !(await exists(`${dir}/t/1.log`)));
    const segs = [...Deno.readDirSync(`${dir}/t/0`)].filter((e) =>
      e.name.endsWith(".log")
    );
    ok(segs.length > 1, `${segs.length} segments`);
    await log.send("t", [{ key: toP1, value: "three" }]);
    await log.close();
    const again = new FileLog(dir, { fsync: "never" });
    await again.ensureTopics(topics);
    assertEquals(readAll(again, 1).map((r) => r.value), [
      "one",
      "two",
      "three",
    ]);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("legacy partition - a conversion cut short by a crash is redone, and a finished one is not", async () => {
  const dir = await Deno.makeTempDir({ prefix: "legacy_" });
  try {
    await Deno.mkdir(`${dir}/t/0.converting`, { recursive: true });
    await Deno.writeFile(`${dir}/t/0.converting/junk.log`, new Uint8Array(9));
    await Deno.writeFile(`${dir}/t/0.log`, oldFile(p0));
    // Partition 1 was converted, but the crash came before the old file went.
    const first = new FileLog(dir, { fsync: "never" });
    await Deno.mkdir(`${dir}/t`, { recursive: true });
    await Deno.writeFile(`${dir}/t/1.log`, oldFile(p1));
    await first.ensureTopics([{ name: "t", partitions: 2 }]);
    await first.send("t", [{ key: toP1, value: "after" }]);
    await first.close();
    await Deno.writeFile(`${dir}/t/1.log`, oldFile([["stale", "x"]]));
    const log = new FileLog(dir, { fsync: "never" });
    await log.ensureTopics(topics);
    assertEquals(readAll(log, 0).length, 2500);
    ok(!(await exists(`${dir}/t/0.converting`)));
    match(readAll(log, 1).map((r) => r.value).join(","), /^one,two,after$/);
    ok(!(await exists(`${dir}/t/1.log`)));
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function exists(path: string): Promise<boolean> {
  return (await Deno.stat(path).catch(() => null)) !== null;
}
