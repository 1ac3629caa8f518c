import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { decide } from "./decide.ts";
import { formatWaterfall } from "./explain.ts";
import { DEFAULT_STRATEGY } from "./strategy.ts";
import type { Observation, ProductInput } from "./types.ts";

const NOW = Date.UTC(2025, 10, 25, 12);
const obs = (
  source: string,
  price: number,
  minutesAgo: number,
): Observation => ({
  source,
  price,
  observedAt: NOW - minutesAgo * 60_000,
});
const phone: ProductInput = {
  productId: "P001",
  category: "phones",
  listPrice: 999.99,
  currentPrice: 899.99,
  unitCost: 650,
  mapPrice: null,
  minPrice: null,
  maxPrice: null,
  observations: [
    obs("TechMart", 800, 60),
    obs("GadgetZone", 805, 10),
    obs("Junk", 0.001, 1),
    obs("Old", 500, 420),
  ],
  stockUnits: 40,
  salesPerDay: 2,
  purchasesLastHour: 0,
  lastAppliedAt: null,
  recentChanges: [],
};

Deno.test("explain - the waterfall walks from our price through each step to the final price", () => {
  const d = decide(
    phone,
    { ...DEFAULT_STRATEGY, target: { kind: "average" } },
    NOW,
  );
  assertEquals(
    formatWaterfall(d),
    [
      "Product P001: lower 899.99 -> 855.99",
      "Used (2):",
      "  TechMart    800.00  seen 2025-11-25 11:00 UTC",
      "  GadgetZone  805.00  seen 2025-11-25 11:50 UTC",
      "Excluded (2):",
      "  Junk   0.001  invalid  price 0.001 is not a usable price",
      "  Old   500.00  stale    observed 7 h ago; prices older than 6 h are ignored",
      "Target: 802.50",
      "Waterfall:",
      "  current       899.99  our price now",
      "  target        802.50  average of 2 competitor prices $802.50",
      "  largest_step  855.00  at most -5% per change",
      "  rounding      855.99  rounded up to the .99 ending: rounding down would leave the allowed window",
      "  final         855.99  lower (-4.9%)",
      "Floor 715.00, ceiling 1249.98",
      "Margin 24.1%, confidence 0.7091, auto-apply no",
      "Flags: none",
    ].join("\n"),
  );
});

Deno.test("explain - a held decision shows what was excluded, its flags and why it holds", () => {
  const d = decide(
    { ...phone, observations: [obs("Junk", 0.02, 1)] },
    DEFAULT_STRATEGY,
    NOW,
  );
  const lines = formatWaterfall(d).split("\n");
  assertEquals(lines.slice(1, 4), [
    "Used (0):",
    "  none",
    "Excluded (1):",
  ]);
  assertEquals(lines.includes("Target: none (not enough data)"), true);
  assertEquals(lines.slice(-2), [
    "Flags: insufficient_data",
    "Held because insufficient data: 0 of 1 observations usable; the strategy needs at least 1",
  ]);
});
