import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { type Series, sharedShare } from "./LineChart.tsx";

const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
const step = (name: string, pts: Array<[number, number]>): Series => ({
  name,
  cls: "s-1",
  step: true,
  points: pts.map(([m, value]) => ({ at: at(m), value })),
});

Deno.test("line chart - measures how long two step lines lie on top of each other", () => {
  const ours = step("ours", [[0, 10], [30, 12]]);
  const same = step("same", [[0, 10], [30, 12]]);
  const half = step("half", [[0, 10], [30, 11]]);
  const late = step("late", [[30, 12]]);
  const end = at(60).getTime();
  assertEquals(sharedShare(ours, same, end), 1);
  assertEquals(sharedShare(ours, half, end), 0.5);
  // Only the time both exist counts: from minute 30 on they agree.
  assertEquals(sharedShare(ours, late, end), 1);
  assertEquals(sharedShare(ours, step("never", [[0, 1]]), end), 0);
});
