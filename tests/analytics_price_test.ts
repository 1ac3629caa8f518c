import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { fillPrice } from "./analytics_data.ts";
import { dbTest } from "./harness/db.ts";
import { analyticsApp, getJson, withModels } from "./analytics_fixtures.ts";
import { type PriceReport, priceReport } from "../lib/analytics/mod.ts";
import { parseWindow } from "../lib/analytics/window.ts";

const QUERY = "hours=24&until=2026-01-05T12:00:00Z";

function checkPrice(r: PriceReport): void {
  const p = (id: string) => r.products.find((x) => x.productId === id)!;
  // P001: latest prices 95, 100 and ElectroHub's 80 → mean 91.67, gap +9.09 %.
  assertEquals([p("P001").avgCompetitorPrice, p("P001").gapPct], [91.67, 9.09]);
  assertEquals([p("P002").avgCompetitorPrice, p("P002").gapPct], [45, 11.11]);
  assertEquals([p("P004").avgCompetitorPrice, p("P004").gapPct], [null, null]);
  // Every observation in the window, not only the latest: gaps 11.11, 5.26, −9.09, 0, 0, 25.
  assertEquals(r.histogram.map((b) => [b.from, b.count]), [
    [-10, 1],
    [-5, 0],
    [0, 2],
    [5, 1],
    [10, 1],
    [15, 0],
    [20, 0],
    [25, 1],
  ]);
  assertEquals(r.observations, { count: 6, avgGapPct: 5.38, dearerRate: 0.5 });
  assertEquals(
    r.split.map((
      s,
    ) => [s.recommendation, s.products, s.share, s.avgConfidence]),
    [
      ["raise", 1, 0.3333, 1],
      ["lower", 1, 0.3333, 0.5556],
      ["hold", 1, 0.3333, 0.9],
    ],
  );
  assertEquals(
    r.heatmap.competitors.map((
      c,
    ) => [c.competitor, c.avgGapPct, c.undercutRate]),
    [
      ["TechMart", 5.46, 0.6667],
      ["GadgetZone", 5.3, 0.3333],
    ],
  );
}

dbTest(
  "analytics price - positions, gap histogram, split and heatmap come from the marts and history",
  async ({ sql }) => {
    await withModels(sql, () => fillPrice(sql));
    const r = await priceReport(
      sql,
      parseWindow(
        { hours: "24", until: "2026-01-05T12:00:00Z" },
        168,
        new Date(),
      ),
      -1.5,
    );
    checkPrice(r);
    // P002: 4 sold in 24 h at $50 → $44.55: 4 × 0.891^−1.5 = 4.756 units, $211.88 a day instead of $200.
    assertEquals(
      r.simulation.products.map((
        s,
      ) => [s.productId, s.unitsPerDayBefore, s.unitsPerDayAfter]),
      [
        ["P002", 4, 4.756],
      ],
    );
    assertEquals(r.simulation.totals, {
      revenuePerDayBefore: 200,
      revenuePerDayAfter: 211.88,
      revenuePerDayDelta: 11.88,
    });
    match(r.simulation.assumption, /Constant price elasticity/);
    // The recommendations are the last pricing run's, not the five-minute mart's.
    assertEquals(typeof r.pricedAt, "string");
  },
);

dbTest(
  "analytics price - the API takes the elasticity from the URL and refuses a positive one",
  async ({ sql }) => {
    await withModels(sql, () => fillPrice(sql));
    const app = analyticsApp(sql);
    const json = await getJson<PriceReport>(
      app,
      `/api/analytics/price?${QUERY}&elasticity=-1`,
    );
    checkPrice(json);
    assertEquals(json.simulation.elasticity, -1);
    assertEquals(json.simulation.totals.revenuePerDayDelta, 0);
    const bad = await app.request(`/api/analytics/price?${QUERY}&elasticity=2`);
    assertEquals(bad.status, 400);
    // One JSON error shape everywhere: {error, status}.
    assertEquals(await bad.json(), {
      error: 'Elasticity "2" is out of range: expected a number from -10 to 0',
      status: 400,
    });
    const nan = await app.request(`/api/analytics/price?elasticity=steep`);
    assertEquals(nan.status, 400);
    const csv = await app.request(`/api/analytics/price.csv?${QUERY}`);
    const lines = (await csv.text()).trimEnd().split("\r\n");
    assertEquals(lines.length, 1 + 30);
    assertEquals(
      lines.find((l) => l.startsWith("P002,")),
      "P002,iPhone 15 Pro,phones,50,45,11.11,lower,0.5556,44.55,4,4.756,11.88,-1.5,fixed",
    );
  },
);
