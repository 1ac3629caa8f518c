/**
 * The aggregate sampler: one product's views, purchases and sales over a
 * window, as counts rather than clicks, so a month runs in about a second.
 * Views are Poisson with the seasonal rate integrated over the window;
 * purchases are binomial over those views at the purchase probability;
 * a delivery that lands inside the window splits it, so stock that arrives
 * midway sells in the rest of it.
 */
import type { Product } from "../catalog.ts";
import type { Rng } from "../rng.ts";
import type { DemandModel } from "./demand.ts";
import type { StockBook, StockMove } from "./stock.ts";
import { binomial, poisson } from "./sample.ts";
import { MINUTE_MS } from "../time.ts";

export interface ProductOutcome {
  productId: string;
  ourPrice: number;
  /** The reference the demand used: competitors' average, or list price when none listed. */
  refPrice: number;
  views: number;
  /** Completed purchases (one unit each, so equal to `units`). */
  purchases: number;
  units: number;
  revenue: number;
  costOfGoods: number;
  /** Purchases that found no stock anywhere. */
  lostSales: number;
  /** Minutes without stock in any warehouse (within a window, assuming sales spread evenly). */
  stockoutMinutes: number;
  /** Units on hand at the end of the step. */
  stockEnd: number;
}

/** What the aggregate sampler draws from. */
export interface Parts {
  demand: DemandModel;
  stock: StockBook;
  rng: Rng;
  /** Demand multiplier (a bigger shop). */
  scale: number;
}

/** Steps `p` over [from, to) at `price` against `refPrice`; returns the outcome and the stock moves. */
export function stepProduct(
  parts: Parts,
  p: Product,
  price: number,
  refPrice: number,
  from: number,
  to: number,
): { outcome: ProductOutcome; moves: StockMove[] } {
  const { demand, stock } = parts;
  const chance = demand.purchaseProbability(p.id, price, refPrice);
  const o: ProductOutcome = {
    productId: p.id,
    ourPrice: price,
    refPrice,
    views: 0,
    purchases: 0,
    units: 0,
    revenue: 0,
    costOfGoods: 0,
    lostSales: 0,
    stockoutMinutes: 0,
    stockEnd: 0,
  };
  const moves = stock.receive(p.id, from);
  for (let t = from; t < to;) {
    const eta = stock.nextArrival(p.id);
    const end = eta !== undefined && eta > t && eta < to ? eta : to;
    moves.push(...sellWindow(parts, p.id, chance, t, end, o));
    moves.push(...stock.receive(p.id, end));
    t = end;
  }
  o.purchases = o.units;
  o.revenue = o.units * price;
  o.costOfGoods = o.units * p.unitCost;
  o.stockEnd = stock.onHand(p.id);
  return { outcome: o, moves };
}

function sellWindow(
  { demand, stock, rng, scale }: Parts,
  id: string,
  chance: number,
  from: number,
  to: number,
  o: ProductOutcome,
): StockMove[] {
  const views = poisson(rng, scale * demand.expectedViews(id, from, to));
  const wanted = binomial(rng, views, chance);
  const onHand = stock.onHand(id);
  const sale = stock.sell(id, wanted, from + Math.floor((to - from) / 2));
  o.views += views;
  o.units += sale.sold;
  o.lostSales += sale.lost;
  const minutes = (to - from) / MINUTE_MS;
  // Sales spread evenly over the window: stock ran out after sold/wanted of it.
  if (onHand === 0) o.stockoutMinutes += minutes;
  else if (sale.lost > 0) o.stockoutMinutes += minutes * sale.lost / wanted;
  return sale.moves;
}
