import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import {
  analyzeRfm,
  quintileEdges,
  quintileScores,
  recencyScores,
  segmentOf,
} from "./rfm.ts";

Deno.test("rfm quintiles - five distinct values score 1 to 5", () => {
  assertEquals(quintileScores([30, 10, 50, 20, 40]), [3, 1, 5, 2, 4]);
});

Deno.test("rfm quintiles - ten distinct values put two in each quintile", () => {
  assertEquals(
    quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
  );
});

Deno.test("rfm quintiles - tied values share the score of their lowest rank", () => {
  const values = [1, 1, 1, 1, 1, 1, 2, 3, 3, 10];
  const scores = quintileScores(values);
  // 2 has 6 values below it: 1 + floor(5 × 6 / 10) = 4; 3 has 7: 4; 10 has 9: 5.
  assertEquals(scores, [1, 1, 1, 1, 1, 1, 4, 4, 4, 5]);
  assertEquals(quintileEdges(values, scores), [
    { score: 1, min: 1, max: 1, count: 6 },
    { score: 4, min: 2, max: 3, count: 3 },
    { score: 5, min: 10, max: 10, count: 1 },
  ]);
});

Deno.test("rfm quintiles - all-equal values all score 1 and an empty list scores nothing", () => {
  assertEquals(quintileScores([7, 7, 7]), [1, 1, 1]);
  assertEquals(quintileScores([]), []);
});

Deno.test("rfm segments - each score triple maps to the first matching rule", () => {
  const cases: Array<[number, number, number, string]> = [
    [5, 5, 5, "Champions"],
    [4, 4, 4, "Champions"],
    [3, 5, 1, "Loyal Customers"],
    [4, 4, 3, "Loyal Customers"],
    [3, 2, 5, "Big Spenders"],
    [5, 1, 1, "Potential Loyalists"],
    [2, 3, 1, "At Risk"],
    [1, 1, 5, "At Risk"],
    [1, 2, 2, "Lost"],
    [2, 2, 2, "Needs Attention"],
    [3, 3, 3, "Needs Attention"],
  ];
  for (const [r, f, m, name] of cases) {
    assertEquals(segmentOf({ r, f, m }), name, `R${r} F${f} M${m}`);
  }
});

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

Deno.test("rfm - scores five customers and summarises revenue, size and device per segment", () => {
  const now = day("2026-01-31");
  const r = analyzeRfm([
    {
      userId: "u1",
      lastPurchaseAt: day("2026-01-30"),
      orders: 5,
      revenue: 1000,
      deviceCounts: { mobile: 5 },
    },
    {
      userId: "u2",
      lastPurchaseAt: day("2026-01-29"),
      orders: 4,
      revenue: 800,
      deviceCounts: { desktop: 3, mobile: 1 },
    },
    {
      userId: "u3",
      lastPurchaseAt: day("2026-01-21"),
      orders: 1,
      revenue: 50,
      deviceCounts: { tablet: 1 },
    },
    {
      userId: "u4",
      lastPurchaseAt: day("2026-01-01"),
      orders: 3,
      revenue: 600,
      deviceCounts: { desktop: 3 },
    },
    {
      userId: "u5",
      lastPurchaseAt: day("2025-12-01"),
      orders: 1,
      revenue: 20,
      deviceCounts: { mobile: 1 },
    },
  ], now);
  assertEquals(
    r.customers.map((
      c,
    ) => [
      c.userId,
      c.recencyDays,
      c.r,
      c.f,
      c.m,
      c.segment,
      c.preferredDevice,
    ]),
    [
      ["u1", 1, 5, 5, 5, "Champions", "mobile"],
      ["u2", 2, 4, 4, 4, "Champions", "desktop"],
      ["u3", 10, 3, 1, 2, "Needs Attention", "tablet"],
      ["u4", 30, 2, 3, 3, "At Risk", "desktop"],
      ["u5", 61, 1, 1, 1, "Lost", "mobile"],
    ],
  );
  assertEquals(
    r.segments.map((
      s,
    ) => [s.segment, s.customers, s.revenue, s.preferredDevice]),
    [
      ["Champions", 2, 1800, "mobile"],
      ["Loyal Customers", 0, 0, null],
      ["Big Spenders", 0, 0, null],
      ["Potential Loyalists", 0, 0, null],
      ["At Risk", 1, 600, "desktop"],
      ["Lost", 1, 20, "mobile"],
      ["Needs Attention", 1, 50, "tablet"],
    ],
  );
  // Recency edges in days: score 5 is the most recent.
  assertEquals(r.edges.recencyDays.map((e) => [e.score, e.min, e.max]), [
    [1, 61, 61],
    [2, 30, 30],
    [3, 10, 10],
    [4, 2, 2],
    [5, 1, 1],
  ]);
  assertEquals(r.edges.orders.map((e) => [e.score, e.min, e.max, e.count]), [
    [1, 1, 1, 2],
    [3, 3, 3, 1],
    [4, 4, 4, 1],
    [5, 5, 5, 1],
  ]);
});

Deno.test("rfm - no customers gives every segment empty", () => {
  const r = analyzeRfm([], day("2026-01-31"));
  assertEquals(r.customers, []);
  assertEquals(
    r.segments.every((s) => s.customers === 0 && s.revenue === 0),
    true,
  );
});

Deno.test("rfm - a customer who bought minutes ago is never Lost or At Risk, however the others rank", () => {
  const now = new Date("2026-01-31T12:00:00Z");
  const customers = Array.from({ length: 10 }, (_, i) => ({
    userId: `u${i}`,
    lastPurchaseAt: new Date(now.getTime() - (i + 1) * 60_000),
    orders: 1 + (i % 3),
    revenue: 100 * (i + 1),
    deviceCounts: { mobile: 1 },
  }));
  // Quintiles alone score the two oldest (9 and 10 minutes ago) R = 1.
  const ranked = analyzeRfm(customers, now);
  assertEquals(ranked.customers.filter((c) => c.r === 1).length, 2);
  ok(ranked.customers.some((c) => ["Lost", "At Risk"].includes(c.segment)));
  const floored = analyzeRfm(customers, now, 24 * 90);
  assertEquals(
    floored.customers.filter((c) =>
      c.segment === "Lost" || c.segment === "At Risk"
    ),
    [],
  );
  ok(floored.customers.every((c) => c.r >= 3));
});

Deno.test("rfm - the recency floor follows the fifth of the window a purchase falls in", () => {
  const now = day("2026-01-31");
  const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
  // 90-day window, fifths of 18 days: 1 day → band 5, 20 days → 4, 40 → 3, 80 → 1.
  assertEquals(
    recencyScores([ago(80), ago(40), ago(20), ago(1)], now, 24 * 90),
    [1, 2, 3, 4],
  );
  // Without the floor the older of two recent buyers would score 1.
  assertEquals(recencyScores([ago(1), ago(1.5)], now, 24 * 90), [3, 3]);
});
