import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseWindow } from "./window.ts";

const NOW = new Date("2026-01-05T04:30:00Z");

Deno.test("window - defaults to the analysis's hours ending now", () => {
  const w = parseWindow({}, 24, NOW);
  assertEquals([w.from.toISOString(), w.to.toISOString(), w.hours], [
    "2026-01-04T04:30:00.000Z",
    "2026-01-05T04:30:00.000Z",
    24,
  ]);
});

Deno.test("window - whole hours end at the start of the current hour", () => {
  const w = parseWindow(
    { hours: "4", until: "2026-01-05T04:30:00Z" },
    24,
    new Date(),
    true,
  );
  assertEquals([w.from.toISOString(), w.to.toISOString()], [
    "2026-01-05T00:00:00.000Z",
    "2026-01-05T04:00:00.000Z",
  ]);
});

Deno.test("window - refuses hours that are not a whole number from 1 to 2160 and an unparsable until", () => {
  for (
    const hours of ["0", "-3", "1.5", "2161", "abc", "0x10", "1e2", " 5", "5.0"]
  ) {
    throws(
      () => parseWindow({ hours }, 24, NOW),
      new RegExp(`Parameter "hours" is "${hours}"`),
    );
  }
  throws(
    () => parseWindow({ until: "soon" }, 24, NOW),
    /Parameter "until" is "soon": expected an ISO time/,
  );
  // Date() reads "5" as the year 2005; a window end must be written as a time.
  throws(() => parseWindow({ until: "5" }, 24, NOW), /Parameter "until"/);
});
