import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  analyzePricePosition,
  gapHistogram,
  type PriceObservation,
  type ProductPosition,
} from "./price_position.ts";

const obs = (
  productId: string,
  competitor: string,
  competitorPrice: number,
  ourPrice: number,
): PriceObservation => ({
  productId,
  competitor,
  competitorPrice,
  ourPrice,
});

// Gaps (our − theirs) / theirs: 11.1111, 5.2632, −9.0909, 0, 0, 25 (%).
const OBSERVATIONS = [
  obs("P1", "TechMart", 90, 100),
  obs("P1", "TechMart", 95, 100),
  obs("P1", "GadgetZone", 110, 100),
  obs("P1", "GadgetZone", 100, 100),
  obs("P2", "TechMart", 50, 50),
  obs("P2", "GadgetZone", 40, 50),
];

const product = (
  productId: string,
  ourPrice: number,
  avgCompetitorPrice: number | null,
  recommendation: ProductPosition["recommendation"],
  confidence: number | null,
): ProductPosition => ({
  productId,
  productName: productId,
  category: "phones",
  ourPrice,
  avgCompetitorPrice,
  recommendation,
  confidence,
  recommendedPrice: null,
});

const PRODUCTS = [
  product("P1", 100, 100, "hold", 0.9),
  product("P2", 50, 45, "lower", 0.5556),
  product("P3", 20, 25, "raise", 1),
  product("P4", 30, null, null, null),
  product("P5", 10, 11, "lower", 0.5),
];

Deno.test("price position - histograms every observation's gap in 5-point bins without holes", () => {
  const r = analyzePricePosition(PRODUCTS, OBSERVATIONS);
  assertEquals(r.histogram.map((b) => [b.from, b.to, b.count]), [
    [-10, -5, 1],
    [-5, 0, 0],
    [0, 5, 2],
    [5, 10, 1],
    [10, 15, 1],
    [15, 20, 0],
    [20, 25, 0],
    [25, 30, 1],
  ]);
  assertEquals(r.observations, { count: 6, avgGapPct: 5.38, dearerRate: 0.5 });
});

Deno.test("price position - gap against the competitor average per product, null without competitors", () => {
  const r = analyzePricePosition(PRODUCTS, OBSERVATIONS);
  assertEquals(r.products.map((p) => [p.productId, p.gapPct]), [
    ["P1", 0],
    ["P2", 11.11],
    ["P3", -20],
    ["P4", null],
    ["P5", -9.09],
  ]);
});

Deno.test("price position - splits raise, lower and hold with their confidence", () => {
  const r = analyzePricePosition(PRODUCTS, OBSERVATIONS);
  assertEquals(r.split, [
    {
      recommendation: "raise",
      products: 1,
      share: 0.25,
      avgConfidence: 1,
      minConfidence: 1,
      maxConfidence: 1,
    },
    {
      recommendation: "lower",
      products: 2,
      share: 0.5,
      avgConfidence: 0.5278,
      minConfidence: 0.5,
      maxConfidence: 0.5556,
    },
    {
      recommendation: "hold",
      products: 1,
      share: 0.25,
      avgConfidence: 0.9,
      minConfidence: 0.9,
      maxConfidence: 0.9,
    },
  ]);
});

Deno.test("price position - heatmap finds the competitor who undercuts us most", () => {
  const { cells, competitors } =
    analyzePricePosition(PRODUCTS, OBSERVATIONS).heatmap;
  assertEquals(
    cells.map((
      c,
    ) => [
      c.competitor,
      c.productId,
      c.observations,
      c.avgGapPct,
      c.undercutRate,
    ]),
    [
      ["GadgetZone", "P1", 2, -4.55, 0],
      ["GadgetZone", "P2", 1, 25, 1],
      ["TechMart", "P1", 2, 8.19, 1],
      ["TechMart", "P2", 1, 0, 0],
    ],
  );
  assertEquals(competitors, [
    {
      competitor: "TechMart",
      observations: 3,
      avgGapPct: 5.46,
      undercutRate: 0.6667,
    },
    {
      competitor: "GadgetZone",
      observations: 3,
      avgGapPct: 5.3,
      undercutRate: 0.3333,
    },
  ]);
});

Deno.test("price position - an edge value falls in the bin above and no data gives empty results", () => {
  assertEquals(gapHistogram([5, 10], 5).map((b) => [b.from, b.count]), [
    [5, 1],
    [10, 1],
  ]);
  const r = analyzePricePosition([], []);
  assertEquals(r.histogram, []);
  assertEquals(r.observations, { count: 0, avgGapPct: null, dearerRate: null });
  assertEquals(r.split.map((s) => [s.products, s.share]), [
    [0, null],
    [0, null],
    [0, null],
  ]);
  assertEquals(r.heatmap, { cells: [], competitors: [] });
});
