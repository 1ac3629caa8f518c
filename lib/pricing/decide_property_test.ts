/**
 * Properties of `decide` the guardrails promise: bounds, the largest step and
 * the price ending hold for any catalog, observations, strategy and price.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import fc from "fast-check";
import { c, cases, run, RUNS, window } from "./_test_arbitraries.ts";

Deno.test("decide - the recommended price is never below the floor", () => {
  fc.assert(
    fc.property(cases, ([i, s, o]) => {
      const d = run(i, s, o);
      ok(
        d.recommendedPrice >= d.floor,
        `${d.recommendedPrice} < floor ${d.floor}`,
      );
    }),
    RUNS,
  );
});

Deno.test("decide - never above the ceiling unless the floor exceeds it, and then flagged at the floor or above", () => {
  fc.assert(
    fc.property(cases, ([i, s, o]) => {
      const d = run(i, s, o);
      if (d.floor > d.ceiling) {
        ok(d.flags.includes("bounds_conflict"));
        ok(d.recommendedPrice >= d.floor);
      } else {
        ok(!d.flags.includes("bounds_conflict"));
        ok(
          d.recommendedPrice <= d.ceiling,
          `${d.recommendedPrice} > ceiling ${d.ceiling}`,
        );
      }
    }),
    RUNS,
  );
});

Deno.test("decide - the price moves at most the largest step, unless it lies outside the bounds and then lands inside", () => {
  fc.assert(
    fc.property(cases, ([i, s, o]) => {
      const d = run(i, s, o);
      const w = window(i, s, d);
      const p = c(d.recommendedPrice);
      if (!w.inside) return ok(p >= w.floor && p <= w.top);
      ok(p - w.cur <= w.up, `raised ${p - w.cur} cents, step ${w.up}`);
      ok(w.cur - p <= w.down, `cut ${w.cur - p} cents, step ${w.down}`);
    }),
    RUNS,
  );
});

Deno.test("decide - a changed price ends on the price ending unless flagged, and then no such price was allowed", () => {
  fc.assert(
    fc.property(cases, ([i, s, o]) => {
      const d = run(i, s, o);
      const p = c(d.recommendedPrice);
      const w = window(i, s, d);
      if (s.priceEnding === null || p === w.cur) return;
      const ending = Math.round(s.priceEnding * 100);
      if (!d.flags.includes("rounding_unavailable")) {
        return assertEquals(p % 100, ending);
      }
      let low = w.inside ? Math.max(w.floor, w.cur - w.down) : w.floor;
      let high = w.inside ? Math.min(w.top, w.cur + w.up) : w.top;
      if (p > w.cur) {
        low = Math.max(low, w.cur);
      } else high = Math.min(high, w.cur);
      ok(
        high - low < 100,
        `a window of ${high - low} cents always holds an ending`,
      );
      for (let x = low; x <= high; x++) {
        ok(x % 100 !== ending, `${x} ends on ${ending}`);
      }
    }),
    RUNS,
  );
});
