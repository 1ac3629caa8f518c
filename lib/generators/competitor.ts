/**
 * Our price scraper: one observation of a competitor's listed price at a time,
 * of a random competitor × product pair, from the market's competitor
 * behaviours. A withdrawn (out of stock) pair shows no price, so it is skipped.
 */
import type { CompetitorEvent } from "../events/schema.ts";
import { COMPETITORS } from "../catalog.ts";
import type { Market } from "../market/market.ts";
import type { Rng } from "../rng.ts";

/** An observation at `now` of a pair that is listed; `ours` is our current price. */
export function nextObservation(
  rng: Rng,
  market: Market,
  now: number,
  ours: (productId: string) => number,
): CompetitorEvent {
  for (let i = 0; i < 50; i++) {
    const p = rng.pick(market.products);
    const e = market.observe(rng.pick(COMPETITORS), p.id, ours(p.id), now, rng);
    if (e) return e;
  }
  for (const p of market.products) {
    for (const c of COMPETITORS) {
      const e = market.observe(c, p.id, ours(p.id), now, rng);
      if (e) return e;
    }
  }
  throw new Error(
    "Cannot observe a competitor price: no competitor lists any product",
  );
}
