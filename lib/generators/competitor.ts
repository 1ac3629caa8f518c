/** Simulated competitor re-pricing: a random competitor prices a random product within ±20% of ours. */
import type { CompetitorEvent } from "../events/schema.ts";
import { COMPETITORS, PRODUCTS } from "../catalog.ts";
import type { Rng } from "../rng.ts";

export const MAX_DEVIATION = 0.2;

export function nextCompetitor(rng: Rng, now: number): CompetitorEvent {
  const p = rng.pick(PRODUCTS);
  const ours = p.basePrice;
  const price =
    Math.round(ours * (1 + rng.range(-MAX_DEVIATION, MAX_DEVIATION)) * 100) /
    100;
  const diff = Math.round((price - ours) * 100) / 100;
  return {
    event_id: rng.uuid(),
    product_id: p.id,
    product_name: p.name,
    product_category: p.category,
    competitor_name: rng.pick(COMPETITORS),
    competitor_price: price,
    our_price: ours,
    price_difference: diff,
    price_difference_pct: Math.round((diff / ours) * 10000) / 100,
    timestamp: new Date(now).toISOString(),
  };
}
