import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { applyMoves } from "./inventory.ts";
import type { InventoryEvent } from "../events/schema.ts";

const move = (q: number, warehouse = "WH-LAGOS"): InventoryEvent => ({
  event_id: crypto.randomUUID(),
  product_id: "P001",
  product_name: "Samsung Galaxy S24",
  product_category: "phones",
  event_type: q > 0 ? "stock_received" : "stock_damaged",
  quantity_change: q,
  warehouse_id: warehouse,
  timestamp: "2026-11-25T12:00:00.000Z",
});

Deno.test("inventory moves - refuses a move that would go below zero and judges the next without it", () => {
  const stock = new Map([["P001|WH-LAGOS", 5]]);
  const r = applyMoves(stock, [move(-3), move(-4), move(-2), move(10)]);
  assertEquals(r.map((x) => [x.applied, x.stockAfter]), [
    [true, 2],
    [false, 2],
    [true, 0],
    [true, 10],
  ]);
  match(
    r[1]!.reason!,
    /"quantity_change" -4 would take stock of P001 at WH-LAGOS from 2 to -2/,
  );
  assertEquals(stock.get("P001|WH-LAGOS"), 10);
});

Deno.test("inventory moves - warehouses are independent and unknown pairs start at zero", () => {
  const stock = new Map([["P001|WH-LAGOS", 1]]);
  const r = applyMoves(stock, [
    move(-1, "WH-PH"),
    move(-1, "WH-LAGOS"),
    move(7, "WH-PH"),
  ]);
  assertEquals(r.map((x) => x.applied), [false, true, true]);
  assertEquals(stock.get("P001|WH-PH"), 7);
  assertEquals(stock.get("P001|WH-LAGOS"), 0);
});
