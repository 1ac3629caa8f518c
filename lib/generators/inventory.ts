/** Simulated warehouse movements: deliveries, returns, damage and manual counts. */
import type { InventoryEvent } from "../events/schema.ts";
import { PRODUCTS, WAREHOUSES } from "../catalog.ts";
import type { Rng } from "../rng.ts";

export const INVENTORY_MIX = {
  stock_received: 50,
  stock_returned: 25,
  stock_damaged: 15,
  manual_adjustment: 10,
} as const;

/** Quantity ranges per event type (inclusive). */
export const QUANTITY: Record<keyof typeof INVENTORY_MIX, [number, number]> = {
  stock_received: [10, 200],
  stock_returned: [1, 20],
  stock_damaged: [-15, -1],
  manual_adjustment: [-50, 50],
};

export function nextInventory(rng: Rng, now: number): InventoryEvent {
  const p = rng.pick(PRODUCTS);
  const type = rng.weighted(INVENTORY_MIX);
  const [lo, hi] = QUANTITY[type];
  let q = rng.int(lo, hi);
  if (q === 0) q = rng.next() < 0.5 ? -1 : 1; // manual adjustments are ±1…50, never 0
  return {
    event_id: rng.uuid(),
    product_id: p.id,
    product_name: p.name,
    product_category: p.category,
    event_type: type,
    quantity_change: q,
    warehouse_id: rng.pick(WAREHOUSES),
    timestamp: new Date(now).toISOString(),
  };
}
