import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { textLine } from "./log.ts";

Deno.test("log - a text line leaves out fields that are undefined and quotes what needs it", () => {
  assertEquals(
    textLine("2026-11-26T04:00:00.000Z", "info", "jobs", "job alerts done", {
      firing: 0,
      failed: undefined,
      note: "two words",
      error: new Error("boom"),
      at: "127.0.0.1:5432",
    }),
    '2026-11-26T04:00:00.000Z INFO  [jobs] job alerts done firing=0 note="two words" error="boom" at=127.0.0.1:5432',
  );
});
