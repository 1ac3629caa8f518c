/** The stream events a market outcome implies, in the shape of `lib/events/schema.ts`. */
import type { CompetitorEvent, InventoryEvent } from "../events/schema.ts";
import { PRODUCT_BY_ID } from "../catalog.ts";
import type { Rng } from "../rng.ts";
import type { StockMove } from "./stock.ts";

const round2 = (x: number) => Math.round(x * 100) / 100;

function product(id: string) {
  const p = PRODUCT_BY_ID.get(id);
  if (!p) throw new RangeError(`Product "${id}" is not in the catalog`);
  return p;
}

/** The inventory event of a stock move; ids are drawn from `rng`. */
export function inventoryEvent(rng: Rng, m: StockMove): InventoryEvent {
  const p = product(m.productId);
  return {
    event_id: rng.uuid(),
    product_id: p.id,
    product_name: p.name,
    product_category: p.category,
    event_type: m.type,
    quantity_change: m.quantity,
    warehouse_id: m.warehouse,
    timestamp: new Date(m.at).toISOString(),
  };
}

/** An observation of `competitor`'s price for `productId` next to ours at `at`. */
export function competitorEvent(
  rng: Rng,
  o: { competitor: string; productId: string; price: number; ours: number },
  at: number,
): CompetitorEvent {
  const p = product(o.productId);
  const diff = round2(o.price - o.ours);
  return {
    event_id: rng.uuid(),
    product_id: p.id,
    product_name: p.name,
    product_category: p.category,
    competitor_name: o.competitor,
    competitor_price: o.price,
    our_price: o.ours,
    price_difference: diff,
    price_difference_pct: Math.round((diff / o.ours) * 10000) / 100,
    timestamp: new Date(at).toISOString(),
  };
}
