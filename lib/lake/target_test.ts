import { deepStrictEqual as assertEquals, rejects } from "node:assert/strict";
import { join } from "node:path";
import { LocalTarget } from "./target.ts";

Deno.test("local target - stores objects under their keys and lists them sorted", async () => {
  const dir = await Deno.makeTempDir();
  const t = new LocalTarget(dir);
  await t.put("s/date=2026-11-02/part-2-3.parquet", new Uint8Array([2]));
  await t.put("s/date=2026-11-01/part-1-1.parquet", new Uint8Array([1]));
  assertEquals(await t.list("s/"), [
    "s/date=2026-11-01/part-1-1.parquet",
    "s/date=2026-11-02/part-2-3.parquet",
  ]);
  assertEquals(
    await t.get("s/date=2026-11-02/part-2-3.parquet"),
    new Uint8Array([2]),
  );
  assertEquals(await t.exists("s/date=2026-11-03/part-9-9.parquet"), false);
  await t.remove(["s/date=2026-11-01/part-1-1.parquet", "s/missing.parquet"]);
  assertEquals(await t.list(""), ["s/date=2026-11-02/part-2-3.parquet"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("local target - a write cut short leaves only a hidden temporary, which is never listed and is swept", async () => {
  const dir = await Deno.makeTempDir();
  const t = new LocalTarget(dir);
  await Deno.mkdir(join(dir, "s/date=2026-11-01"), { recursive: true });
  // What a crash between write and rename leaves behind.
  await Deno.writeFile(
    join(dir, "s/date=2026-11-01/.0d9c.tmp"),
    new Uint8Array([1, 2]),
  );
  assertEquals(await t.list(""), []);
  assertEquals(await t.sweep(), 1);
  assertEquals([...Deno.readDirSync(join(dir, "s/date=2026-11-01"))], []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("local target - refuses keys that would leave its folder", async () => {
  const t = new LocalTarget(await Deno.makeTempDir());
  await rejects(
    () => t.put("../escape.parquet", new Uint8Array()),
    /not a plain relative key/,
  );
  await rejects(
    () => t.put("a//b.parquet", new Uint8Array()),
    /not a plain relative key/,
  );
});
