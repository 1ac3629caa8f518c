import { deepStrictEqual as assertEquals } from "node:assert/strict";
import fc from "fast-check";
import { endingLabel, roundToEnding } from "./rounding.ts";

Deno.test("rounding - the largest price with the ending at or below the price", () => {
  assertEquals(roundToEnding(89_767, 85_500, 89_999, 99), 89_699);
  assertEquals(roundToEnding(89_699, 85_500, 89_999, 99), 89_699);
  assertEquals(roundToEnding(1_000, 900, 1_100, 0), 1_000);
  assertEquals(roundToEnding(1_049, 900, 1_100, 95), 995);
});

Deno.test("rounding - up to the smallest ending at or above the low end when rounding down would cross it", () => {
  assertEquals(roundToEnding(71_500, 71_500, 89_999, 99), 71_599);
  assertEquals(roundToEnding(10_030, 10_000, 10_050, 99), null);
  assertEquals(roundToEnding(99_000, 99_000, 99_000, 99), null);
});

Deno.test("rounding - any answer lies in the window on the ending, and null means none exists there", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 0, max: 99 }),
      (price, below, above, ending) => {
        const low = Math.max(1, price - below), high = price + above;
        const r = roundToEnding(price, low, high, ending);
        let exists = false, largestBelow = -1;
        for (let c = low; c <= high; c++) {
          if (c % 100 !== ending) continue;
          exists = true;
          if (c <= price) largestBelow = c;
        }
        assertEquals(r !== null, exists);
        if (r === null) return;
        assertEquals([r >= low, r <= high, r % 100], [true, true, ending]);
        if (largestBelow >= 0) assertEquals(r, largestBelow);
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("rounding - endings are labelled the way analysts write them", () => {
  assertEquals([endingLabel(99), endingLabel(5), endingLabel(0)], [
    ".99",
    ".05",
    ".00",
  ]);
});
