/**
 * Properties of `decide` as a whole: quarantined prices change nothing,
 * outputs are finite and consistent, and auto-apply stays conservative.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import fc from "fast-check";
import { cases, NOW, run, RUNS, window } from "./_test_arbitraries.ts";
import { decide } from "./decide.ts";
import { coverDays } from "./guardrails.ts";
import type { Decision, Observation, ProductInput } from "./types.ts";

const wildPrice = (i: ProductInput, tiny: boolean): number => {
  const prices = [i.currentPrice, ...i.observations.map((o) => o.price)].filter(
    (p) => Number.isFinite(p) && p >= 0.01,
  );
  const high = Math.max(...prices), low = Math.min(...prices);
  // Far enough out to be the worst outlier whatever the others are (see hygiene.ts).
  const small = low * low / (10 * high);
  return tiny && small >= 0.01 ? small : (10 * high * high) / low + 1;
};
const same = (d: Decision) => ({
  price: d.recommendedPrice,
  action: d.action,
  target: d.target,
  confidence: d.confidence,
  flags: d.flags,
  autoApply: d.autoApply,
  used: d.used,
  steps: d.explanation.map((s) => [s.step, s.priceAfter]),
});

Deno.test("decide - adding an observation that gets quarantined never changes the decision", () => {
  fc.assert(
    fc.property(cases, fc.boolean(), ([i, s, o], tiny) => {
      const wild: Observation = {
        source: "Wild",
        price: wildPrice(i, tiny),
        observedAt: NOW,
      };
      const withWild = run(
        { ...i, observations: [...i.observations, wild] },
        s,
        o,
      );
      const reason = withWild.excluded.find((e) => e.observation === wild)
        ?.reason;
      ok(
        reason === "outlier" || reason === "excluded_competitor",
        `the wild price was ${reason}`,
      );
      assertEquals(same(withWild), same(run(i, s, o)));
    }),
    RUNS,
  );
});

const finite = (x: number) => Number.isFinite(x) && !Object.is(x, -0);

Deno.test("decide - outputs are finite, never -0, and the explanation ends at the recommended price", () => {
  fc.assert(
    fc.property(cases, ([i, s, o]) => {
      const d = run(i, s, o);
      const numbers = [
        d.currentPrice,
        d.recommendedPrice,
        d.confidence,
        d.floor,
        d.ceiling,
        d.expectedMargin,
      ];
      ok(numbers.every(finite), JSON.stringify(numbers));
      ok(d.target === null || finite(d.target));
      ok(d.confidence >= 0 && d.confidence <= 1);
      ok(
        d.explanation.length > 0 &&
          d.explanation.every((e) => finite(e.priceAfter)),
      );
      assertEquals(d.explanation.at(-1)!.priceAfter, d.recommendedPrice);
      assertEquals(d, run(i, s, o)); // pure: the same input gives the same decision
    }),
    RUNS,
  );
});

Deno.test("decide - the action follows the price and a hold reason is given exactly for holds", () => {
  fc.assert(
    fc.property(cases, ([i, s, o]) => {
      const d = run(i, s, o);
      const expected = d.recommendedPrice > d.currentPrice
        ? "raise"
        : d.recommendedPrice < d.currentPrice
        ? "lower"
        : "hold";
      assertEquals(d.action, expected);
      assertEquals(d.holdReason !== null, d.action === "hold");
    }),
    RUNS,
  );
});

Deno.test("decide - low cover never lowers a price that lies within the bounds", () => {
  fc.assert(
    fc.property(cases, ([i, s, o]) => {
      const d = run(i, s, o);
      const w = window(i, s, d);
      if (
        w.inside && coverDays(i.stockUnits, i.salesPerDay) < s.lowCoverDays
      ) ok(d.action !== "lower");
    }),
    RUNS,
  );
});

Deno.test("decide - auto-apply only ever passes a small, confident, unflagged change", () => {
  fc.assert(
    fc.property(
      cases,
      fc.option(fc.constant("lake lag")),
      ([i, s, o], gate) => {
        const d = decide(i, s, NOW, {
          autoApplyBlocked: gate,
          ...(o ? { optimizer: o } : {}),
        });
        if (!d.autoApply) return;
        const change = Math.abs(d.recommendedPrice - d.currentPrice) /
          d.currentPrice;
        ok(
          s.autoApply && gate === null && d.flags.length === 0 &&
            d.action !== "hold",
        );
        ok(
          change <= s.autoApply.maxChangePct + 1e-9 &&
            d.confidence >= s.autoApply.minConfidence,
        );
      },
    ),
    RUNS,
  );
});
