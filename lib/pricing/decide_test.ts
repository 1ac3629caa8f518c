import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { decide } from "./decide.ts";
import { DEFAULT_THRESHOLDS } from "./rule.ts";
import { DEFAULT_STRATEGY } from "./strategy.ts";
import type { Decision, Observation, ProductInput, Strategy } from "./types.ts";

const NOW = Date.UTC(2025, 10, 25, 12);
const HOUR = 3_600_000;
const obs = (source: string, price: number, hoursAgo = 0.02): Observation => ({
  source,
  price,
  observedAt: NOW - hoursAgo * HOUR,
});
const SANE = [
  obs("TechMart", 889),
  obs("GadgetZone", 905),
  obs("ShopRite", 899),
];
const phone = (
  observations: Observation[],
  over: Partial<ProductInput> = {},
): ProductInput => ({
  productId: "P001",
  category: "phones",
  listPrice: 999.99,
  currentPrice: 899.99,
  unitCost: 650,
  mapPrice: null,
  minPrice: null,
  maxPrice: null,
  observations,
  stockUnits: 40,
  salesPerDay: 2,
  purchasesLastHour: 0,
  lastAppliedAt: null,
  recentChanges: [],
  ...over,
});
const run = (
  input: ProductInput,
  s: Partial<Strategy> = {},
  maxAgeMs?: number,
): Decision => decide(input, { ...DEFAULT_STRATEGY, ...s }, NOW, { maxAgeMs });
const why = (d: Decision) =>
  d.excluded.map((e) => `${e.observation.source}:${e.reason}`);

Deno.test("decide - a 0.001 observation next to three sane ones does not cut a 899.99 phone", () => {
  for (const kind of ["seed_rule", "average", "cheapest"] as const) {
    const d = run(phone([...SANE, obs("Junk", 0.001)]), { target: { kind } });
    assertEquals(d.recommendedPrice >= 855.99, true, kind); // at most one 5% step, never -59%
    assertEquals(why(d), ["Junk:invalid"]);
    assertEquals(d.used, SANE);
  }
  // The defect's numbers: the seed rule holds instead of cutting to 370.21.
  assertEquals(run(phone([...SANE, obs("Junk", 0.001)])).action, "hold");
  // A junk price that looks like a price is quarantined as an outlier, naming the median.
  const d = run(phone([...SANE, obs("Junk", 0.02)]), {
    target: { kind: "cheapest" },
  });
  assertEquals([why(d), d.recommendedPrice], [["Junk:outlier"], 888.99]);
  assertEquals(d.excluded[0]!.detail.includes("the median $899.50"), true);
});

Deno.test("decide - a single 0.001 observation alone holds with insufficient_data", () => {
  const d = run(phone([obs("Junk", 0.001)]));
  assertEquals(
    [d.action, d.recommendedPrice, d.target, d.flags, d.confidence],
    [
      "hold",
      899.99,
      null,
      ["insufficient_data"],
      0,
    ],
  );
  assertEquals(d.explanation, [{
    step: "insufficient_data",
    detail:
      "insufficient data: 0 of 1 observations usable; the strategy needs at least 1",
    priceAfter: 899.99,
  }]);
  assertEquals(
    d.holdReason,
    "insufficient data: 0 of 1 observations usable; the strategy needs at least 1",
  );
});

Deno.test("decide - a product whose only observation was quarantined holds with confidence 0", () => {
  const d = run(phone([obs("Junk", 370.21)]), { target: { kind: "average" } });
  assertEquals([d.action, why(d), d.flags, d.confidence], [
    "hold",
    ["Junk:outlier"],
    ["insufficient_data"],
    0,
  ]);
});

Deno.test("decide - stale prices are ignored and the caller sets the maximum age", () => {
  const old = obs("Old", 700, 7);
  const withOld = run(phone([...SANE, old]), { target: { kind: "cheapest" } });
  const without = run(phone(SANE), { target: { kind: "cheapest" } });
  assertEquals([withOld.recommendedPrice, why(withOld)], [
    without.recommendedPrice,
    ["Old:stale"],
  ]);
  const allOld = run(phone([obs("A", 880, 7), obs("B", 881, 8)]));
  assertEquals([allOld.action, allOld.flags], ["hold", ["insufficient_data"]]);
  const patient = run(
    phone([obs("A", 880, 7), obs("B", 881, 8)]),
    {},
    12 * HOUR,
  );
  assertEquals(patient.used.length, 2);
});

Deno.test("decide - the list price strategy needs no competitor data", () => {
  const d = run(phone([], { listPrice: 949.99 }), {
    target: { kind: "static" },
  });
  assertEquals([d.action, d.recommendedPrice, d.confidence, d.flags], [
    "raise",
    943.99,
    1,
    [],
  ]);
});

Deno.test("decide - a small confident change is auto-applied unless a data-quality gate blocks it", () => {
  const input = phone([obs("A", 880), obs("B", 882), obs("C", 884)]);
  const s: Partial<Strategy> = {
    target: { kind: "average" },
    autoApply: { maxChangePct: 0.03, minConfidence: 0.8 },
  };
  const d = run(input, s);
  assertEquals([d.action, d.recommendedPrice, d.confidence, d.autoApply], [
    "lower",
    881.99,
    0.8703,
    true,
  ]);
  assertEquals(d.explanation.at(-1), {
    step: "auto_apply",
    detail: "applies automatically: 2% at confidence 0.8703",
    priceAfter: 881.99,
  });
  const gated = decide(input, { ...DEFAULT_STRATEGY, ...s }, NOW, {
    autoApplyBlocked: "competitor feed 40 min behind",
  });
  assertEquals([gated.autoApply, gated.explanation.at(-1)!.detail], [
    false,
    "needs an analyst: blocked by data quality: competitor feed 40 min behind",
  ]);
  assertEquals(run(input, { target: { kind: "average" } }).autoApply, false); // the default asks an analyst
});

Deno.test("decide - an unusable input holds, flagged invalid_input, and never throws", () => {
  const d = run(phone(SANE, { unitCost: NaN }));
  assertEquals([d.action, d.recommendedPrice, d.flags, d.autoApply], [
    "hold",
    899.99,
    ["invalid_input"],
    false,
  ]);
  assertEquals(
    d.holdReason,
    'invalid input: field "unitCost" must be a finite number of at least 0, got NaN',
  );
  const broken = run(phone(SANE, { currentPrice: -1 }));
  assertEquals([
    broken.recommendedPrice,
    broken.currentPrice,
    broken.explanation[0]!.step,
  ], [0, 0, "invalid_input"]);
  assertEquals(
    run(phone(SANE, { mapPrice: Infinity })).holdReason?.includes('"mapPrice"'),
    true,
  );
});

Deno.test("decide - the margin is what the recommended price earns over cost", () => {
  const d = run(phone(SANE), { target: { kind: "cheapest" } });
  assertEquals([d.recommendedPrice, d.expectedMargin], [888.99, 0.2688]); // (888.99 - 650) / 888.99
});

Deno.test("decide - the seed rule uses the thresholds the caller passes", () => {
  const loose = { ...DEFAULT_THRESHOLDS, gap: 0.001 };
  const d = decide(phone(SANE), DEFAULT_STRATEGY, NOW, {
    seedThresholds: loose,
  });
  assertEquals([d.action, d.target, d.recommendedPrice], [
    "lower",
    888.69,
    887.99,
  ]);
  assertEquals(run(phone(SANE)).action, "hold"); // +0.3% is inside the default 10%
});
