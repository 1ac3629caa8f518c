/**
 * Warehouse housekeeping besides sales and deliveries (which the market
 * emits): customer returns, damage found on the shelf and cycle-count
 * corrections. At rate 1 one move every 2–4 minutes, about 20 an hour: returns
 * come to ~6% of units sold and damage ~2%, typical for consumer electronics.
 * Moves that would take stock below zero are clipped by the shop's ledger.
 */
import type { InventoryEvent } from "../events/schema.ts";
import { WAREHOUSES } from "../catalog.ts";
import type { Market } from "../market/market.ts";
import type { Rng } from "../rng.ts";

export const HOUSEKEEPING_MIX = {
  stock_returned: 60,
  stock_damaged: 25,
  manual_adjustment: 15,
} as const;

/** Quantity ranges per move type (inclusive). */
export const QUANTITY: Record<keyof typeof HOUSEKEEPING_MIX, [number, number]> =
  {
    stock_returned: [1, 2],
    stock_damaged: [-2, -1],
    manual_adjustment: [-3, 3],
  };

/** One housekeeping move at `now`, applied to the market's stock; a return when nothing else could apply. */
export function nextHousekeeping(
  rng: Rng,
  market: Market,
  now: number,
): InventoryEvent {
  const p = rng.pick(market.products);
  const type = rng.weighted(HOUSEKEEPING_MIX);
  const [lo, hi] = QUANTITY[type];
  let quantity = rng.int(lo, hi);
  if (quantity === 0) quantity = rng.next() < 0.5 ? -1 : 1; // adjustments are never 0
  const warehouse = rng.pick(WAREHOUSES);
  const move = { productId: p.id, warehouse, type, quantity, at: now };
  // An empty shelf has nothing to damage or count down: log a return instead.
  return market.adjust(move) ??
    market.adjust({ ...move, type: "stock_returned", quantity: 1 })!;
}
