import {
  deepStrictEqual as assertEquals,
  ok as assert,
  throws as assertThrows,
} from "node:assert/strict";
import {
  CHECKS,
  dataChecks,
  DEFAULT_MAX_STOCK,
  maxStockOf,
  stockBoundCheck,
} from "./checks.ts";

Deno.test("stock bound - QUALITY_MAX_STOCK wins; 0 follows the simulated shop's rate, never below 100,000", () => {
  assertEquals(maxStockOf({ qualityMaxStock: 250_000, rate: 1 }), 250_000);
  assertEquals(maxStockOf({ qualityMaxStock: 5_000, rate: 80 }), 5_000);
  assertEquals(maxStockOf({ qualityMaxStock: 0, rate: 1 }), DEFAULT_MAX_STOCK);
  assertEquals(maxStockOf({ qualityMaxStock: 0, rate: 0.2 }), 100_000);
  assertEquals(maxStockOf({ qualityMaxStock: 0, rate: 50 }), 5_000_000);
  assertEquals(maxStockOf({ qualityMaxStock: 0, rate: 2.5 }), 250_000);
});

Deno.test("stock bound - the check compares with the bound it was made with, and names it", () => {
  const c = stockBoundCheck(250_000);
  assertEquals(c.name, "inventory.stock_within_bound");
  assert(c.sql.includes("current_stock > 250000"), c.sql);
  assert(c.description.startsWith("No stock value is above 250,000 units"));
  const checks = dataChecks(250_000);
  assertEquals(checks.length, CHECKS.length);
  assertEquals(
    checks.filter((x) => x.name === c.name).map((x) => x.sql),
    [c.sql],
  );
  assertEquals(
    CHECKS.find((x) => x.name === c.name)!.sql,
    stockBoundCheck(DEFAULT_MAX_STOCK).sql,
  );
});

Deno.test("stock bound - only a positive whole number reaches the SQL", () => {
  for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
    assertThrows(
      () => stockBoundCheck(bad),
      /must be a positive whole number of units/,
    );
  }
});
