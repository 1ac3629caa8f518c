import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { DEFAULT_STRATEGY } from "../pricing/mod.ts";
import { toJson } from "./report.ts";
import { type Pricer, strategyPricer } from "./pricers.ts";
import { DEFAULT_START, runBacktest, runStrategy } from "./run.ts";

const opts = {
  seed: "tests",
  days: 3,
  market: "default" as const,
  strategies: [],
  stepMinutes: 15,
  start: DEFAULT_START,
};

Deno.test("backtest - the same seed gives the same JSON, and another seed another", () => {
  const run = (seed: string) =>
    toJson(
      runBacktest({
        ...opts,
        seed,
        strategies: ["static", "seed-rule", "engine", "optimize"],
      }),
    );
  const a = run("tests");
  assertEquals(run("tests"), a);
  ok(run("other") !== a, "a different seed changes the result");
  const parsed = JSON.parse(a);
  assertEquals(
    parsed.strategies.map((s: { name: string }) => s.name),
    ["static", "seed-rule", "engine", "optimize"],
  );
  assertEquals(Object.keys(parsed.strategies[0]).sort(), [
    "gross_margin",
    "lost_sales",
    "name",
    "price_changes",
    "revenue",
    "stockout_hours",
    "units",
    "violations",
  ]);
});

/** A pricer that ignores the guardrails: `price` of the input every hour. */
function broken(price: (list: number, current: number) => number): Pricer {
  return {
    name: "broken",
    strategy: DEFAULT_STRATEGY,
    price: (input) =>
      input.now % 3_600_000 === 0
        ? Math.round(price(input.listPrice, input.currentPrice) * 100) / 100
        : null,
  };
}

Deno.test("backtest - every applied price outside the floor, ceiling or largest step is counted as a violation", () => {
  for (
    const p of [
      broken((list) => list * 0.3), // below cost, then held there
      broken((_, cur) => cur * 1.2), // a 20% step, soon above the ceiling
      broken((list, cur) => (cur === list ? list * 1.1 : list)), // ±10% steps
    ]
  ) {
    const { summary } = runStrategy(p, opts);
    ok(summary.price_changes > 0, "the broken pricer changed prices");
    assertEquals(summary.violations, summary.price_changes);
  }
  const sane = runStrategy(
    strategyPricer("engine", DEFAULT_STRATEGY),
    opts,
  ).summary;
  ok(sane.price_changes > 0 && sane.violations === 0, JSON.stringify(sane));
});

Deno.test("backtest - the static strategy never changes a price and earns list-price margins", () => {
  const r = runBacktest({ ...opts, strategies: ["static"] });
  const s = r.strategies[0]!;
  assertEquals(s.price_changes, 0);
  ok(s.units > 0 && s.gross_margin > 0 && s.revenue > s.gross_margin);
  const prices = r.runs.get("static")!.prices;
  ok(prices.every((p) => p.at === DEFAULT_START), "one point per product");
});
