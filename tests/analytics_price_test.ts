import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import type { Sql } from "../lib/db/mod.ts";
import {
  analyticsApp,
  type Click,
  getJson,
  insertClicks,
  withModels,
} from "./analytics_fixtures.ts";
import { type PriceReport, priceReport } from "../lib/analytics/mod.ts";
import { parseWindow } from "../lib/analytics/window.ts";

const QUERY = "hours=24&until=2026-01-05T12:00:00Z";

/** The observations of lib/analytics/price_position_test.ts, plus one older ElectroHub price. */
async function fill(sql: Sql): Promise<void> {
  await sql`update products set current_price = 100 where product_id = 'P001'`;
  await sql`update products set current_price = 50 where product_id = 'P002'`;
  const obs = (
    productId: string,
    competitor: string,
    price: number,
    our: number,
    at: string,
  ) => ({
    event_id: crypto.randomUUID(),
    product_id: productId,
    competitor_name: competitor,
    competitor_price: price,
    our_price: our,
    price_difference: our - price,
    price_difference_pct: Math.round(((our - price) / price) * 1e6) / 1e4,
    timestamp: new Date(at),
  });
  await sql`insert into competitor_price_history ${
    sql([
      obs("P001", "ElectroHub", 80, 100, "2026-01-01T00:00:00Z"), // outside the window, still its latest price
      obs("P001", "TechMart", 90, 100, "2026-01-05T01:00:00Z"),
      obs("P001", "TechMart", 95, 100, "2026-01-05T02:00:00Z"),
      obs("P001", "GadgetZone", 110, 100, "2026-01-05T01:00:00Z"),
      obs("P001", "GadgetZone", 100, 100, "2026-01-05T02:00:00Z"),
      obs("P002", "TechMart", 50, 50, "2026-01-05T01:00:00Z"),
      obs("P002", "GadgetZone", 40, 50, "2026-01-05T01:00:00Z"),
    ])
  }`;
  const rec = (
    productId: string,
    price: number,
    avg: number,
    rec: string,
    conf: number,
    to: number,
  ) => ({
    product_id: productId,
    current_price: price,
    avg_competitor_price: avg,
    demand_velocity: 0,
    price_gap_pct: Math.round(((price - avg) / avg) * 1e6) / 1e4,
    recommendation: rec,
    confidence_score: conf,
    recommended_price: to,
    run_id: 1,
  });
  await sql`insert into pricing_recommendations ${
    sql([
      rec("P001", 100, 91.67, "hold", 0.9, 100),
      rec("P002", 50, 45, "lower", 0.5556, 44.55),
      rec("P003", 699.99, 800, "raise", 1, 792),
    ])
  }`;
  const buy = (i: number): Click => ({
    user: `price-u${i}`,
    session: `price-s${i}`,
    device: "desktop",
    type: "purchase",
    productId: "P002",
    price: 50,
    at: `2026-01-05T0${i}:30:00Z`,
  });
  await insertClicks(sql, [buy(1), buy(2), buy(3), buy(4)]);
}

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
    await withModels(sql, () => fill(sql));
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
    assertEquals(typeof r.martsRefreshedAt.mart_pricing_analysis, "string");
  },
);

dbTest(
  "analytics price - the API takes the elasticity from the URL and refuses a positive one",
  async ({ sql }) => {
    await withModels(sql, () => fill(sql));
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
    assertEquals(await bad.json(), {
      error: 'Elasticity "2" is out of range: expected a number from -10 to 0',
    });
    const nan = await app.request(`/api/analytics/price?elasticity=steep`);
    assertEquals(nan.status, 400);
    const csv = await app.request(`/api/analytics/price.csv?${QUERY}`);
    const lines = (await csv.text()).trimEnd().split("\r\n");
    assertEquals(lines.length, 1 + 30);
    assertEquals(
      lines.find((l) => l.startsWith("P002,")),
      "P002,iPhone 15 Pro,phones,50,45,11.11,lower,0.5556,44.55,4,4.756,11.88,-1.5",
    );
  },
);
