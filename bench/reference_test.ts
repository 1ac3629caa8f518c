import { ok } from "node:assert/strict";
import { measureHere } from "./reference.ts";

Deno.test("machine reference - the seeded batch validates in full and gives a time per event", () => {
  // measureHere throws when any seeded event is refused: the figure would
  // then measure rejections, not the validation of the benchmark's mix.
  const us = measureHere();
  ok(Number.isFinite(us) && us > 0, `got ${us}`);
});
