import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { decide, DEFAULT_THRESHOLDS as T } from "./rule.ts";

Deno.test("pricing rule - exactly +10% gap holds; just above lowers when demand is slow", () => {
  assertEquals(decide(110, 100, 0, T).recommendation, "hold");
  const d = decide(110.01, 100, 0, T);
  assertEquals(d.recommendation, "lower");
  assertEquals(d.recommendedPrice, 99);
  assertEquals(d.confidence, 0.5005); // 10.01% / 20%
});

Deno.test("pricing rule - an overpriced product with velocity 2/h holds, with 1.99/h lowers", () => {
  assertEquals(decide(130, 100, 2, T).recommendation, "hold");
  assertEquals(decide(130, 100, 1.99, T).recommendation, "lower");
});

Deno.test("pricing rule - exactly -10% gap holds; below raises only at velocity of at least 5/h", () => {
  assertEquals(decide(90, 100, 10, T).recommendation, "hold");
  assertEquals(decide(89.99, 100, 4.99, T).recommendation, "hold");
  const d = decide(89.99, 100, 5, T);
  assertEquals(d.recommendation, "raise");
  assertEquals(d.recommendedPrice, 99);
  assertEquals(d.confidence, 0.5005);
});

Deno.test("pricing rule - confidence caps at 1 from a 20% gap", () => {
  assertEquals(decide(120, 100, 0, T).confidence, 1);
  assertEquals(decide(150, 100, 0, T).confidence, 1);
  assertEquals(decide(70, 100, 9, T).confidence, 1);
});

Deno.test("pricing rule - hold keeps our price with confidence max(0.5, 1 - |gap|/20%)", () => {
  const small = decide(102, 100, 0, T);
  assertEquals(
    [small.recommendation, small.recommendedPrice, small.confidence],
    ["hold", 102, 0.9],
  );
  const big = decide(130, 100, 3, T); // held only because demand is healthy
  assertEquals([big.recommendation, big.confidence], ["hold", 0.5]);
  assertEquals(decide(100, 100, 0, T).confidence, 1);
});

Deno.test("pricing rule - thresholds are configuration", () => {
  const loose = { ...T, gap: 0.05 };
  assertEquals(decide(106, 100, 0, loose).recommendation, "lower");
  assertEquals(decide(106, 100, 0, T).recommendation, "hold");
});
