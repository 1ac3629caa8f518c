import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { ewmTrendForecast, type StockInput, stockOut } from "./forecast.ts";

Deno.test("forecast - a straight line is extended exactly", () => {
  assertEquals(ewmTrendForecast([1, 2, 3]), [4, 5, 6, 7, 8, 9]);
});

Deno.test("forecast - a flat series forecasts its level", () => {
  assertEquals(ewmTrendForecast([5, 5, 5, 5]), [5, 5, 5, 5, 5, 5]);
  assertEquals(ewmTrendForecast([3]), [3, 3, 3, 3, 3, 3]);
});

Deno.test("forecast - weights recent hours by 0.85 per hour of age", () => {
  // y = [2, 0, 4], w = [0.7225, 0.85, 1], W = 2.5725
  // x̄ = (0.85·1 + 1·2) / W = 1.107872, ȳ = (0.7225·2 + 1·4) / W = 2.116618
  // b = Σw(x−x̄)(y−ȳ) / Σw(x−x̄)² = 1.162518
  // ŷ(3) = ȳ + b·(3 − x̄) = 4.3163, then + b per hour.
  assertEquals(ewmTrendForecast([2, 0, 4]), [
    4.3163,
    5.4788,
    6.6413,
    7.8038,
    8.9663,
    10.1288,
  ]);
  assertEquals(ewmTrendForecast([0, 0, 2, 4, 2, 4, 6, 4]), [
    5.8291,
    6.5076,
    7.1861,
    7.8646,
    8.5431,
    9.2215,
  ]);
});

Deno.test("forecast - a falling trend is clipped at zero and an empty series forecasts zeros", () => {
  assertEquals(ewmTrendForecast([6, 4, 2, 0]), [0, 0, 0, 0, 0, 0]);
  assertEquals(ewmTrendForecast([]), [0, 0, 0, 0, 0, 0]);
});

const product = (
  productId: string,
  stock: number,
  hourly: number[],
): StockInput => ({
  productId,
  productName: `Product ${productId}`,
  category: "phones",
  stock,
  hourly,
});

Deno.test("stock-out - divides stock by the mean forecast rate and flags Critical under 24 h, Warning under 72 h", () => {
  const rows = stockOut([
    product("A", 10, [1, 1, 1, 1]), // 1/h → 10 h
    product("B", 100, [2, 2]), // 2/h → 50 h
    product("C", 300, [1, 2, 3]), // forecast 4..9, mean 6.5/h → 46.2 h
    product("D", 500, [0, 0, 0]), // no demand → never
    product("E", 0, []), // already out
    product("F", 80, [1]), // 80 h
    product("G", 24, [1, 1]), // exactly 24 h is not Critical
  ]);
  assertEquals(
    rows.map((
      r,
    ) => [r.productId, r.ratePerHour, r.hoursUntilStockOut, r.status]),
    [
      ["E", 0, 0, "Critical"],
      ["A", 1, 10, "Critical"],
      ["G", 1, 24, "Warning"],
      ["C", 6.5, 46.2, "Warning"],
      ["B", 2, 50, "Warning"],
      ["F", 1, 80, "OK"],
      ["D", 0, null, "OK"],
    ],
  );
});
