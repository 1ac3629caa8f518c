import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { formatDuration, progress, type ProgressOutput } from "./progress.ts";

function fakeOutput(terminal: boolean): ProgressOutput & { text(): string } {
  let text = "";
  const dec = new TextDecoder();
  return {
    writeSync(p) {
      text += dec.decode(p);
      return p.length;
    },
    isTerminal: () => terminal,
    text: () => text,
  };
}

Deno.test("progress - prints at most every everyMs, and always the first and the completing update", () => {
  const out = fakeOutput(false);
  let t = 0;
  const p = progress({ unit: "rows", everyMs: 1000, out, now: () => t });
  p.update("orders", 0, 4000);
  t = 500;
  p.update("orders", 1000, 4000); // too soon
  t = 1000;
  p.update("orders", 2000, 4000);
  t = 1500;
  p.update("orders", 4000, 4000, "3 files"); // complete: printed at once
  t = 4000;
  p.update("orders", 4000, 4000); // already complete
  assertEquals(out.text().split("\n"), [
    "orders: 0 / 4,000 rows (0%)",
    "orders: 2,000 / 4,000 rows (50%), 2,000 rows/s, 1 s left",
    "orders: 4,000 / 4,000 rows (100%), 2,667 rows/s, 3 files",
    "",
  ]);
});

Deno.test("progress - on a terminal rewrites one line per task and ends it before the next", () => {
  const out = fakeOutput(true);
  let t = 0;
  const p = progress({ unit: "events", everyMs: 1000, out, now: () => t });
  p.update("a", 0);
  t = 2000;
  p.update("a", 500);
  p.update("b", 1, 10);
  p.end();
  p.end(); // nothing left to end
  assertEquals(
    out.text(),
    "\ra: 0 events\x1b[K\ra: 500 events, 250 events/s\x1b[K\n" +
      "\rb: 1 / 10 events (10%)\x1b[K\n",
  );
});

Deno.test("progress - a task with nothing to do is complete at once", () => {
  const out = fakeOutput(false);
  const p = progress({ unit: "rows", out, now: () => 0 });
  p.update("empty", 0, 0);
  assertEquals(out.text(), "empty: 0 / 0 rows (100%)\n");
});

Deno.test("progress - durations read as seconds, minutes or hours", () => {
  assertEquals(
    [0.2, 59, 61, 3599, 7800].map(formatDuration),
    ["1 s", "59 s", "1 min 1 s", "59 min 59 s", "2 h 10 min"],
  );
});

Deno.test("progress - interleaved tasks each keep their own start, rate and pace", () => {
  const out = fakeOutput(false);
  let t = 0;
  const p = progress({ unit: "rows", everyMs: 1000, out, now: () => t });
  p.update("a", 0, 3000);
  p.update("b", 0, 3000);
  t = 1000;
  p.update("a", 1000, 3000);
  p.update("b", 2000, 3000);
  t = 1500;
  p.update("a", 1500, 3000); // too soon for a, though b printed since
  t = 2000;
  p.update("b", 3000, 3000);
  p.update("a", 2000, 3000);
  assertEquals(out.text().split("\n"), [
    "a: 0 / 3,000 rows (0%)",
    "b: 0 / 3,000 rows (0%)",
    "a: 1,000 / 3,000 rows (33%), 1,000 rows/s, 2 s left",
    "b: 2,000 / 3,000 rows (66%), 2,000 rows/s, 1 s left",
    "b: 3,000 / 3,000 rows (100%), 1,500 rows/s",
    "a: 2,000 / 3,000 rows (66%), 1,000 rows/s, 1 s left",
    "",
  ]);
});

Deno.test("progress - a finished task run again starts over", () => {
  const out = fakeOutput(false);
  let t = 0;
  const p = progress({ unit: "rows", everyMs: 1000, out, now: () => t });
  p.update("a", 10, 10);
  t = 5000;
  p.update("a", 0, 10);
  t = 6000;
  p.update("a", 10, 10);
  assertEquals(out.text().split("\n"), [
    "a: 10 / 10 rows (100%)",
    "a: 0 / 10 rows (0%)",
    "a: 10 / 10 rows (100%), 10 rows/s",
    "",
  ]);
});
