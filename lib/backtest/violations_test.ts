import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { DEFAULT_STRATEGY } from "../pricing/mod.ts";
import { boundsOf, violationsOf } from "./violations.ts";

// Logitech MX Master 3S: list 99.99, cost 54.99, so floor 60.49 and ceiling 124.98.
const mouse = { listPrice: 99.99, unitCost: 54.99 };
const check = (from: number, to: number, cover = 10) =>
  violationsOf(mouse, DEFAULT_STRATEGY, from, to, cover);

Deno.test("violations - the bounds are cost × (1 + min margin) rounded up and list × (1 + max markup) rounded down", () => {
  assertEquals(boundsOf(mouse, DEFAULT_STRATEGY), {
    floor: 60.49,
    ceiling: 124.98,
  });
  assertEquals(
    boundsOf({ ...mouse, mapPrice: 94.99, maxPrice: 110 }, DEFAULT_STRATEGY),
    { floor: 94.99, ceiling: 110 },
  );
});

Deno.test("violations - a change within the bounds and the largest step is clean", () => {
  // 5% of 99.99 is 4.99 to the cent.
  assertEquals(check(99.99, 104.98), []);
  assertEquals(check(99.99, 95), []);
  assertEquals(check(99.99, 104.99), ["step_too_large"]);
  assertEquals(check(124.99 / 1.04, 124.98), []);
});

Deno.test("violations - below the floor, above the ceiling and too large a step are each counted", () => {
  assertEquals(check(62.99, 59.99), ["below_floor"]);
  assertEquals(check(121.99, 125.99), ["above_ceiling"]);
  assertEquals(check(99.99, 89.99), ["step_too_large"]);
  assertEquals(check(99.99, 199.99), ["above_ceiling", "step_too_large"]);
});

Deno.test("violations - an overstocked product may be cut by the overstock step, and a price outside the bounds moves straight in", () => {
  assertEquals(check(99.99, 90.99, 120), []);
  assertEquals(check(99.99, 88.99, 120), ["step_too_large"]);
  assertEquals(check(150, 124.98), []);
  assertEquals(check(40, 60.49), []);
});
