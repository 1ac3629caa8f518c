import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import {
  DEFAULT_STRATEGY,
  resolveStrategy,
  validateStrategy,
  validateStrategyOverride,
} from "./strategy.ts";

const rejects = (json: unknown, message: string) =>
  throws(() => validateStrategy(json), { message });

Deno.test("strategy - validateStrategy fills every missing field with its default", () => {
  assertEquals(validateStrategy({}), DEFAULT_STRATEGY);
  const s = validateStrategy({
    target: { kind: "cheapest", offsetPct: -0.01 },
    maxStepPct: 0.02,
  });
  assertEquals(s.target, { kind: "cheapest", offsetPct: -0.01 });
  assertEquals([s.maxStepPct, s.minMargin, s.priceEnding], [0.02, 0.10, 0.99]);
});

Deno.test("strategy - a validated strategy survives a JSON round trip unchanged", () => {
  const s = validateStrategy({
    target: { kind: "competitor", competitor: "TechMart", offsetAmount: -1 },
    excludeCompetitors: ["Junk"],
    priceEnding: null,
    autoApply: { maxChangePct: 0.03, minConfidence: 0.8 },
  });
  assertEquals(validateStrategy(JSON.parse(JSON.stringify(s))), s);
});

Deno.test("strategy - validateStrategy names the field and the value in one sentence", () => {
  rejects(
    { maxStepPct: 2 },
    'Cannot use strategy: field "maxStepPct" must be between 0 and 1, got 2',
  );
  rejects(
    { maxStepPct: 0 },
    'Cannot use strategy: field "maxStepPct" must be more than 0, got 0',
  );
  rejects(
    { minMargin: -0.1 },
    'Cannot use strategy: field "minMargin" must be between 0 and 10, got -0.1',
  );
  rejects(
    { minMargin: "10%" },
    'Cannot use strategy: field "minMargin" must be a number, got "10%"',
  );
  rejects(
    { cooldownMinutes: NaN },
    'Cannot use strategy: field "cooldownMinutes" must be a number, got NaN',
  );
  rejects(
    { minObservations: 1.5 },
    'Cannot use strategy: field "minObservations" must be an integer, got 1.5',
  );
  rejects(
    { maxStep: 0.05 },
    'Cannot use strategy: field "maxStep" is unknown, got 0.05',
  );
  rejects(
    "fast",
    'Cannot use strategy: field "(root)" must be an object, got "fast"',
  );
});

Deno.test("strategy - validateStrategy checks the target, lists, ending and nested rules", () => {
  rejects(
    { target: { kind: "cheap" } },
    'Cannot use strategy: field "target.kind" must be one of static, seed_rule, cheapest, average, competitor, optimize, got "cheap"',
  );
  rejects(
    { target: { kind: "competitor" } },
    'Cannot use strategy: field "target.competitor" must name a competitor, got nothing',
  );
  rejects(
    { target: { kind: "static", offsetPct: 0.1 } },
    'Cannot use strategy: field "target.offsetPct" is not used by kind "static", got 0.1',
  );
  rejects(
    { target: { kind: "average", offsetPct: -0.9 } },
    'Cannot use strategy: field "target.offsetPct" must be between -0.5 and 0.5, got -0.9',
  );
  rejects(
    { excludeCompetitors: "Junk" },
    'Cannot use strategy: field "excludeCompetitors" must be a list of competitor names, got "Junk"',
  );
  rejects(
    { priceEnding: 0.995 },
    'Cannot use strategy: field "priceEnding" must be null or cents from 0 to 0.99, got 0.995',
  );
  rejects(
    { priceWar: { undercuts: 0 } },
    'Cannot use strategy: field "priceWar.undercuts" must be between 1 and 20, got 0',
  );
  rejects(
    { priceWar: { rounds: 3 } },
    'Cannot use strategy: field "priceWar.rounds" is unknown, got 3',
  );
  rejects(
    { autoApply: true },
    'Cannot use strategy: field "autoApply" must be an object or null, got true',
  );
});

Deno.test("strategy - overstock cover must lie above low cover", () => {
  rejects(
    { lowCoverDays: 30, overstockCoverDays: 20 },
    'Cannot use strategy: field "overstockCoverDays" must be more than lowCoverDays (30), got 20',
  );
});

Deno.test("strategy - a partial auto-apply or price-war rule takes the rest from the defaults", () => {
  assertEquals(
    validateStrategy({ autoApply: { maxChangePct: 0.05 } }).autoApply,
    { maxChangePct: 0.05, minConfidence: 0.8 },
  );
  assertEquals(validateStrategy({ priceWar: { undercuts: 5 } }).priceWar, {
    undercuts: 5,
    windowHours: 24,
  });
  assertEquals(validateStrategy({ priceWar: null }).priceWar, null);
});

Deno.test("strategy - validateStrategyOverride keeps only the fields it was given", () => {
  assertEquals(
    validateStrategyOverride({
      maxStepPct: 0.1,
      priceWar: { windowHours: 48 },
    }),
    {
      maxStepPct: 0.1,
      priceWar: { windowHours: 48 },
    },
  );
  throws(
    () => validateStrategyOverride({ maxStepPct: 2 }),
    /field "maxStepPct" must be between 0 and 1, got 2/,
  );
});

Deno.test("strategy - resolveStrategy puts the product over the category over the default", () => {
  const category = {
    maxStepPct: 0.08,
    minMargin: 0.2,
    priceWar: { undercuts: 4 },
  };
  const product = {
    maxStepPct: 0.02,
    priceWar: { windowHours: 12 },
    target: { kind: "static" as const },
  };
  const s = resolveStrategy(DEFAULT_STRATEGY, category, product);
  assertEquals(s.maxStepPct, 0.02); // product wins
  assertEquals(s.minMargin, 0.2); // category wins over the default
  assertEquals(s.cooldownMinutes, 60); // default where nobody overrides
  assertEquals(s.priceWar, { undercuts: 4, windowHours: 12 }); // merged field by field
  assertEquals(s.target, { kind: "static" });
  assertEquals(resolveStrategy(DEFAULT_STRATEGY, category).maxStepPct, 0.08);
  assertEquals(
    resolveStrategy(DEFAULT_STRATEGY, null, { priceWar: null }).priceWar,
    null,
  );
  assertEquals(
    resolveStrategy(DEFAULT_STRATEGY, { autoApply: { minConfidence: 0.9 } })
      .autoApply,
    {
      maxChangePct: 0.03,
      minConfidence: 0.9,
    },
  );
});

Deno.test("strategy - resolveStrategy refuses a merge that is inconsistent as a whole", () => {
  throws(
    () =>
      resolveStrategy(DEFAULT_STRATEGY, { overstockCoverDays: 30 }, {
        lowCoverDays: 40,
      }),
    {
      message:
        'Cannot use strategy: field "overstockCoverDays" must be more than lowCoverDays (40), got 30',
    },
  );
  throws(
    () => resolveStrategy(DEFAULT_STRATEGY, { cooldownMinutes: -1 }),
    /cooldownMinutes/,
  );
});

Deno.test("strategy - resolving never changes the default it starts from", () => {
  const before = JSON.stringify(DEFAULT_STRATEGY);
  resolveStrategy(DEFAULT_STRATEGY, { priceWar: { undercuts: 9 } }, {
    maxStepPct: 0.5,
  });
  assertEquals(JSON.stringify(DEFAULT_STRATEGY), before);
});
