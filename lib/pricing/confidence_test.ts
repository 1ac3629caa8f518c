import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { autoApplyVerdict, computeConfidence } from "./confidence.ts";
import type { Observation } from "./types.ts";

const NOW = 1_000_000_000;
const MAX_AGE = 6 * 3_600_000;
const at = (prices: number[], age = 0): Observation[] =>
  prices.map((price, i) => ({ source: `S${i}`, price, observedAt: NOW - age }));
const conf = (used: Observation[]) =>
  computeConfidence(used, "average", NOW, MAX_AGE);

Deno.test("confidence - grows with the number of agreeing fresh observations", () => {
  assertEquals([
    conf(at([])),
    conf(at([100])),
    conf(at([100, 100])),
    conf(at([100, 100, 100])),
  ], [
    0,
    0.5,
    0.75,
    0.875,
  ]);
});

Deno.test("confidence - disagreement halves it at a spread of 25% or more", () => {
  // 75 and 125: standard deviation 25 on a mean of 100, cv 0.25.
  assertEquals(conf(at([75, 125])), 0.375);
  assertEquals(conf(at([10, 190])), 0.375);
  assertEquals(conf(at([90, 110])), 0.6); // cv 0.1: agreement 0.8
});

Deno.test("confidence - a price about to go stale counts half", () => {
  assertEquals(conf(at([100], MAX_AGE)), 0.25);
  assertEquals(conf(at([100], MAX_AGE / 2)), 0.375);
  assertEquals(conf(at([100], -60_000)), 0.5); // a little clock skew is fresh, not fresher
});

Deno.test("confidence - the list price needs no market data and is certain", () => {
  assertEquals(computeConfidence([], "static", NOW, MAX_AGE), 1);
});

const RULE = { maxChangePct: 0.03, minConfidence: 0.8 };

Deno.test("confidence - auto-apply needs the rule, a real small change, confidence, no flag and no gate", () => {
  assertEquals(autoApplyVerdict(RULE, -0.02, 0.87, [], null), {
    autoApply: true,
    detail: "applies automatically: 2% at confidence 0.87",
  });
  const no = (
    change: number,
    c: number,
    flags: [] | ["price_war"],
    gate: string | null,
  ) => autoApplyVerdict(RULE, change, c, flags, gate);
  assertEquals(
    no(0.031, 0.9, [], null).detail,
    "needs an analyst: the change of 3.1% is over 3%",
  );
  assertEquals(
    no(0.03, 0.79, [], null).detail,
    "needs an analyst: confidence 0.79 is below 0.8",
  );
  assertEquals(
    no(0.01, 0.9, ["price_war"], null).detail,
    "needs an analyst: flagged price_war",
  );
  assertEquals(
    no(0.01, 0.9, [], "competitor feed lag 40 min").detail,
    "needs an analyst: blocked by data quality: competitor feed lag 40 min",
  );
  assertEquals(autoApplyVerdict(RULE, 0.03, 0.8, [], null).autoApply, true); // limits are inclusive
  assertEquals(autoApplyVerdict(RULE, 0, 1, [], null), {
    autoApply: false,
    detail: null,
  });
  assertEquals(autoApplyVerdict(null, 0.01, 1, [], null), {
    autoApply: false,
    detail: null,
  });
});
