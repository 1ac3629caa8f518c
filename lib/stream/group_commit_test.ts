import {
  deepStrictEqual as assertEquals,
  ok,
  rejects,
} from "node:assert/strict";
import { type Flushable, GroupCommit } from "./group_commit.ts";

/** A file whose fsync takes a while and counts its calls. */
function slowFile(ms = 20): Flushable & { calls: number } {
  const f = {
    calls: 0,
    flush: () => {
      f.calls++;
      return new Promise<void>((r) => setTimeout(r, ms));
    },
  };
  return f;
}

Deno.test("group commit - concurrent callers share fsync rounds", async () => {
  const commit = new GroupCommit();
  const a = slowFile();
  const b = slowFile();
  await Promise.all(
    Array.from({ length: 50 }, (_, i) => commit.sync([i % 2 ? a : b])),
  );
  // All fifty joined the first round.
  assertEquals([commit.rounds, a.calls, b.calls], [1, 1, 1]);
  const first = commit.sync([a]);
  await new Promise((r) => setTimeout(r, 5));
  // These arrive while the round runs: they need a round of their own, one for all.
  const late = Array.from({ length: 20 }, () => commit.sync([a]));
  await Promise.all([first, ...late]);
  assertEquals([commit.rounds, a.calls], [3, 3]);
});

Deno.test("group commit - a caller arriving while a round runs waits for the next round", async () => {
  const commit = new GroupCommit();
  const order: string[] = [];
  const file: Flushable = {
    flush: async () => {
      order.push("fsync start");
      await new Promise((r) => setTimeout(r, 10));
      order.push("fsync end");
    },
  };
  const p1 = commit.sync([file]).then(() => order.push("first resolved"));
  await new Promise((r) => setTimeout(r, 2));
  const p2 = commit.sync([file]).then(() => order.push("second resolved"));
  await Promise.all([p1, p2]);
  assertEquals(order, [
    "fsync start",
    "fsync end",
    "first resolved",
    "fsync start",
    "fsync end",
    "second resolved",
  ]);
});

Deno.test("group commit - after a failed fsync every call fails", async () => {
  const commit = new GroupCommit();
  const bad: Flushable = { flush: () => Promise.reject(new Error("EIO")) };
  await rejects(commit.sync([bad]), /fsync failed/);
  await rejects(commit.sync([slowFile()]), (e: Error) => {
    ok((e.cause as Error).message === "EIO");
    return true;
  });
});
