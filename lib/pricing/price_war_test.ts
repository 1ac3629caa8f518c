import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { detectPriceWar } from "./price_war.ts";
import { DEFAULT_STRATEGY } from "./strategy.ts";
import type { Observation, PriceChange, Strategy } from "./types.ts";

const NOW = Date.UTC(2025, 10, 25, 12);
const HOUR = 3_600_000;
const cut = (
  hoursAgo: number,
  oldPrice: number,
  newPrice: number,
): PriceChange => ({
  at: NOW - hoursAgo * HOUR,
  oldPrice,
  newPrice,
});
const seen = (
  source: string,
  hoursAgo: number,
  price: number,
): Observation => ({
  source,
  price,
  observedAt: NOW - hoursAgo * HOUR,
});
const CUTS = [cut(20, 1000, 980), cut(12, 980, 960), cut(4, 960, 940)];
// Rival answered the first two cuts in the history and the last one now.
const ANSWERS = [seen("Rival", 19, 975), seen("Rival", 11, 955)];
const detect = (
  changes: PriceChange[],
  history: Observation[],
  strategy: Strategy = DEFAULT_STRATEGY,
  now: Observation[] = [seen("Rival", 3, 935), seen("Calm", 3, 950)],
) => {
  const input = {
    recentChanges: changes,
    observations: now,
    competitorHistory: history,
  };
  return detectPriceWar(input, strategy, NOW);
};

Deno.test("price war - one competitor below each of our last three cuts is a war, named", () => {
  assertEquals(detect(CUTS, ANSWERS), { source: "Rival", cuts: 3 });
  const two = {
    ...DEFAULT_STRATEGY,
    priceWar: { undercuts: 2, windowHours: 24 },
  };
  assertEquals(detect(CUTS.slice(1), ANSWERS, two), {
    source: "Rival",
    cuts: 2,
  });
});

Deno.test("price war - none when one of our last changes was a raise", () => {
  const raised = [cut(20, 1000, 980), cut(12, 960, 980), cut(4, 980, 940)];
  assertEquals(detect(raised, ANSWERS), null);
});

Deno.test("price war - none when a cut went unanswered: seen before it, not below us, or junk", () => {
  assertEquals(detect(CUTS, [seen("Rival", 21, 975), ANSWERS[1]!]), null);
  assertEquals(detect(CUTS, [seen("Rival", 19, 985), ANSWERS[1]!]), null);
  assertEquals(detect(CUTS, [seen("Rival", 19, 400), ANSWERS[1]!]), null); // under half: junk
  assertEquals(
    detect(CUTS, ANSWERS, DEFAULT_STRATEGY, [seen("Rival", 5, 935)]),
    null,
  ); // before our last cut
});

Deno.test("price war - different competitors answering different cuts is not one war", () => {
  assertEquals(detect(CUTS, [seen("Other", 19, 975), ANSWERS[1]!]), null);
});

Deno.test("price war - only cuts within the window count, and it can be switched off", () => {
  const old = [cut(30, 1000, 980), cut(12, 980, 960), cut(4, 960, 940)];
  assertEquals(detect(old, [seen("Rival", 29, 975), ANSWERS[1]!]), null);
  assertEquals(detect(CUTS.slice(1), ANSWERS), null); // two cuts of the three needed
  assertEquals(
    detect(CUTS, ANSWERS, { ...DEFAULT_STRATEGY, priceWar: null }),
    null,
  );
});

Deno.test("price war - an excluded competitor cannot start a war", () => {
  assertEquals(
    detect(CUTS, ANSWERS, {
      ...DEFAULT_STRATEGY,
      excludeCompetitors: ["Rival"],
    }),
    null,
  );
});
