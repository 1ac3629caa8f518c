import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { SparseIndex } from "./sparse_index.ts";

function build(pairs: [number, number][]): SparseIndex {
  const index = new SparseIndex();
  for (const [rel, pos] of pairs) index.add(rel, pos);
  return index;
}

Deno.test("sparse index - finds the last entry at or below an offset", () => {
  const index = build([[10, 4096], [25, 8200], [40, 12_300]]);
  assertEquals(
    [0, 9, 10, 24, 25, 39, 40, 1000].map((o) => index.floor(o)),
    [-1, -1, 0, 0, 1, 1, 2, 2],
  );
});

Deno.test("sparse index - parsing keeps the valid prefix of a damaged file", () => {
  const good = build([[10, 4096], [25, 8200], [40, 12_300]]).toBytes();
  const whole = SparseIndex.parse(good, 20_000);
  assertEquals([whole.index.length, whole.complete], [3, true]);
  // A crash can leave zeros or half an entry at the end of an unsynced index.
  const zeros = new Uint8Array(good.length + 12);
  zeros.set(good);
  const damaged = SparseIndex.parse(zeros, 20_000);
  assertEquals([damaged.index.length, damaged.complete], [3, false]);
  // Entries pointing past the log (cut on recovery) are dropped too.
  assertEquals(SparseIndex.parse(good, 8200).index.length, 1);
  assertEquals(SparseIndex.parse(good, 20_000, 30).index.length, 2);
});
