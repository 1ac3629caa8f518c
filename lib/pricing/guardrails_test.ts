import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { decide } from "./decide.ts";
import { DEFAULT_STRATEGY } from "./strategy.ts";
import type {
  Decision,
  Observation,
  PriceChange,
  ProductInput,
  Strategy,
} from "./types.ts";

const NOW = Date.UTC(2025, 10, 25, 12);
const HOUR = 3_600_000;
const seen = (prices: number[], source = "S"): Observation[] =>
  prices.map((price, i) => ({
    source: `${source}${i}`,
    price,
    observedAt: NOW - 60_000,
  }));
// A phone with 20 days of cover, no cooldown, competitors near our price.
const product = (over: Partial<ProductInput> = {}): ProductInput => ({
  productId: "P001",
  category: "phones",
  listPrice: 999.99,
  currentPrice: 899.99,
  unitCost: 650,
  mapPrice: null,
  minPrice: null,
  maxPrice: null,
  observations: seen([889, 905, 899]),
  stockUnits: 40,
  salesPerDay: 2,
  purchasesLastHour: 0,
  lastAppliedAt: null,
  recentChanges: [],
  ...over,
});
const run = (input: ProductInput, s: Partial<Strategy> = {}): Decision =>
  decide(
    input,
    { ...DEFAULT_STRATEGY, target: { kind: "average" }, ...s },
    NOW,
  );
const steps = (d: Decision) => d.explanation.map((s) => s.step);
const outcome = (d: Decision) => [d.action, d.recommendedPrice];

Deno.test("guardrails - the floor is cost plus margin, the MAP or the minimum price, whichever is highest", () => {
  const cheap = product({
    currentPrice: 740,
    observations: seen([700, 705, 710]),
  });
  const d = run(cheap);
  assertEquals([d.floor, ...outcome(d), steps(d)], [715, "lower", 715.99, [
    "target",
    "floor",
    "rounding",
  ]]);
  assertEquals(
    d.explanation[1]!.detail,
    "the floor is $715.00 (cost $650.00 +10% margin)",
  );
  assertEquals(run({ ...cheap, mapPrice: 720 }).floor, 720);
  const min = run({ ...cheap, mapPrice: 720, minPrice: 730 });
  assertEquals([min.floor, min.recommendedPrice, min.explanation[1]!.detail], [
    730,
    730.99,
    "the floor is $730.00 (the minimum price)",
  ]);
});

Deno.test("guardrails - the ceiling is the maximum price when set, else list plus the markup", () => {
  assertEquals(run(product()).ceiling, 1249.98); // 999.99 × 1.25, rounded down
  const d = run(
    product({
      currentPrice: 940,
      maxPrice: 950,
      observations: seen([1000, 1010, 990]),
    }),
  );
  assertEquals([d.ceiling, ...outcome(d)], [950, "raise", 949.99]);
  assertEquals(d.explanation[1], {
    step: "ceiling",
    detail: "the ceiling is $950.00 (the maximum price)",
    priceAfter: 950,
  });
});

Deno.test("guardrails - when the floor is above the ceiling the floor wins and the decision is flagged", () => {
  const d = run(product({ unitCost: 900, maxPrice: 950 }));
  assertEquals([d.floor, d.ceiling, ...outcome(d)], [990, 950, "raise", 990]);
  assertEquals(d.flags, ["bounds_conflict", "rounding_unavailable"]); // no x.99 in [990.00, 990.00]
  assertEquals(
    d.explanation[1]!.detail,
    "the floor $990.00 (cost $900.00 +10% margin) is above the ceiling $950.00 (the maximum price): the floor wins",
  );
});

Deno.test("guardrails - the largest step limits a cut to 5% of the current price", () => {
  const d = run(product({ observations: seen([800, 805, 810]) }));
  assertEquals([...outcome(d), steps(d)], ["lower", 855.99, [
    "target",
    "largest_step",
    "rounding",
  ]]);
  assertEquals(d.explanation[1], {
    step: "largest_step",
    detail: "at most -5% per change",
    priceAfter: 855,
  });
});

Deno.test("guardrails - the floor wins over the largest step when our price is below it", () => {
  const d = run(product({ currentPrice: 500 }));
  assertEquals([...outcome(d), steps(d)], ["raise", 715.99, [
    "target",
    "competitors_rose",
    "into_bounds",
    "rounding",
  ]]);
  assertEquals(
    d.explanation[2]!.detail,
    "our price $500.00 is below the floor $715.00: moving straight into bounds",
  );
});

Deno.test("guardrails - the ceiling wins over the largest step when our price is above it", () => {
  const d = run(product({ currentPrice: 1500 }));
  assertEquals(outcome(d), ["lower", 1248.99]);
});

Deno.test("guardrails - low cover never lowers the price", () => {
  const d = run(
    product({ stockUnits: 5, observations: seen([800, 805, 810]) }),
  );
  assertEquals([...outcome(d), steps(d)], ["hold", 899.99, [
    "target",
    "low_cover",
  ]]);
  assertEquals(
    d.holdReason,
    "5 units, 2.5 days of cover (below 7): never lower, up to +3% over the market",
  );
});

Deno.test("guardrails - low cover may raise up to 3% over a target that says hold", () => {
  const d = run(product({ stockUnits: 5, listPrice: 899.99 }), {
    target: { kind: "static" },
  });
  assertEquals([...outcome(d), steps(d)], ["raise", 925.99, [
    "target",
    "low_cover",
    "rounding",
  ]]);
  assertEquals(d.explanation[1]!.priceAfter, 926.98);
});

Deno.test("guardrails - under the seed rule low cover raises once over the market, not again every cooldown", () => {
  const seed = { target: { kind: "seed_rule" as const } };
  // The seed rule holds at our price; the premium builds on the average 897.67.
  const first = run(product({ stockUnits: 5 }), seed);
  assertEquals(outcome(first), ["raise", 923.99]);
  const again = run(product({ stockUnits: 5, currentPrice: 923.99 }), seed);
  assertEquals(outcome(again), ["hold", 923.99]);
});

Deno.test("guardrails - out of stock never lowers and adds no premium", () => {
  const cut = run(
    product({ stockUnits: 0, observations: seen([800, 805, 810]) }),
  );
  assertEquals([...outcome(cut), cut.holdReason], [
    "hold",
    899.99,
    "out of stock: the price does not go down",
  ]);
  const same = run(product({ stockUnits: 0, listPrice: 899.99 }), {
    target: { kind: "static" },
  });
  assertEquals(outcome(same), ["hold", 899.99]);
});

Deno.test("guardrails - overstock allows a cut of up to 10% in one step", () => {
  const d = run(
    product({ stockUnits: 1000, observations: seen([800, 805, 810]) }),
  );
  assertEquals([...outcome(d), steps(d)], ["lower", 810.99, [
    "target",
    "overstock_step",
    "rounding",
  ]]);
  assertEquals(d.explanation[1]!.detail, "overstocked: at most -10% per cut");
  const noSales = run(
    product({ salesPerDay: 0, observations: seen([800, 805, 810]) }),
  );
  assertEquals(noSales.recommendedPrice, 810.99); // stock that does not sell is overstock too
});

Deno.test("guardrails - competitors rising raise the price one step at a time, named competitors_rose", () => {
  const d = run(product({ observations: seen([990, 1000, 1010]) }));
  assertEquals([...outcome(d), steps(d)], ["raise", 943.99, [
    "target",
    "competitors_rose",
    "largest_step",
    "rounding",
  ]]);
  assertEquals(
    d.explanation[1]!.detail,
    "competitors are above us: target $1,000.00 over our $899.99; moving up",
  );
  const list = run(product({ currentPrice: 950 }), {
    target: { kind: "static" },
  });
  assertEquals(steps(list)[1], "raise_toward_target");
});

Deno.test("guardrails - cooldown holds at our price with a reason", () => {
  const d = run(
    product({
      lastAppliedAt: NOW - 30 * 60_000,
      observations: seen([800, 805, 810]),
    }),
  );
  assertEquals([...outcome(d), steps(d).at(-1)], ["hold", 899.99, "cooldown"]);
  assertEquals(
    d.holdReason,
    "cooldown: our price changed 30 min ago; changes wait 60 min",
  );
  const after = run(
    product({
      lastAppliedAt: NOW - 60 * 60_000,
      observations: seen([800, 805, 810]),
    }),
  );
  assertEquals(after.action, "lower");
});

Deno.test("guardrails - cooldown still moves a price that is outside the bounds into them", () => {
  const d = run(product({ currentPrice: 500, lastAppliedAt: NOW - 60_000 }));
  assertEquals([...outcome(d), d.holdReason], ["raise", 715.99, null]);
  assertEquals(
    d.explanation.find((s) => s.step === "cooldown")!.detail,
    "cooldown: our price changed 1 min ago; changes wait 60 min; our price is outside the bounds, so it moves to $715.00",
  );
});

const cut = (
  hoursAgo: number,
  oldPrice: number,
  newPrice: number,
): PriceChange => ({
  at: NOW - hoursAgo * HOUR,
  oldPrice,
  newPrice,
});
const rival = (hoursAgo: number, price: number): Observation => ({
  source: "Rival",
  price,
  observedAt: NOW - hoursAgo * HOUR,
});
const war = (changes: PriceChange[], history: Observation[]) =>
  run(
    product({
      currentPrice: 940,
      lastAppliedAt: NOW - 4 * HOUR,
      recentChanges: changes,
      observations: [rival(3, 935), ...seen([950, 945])],
      competitorHistory: history,
    }),
    { target: { kind: "cheapest" } },
  );
const CUTS = [cut(20, 1000, 980), cut(12, 980, 960), cut(4, 960, 940)];

Deno.test("guardrails - a competitor undercutting each of our last three cuts is a price war: hold and flag", () => {
  const d = war(CUTS, [rival(19, 975), rival(11, 955)]);
  assertEquals([...outcome(d), d.flags, steps(d).at(-1)], ["hold", 940, [
    "price_war",
  ], "price_war"]);
  assertEquals(
    d.holdReason,
    "price war: Rival undercut each of our last 3 cuts",
  );
});

Deno.test("guardrails - rounding never turns a raise into a cut", () => {
  const d = run(
    product({
      currentPrice: 100,
      listPrice: 100.5,
      unitCost: 50,
      observations: [],
    }),
    { target: { kind: "static" } },
  );
  assertEquals(outcome(d), ["raise", 100.99]);
});

Deno.test("guardrails - with no ending in the allowed window the price is kept to the cent and flagged", () => {
  const d = run(
    product({
      currentPrice: 10,
      listPrice: 10.3,
      unitCost: 5,
      observations: [],
    }),
    { target: { kind: "static" } },
  );
  assertEquals([...outcome(d), d.flags], ["raise", 10.3, [
    "rounding_unavailable",
  ]]);
  assertEquals(
    d.explanation.at(-1)!.detail,
    "no price ending in .99 lies between $10.00 and $10.50: kept to the cent",
  );
});

Deno.test("guardrails - a price that does not move keeps its ending", () => {
  const d = run(
    product({
      currentPrice: 100.5,
      listPrice: 100.5,
      unitCost: 50,
      observations: [],
    }),
    { target: { kind: "static" } },
  );
  assertEquals([...outcome(d), d.flags], ["hold", 100.5, []]);
});

Deno.test("guardrails - a strategy without a price ending moves to the cent", () => {
  const d = run(product({ observations: seen([880, 885, 890]) }), {
    priceEnding: null,
  });
  assertEquals(outcome(d), ["lower", 885]);
});
