/**
 * The shop's stock: units on hand per product × warehouse, orders on the way,
 * and the (s, Q) reorder policy that places them. A sale takes units from a
 * warehouse that has them; with none anywhere the sale is lost and counted.
 *
 * Policy, per product over all warehouses (one buyer orders for the shop):
 * when the stock position (on hand + on order) falls below the reorder point
 *   s = μ·L + z·√(μ·L + μ²·σ_L²)
 * (expected demand over the mean lead time plus safety stock for Poisson
 * demand and lead-time spread), order Q = 7 days of forecast demand. μ is an
 * exponentially weighted demand rate (half-life 3 days) of units sold plus
 * sales lost to stock-outs, which the shop sees as "notify me" clicks.
 */
import { type Warehouse, WAREHOUSES } from "../catalog.ts";
import { Rng } from "../rng.ts";
import { leadTimeDemand, type ReorderPolicy } from "../inventory/cover.ts";
import { HOUR_MS } from "../time.ts";

/** Mean supplier lead time: a domestic distributor delivers in about 3 days. */
export const LEAD_TIME_HOURS = 72;
/** Lead time is uniform in 72 ± 18 h (2.25 to 3.75 days): traffic, customs, weekends. */
export const LEAD_TIME_JITTER_HOURS = 18;
/** Safety factor for a 95% cycle service level. */
export const SERVICE_Z = 1.65;
/** Order quantity in days of forecast demand: a weekly order per product. */
export const ORDER_COVER_DAYS = 7;
/** Half-life of the demand forecast. */
export const FORECAST_HALF_LIFE_HOURS = 72;
/**
 * Where orders ship from by the customer's region: Lagos is the largest market.
 * Deliveries are split across warehouses in the same shares.
 */
export const WAREHOUSE_SHARE: Readonly<Record<Warehouse, number>> = {
  "WH-LAGOS": 0.5,
  "WH-ABUJA": 0.3,
  "WH-PH": 0.2,
};
/** What `sql/002_seed.sql` puts in every product × warehouse. */
export const SEED_STOCK_PER_WAREHOUSE = 100;

/** The shop's policy in the terms of lib/inventory/cover.ts, which the dashboard assesses cells by. */
export const SHOP_POLICY: ReorderPolicy = {
  leadTimeHours: LEAD_TIME_HOURS,
  leadTimeSpreadHours: LEAD_TIME_JITTER_HOURS,
  safetyZ: SERVICE_Z,
  coverDays: ORDER_COVER_DAYS,
};

/** The reorder point s for a demand of `perHour` units/hour: lead-time demand plus safety stock. */
export function reorderPoint(perHour: number): number {
  const { mean, sd } = leadTimeDemand(perHour, SHOP_POLICY);
  return mean + SERVICE_Z * sd;
}

/** The order quantity Q for a demand of `perHour` units/hour: a week of it, at least 1 unit. */
export function orderQuantity(perHour: number): number {
  return Math.max(1, Math.round(perHour * 24 * ORDER_COVER_DAYS));
}

export interface StockMove {
  productId: string;
  warehouse: Warehouse;
  type:
    | "stock_sold"
    | "stock_received"
    | "stock_returned"
    | "stock_damaged"
    | "manual_adjustment";
  /** Negative for a sale, positive for a delivery. */
  quantity: number;
  at: number;
}

export interface Sale {
  sold: number;
  lost: number;
  /** One move per warehouse that gave units. */
  moves: StockMove[];
}

interface Order {
  quantity: number;
  arrivesAt: number;
}

interface Line {
  onHand: Map<Warehouse, number>;
  orders: Order[];
  /** Forecast demand, units/hour. */
  rate: number;
  lost: number;
}

export class StockBook {
  readonly #lines = new Map<string, Line>();
  readonly #rng: Rng;

  /**
   * `forecastPerHour` seeds each product's demand forecast (and so which
   * products exist); `initial` gives the starting units per warehouse.
   */
  constructor(
    opts: {
      seed: string;
      forecastPerHour: ReadonlyMap<string, number>;
      initial?: (productId: string, warehouse: Warehouse) => number;
    },
  ) {
    this.#rng = new Rng(`${opts.seed}:stock`);
    const initial = opts.initial ?? (() => SEED_STOCK_PER_WAREHOUSE);
    for (const [id, rate] of opts.forecastPerHour) {
      const onHand = new Map(WAREHOUSES.map((w) => [w, initial(id, w)]));
      this.#lines.set(id, { onHand, orders: [], rate, lost: 0 });
    }
  }

  #line(productId: string): Line {
    const l = this.#lines.get(productId);
    if (!l) throw new RangeError(`Product "${productId}" has no stock line`);
    return l;
  }

  /** Units on hand of `productId`, in one warehouse or in all. */
  onHand(productId: string, warehouse?: Warehouse): number {
    const l = this.#line(productId);
    if (warehouse) return l.onHand.get(warehouse) ?? 0;
    let n = 0;
    for (const q of l.onHand.values()) n += q;
    return n;
  }

  /** Units ordered and not yet delivered. */
  onOrder(productId: string): number {
    return this.#line(productId).orders.reduce((n, o) => n + o.quantity, 0);
  }

  /** When the next delivery of `productId` arrives, if one is on the way. */
  nextArrival(productId: string): number | undefined {
    const times = this.#line(productId).orders.map((o) => o.arrivesAt);
    return times.length ? Math.min(...times) : undefined;
  }

  /** Sales lost to stock-outs so far. */
  lostSales(productId: string): number {
    return this.#line(productId).lost;
  }

  /** The demand forecast of `productId`, units/hour. */
  forecastPerHour(productId: string): number {
    return this.#line(productId).rate;
  }

  /** The reorder point s (units) at the current forecast. */
  reorderPoint(productId: string): number {
    return reorderPoint(this.#line(productId).rate);
  }

  /** The order quantity Q (units) at the current forecast. */
  orderQuantity(productId: string): number {
    return orderQuantity(this.#line(productId).rate);
  }

  /**
   * Sells up to `n` units of `productId` at `at`: each unit ships from the
   * customer's region (drawn by `WAREHOUSE_SHARE`) or, when that one is empty,
   * from the warehouse with the most stock. What cannot ship is lost.
   */
  sell(productId: string, n: number, at: number): Sale {
    const l = this.#line(productId);
    const taken = new Map<Warehouse, number>();
    let sold = 0;
    for (; sold < n; sold++) {
      const w = this.#source(l);
      if (!w) break;
      l.onHand.set(w, l.onHand.get(w)! - 1);
      taken.set(w, (taken.get(w) ?? 0) + 1);
    }
    const lost = n - sold;
    l.lost += lost;
    const moves = [...taken].map(([warehouse, q]): StockMove => ({
      productId,
      warehouse,
      type: "stock_sold",
      quantity: -q,
      at,
    }));
    return { sold, lost, moves };
  }

  #source(l: Line): Warehouse | undefined {
    const preferred = this.#rng.weighted(WAREHOUSE_SHARE);
    if (l.onHand.get(preferred)! > 0) return preferred;
    let best: Warehouse | undefined;
    for (const [w, q] of l.onHand) {
      if (q > 0 && (!best || q > l.onHand.get(best)!)) best = w;
    }
    return best;
  }

  /**
   * Applies a housekeeping move (a return, damage, a count correction) of
   * `quantity` units at `warehouse`, clipped so stock stays at or above zero;
   * returns the quantity applied (0 when nothing could be taken).
   */
  adjust(productId: string, warehouse: Warehouse, quantity: number): number {
    const l = this.#line(productId);
    const onHand = l.onHand.get(warehouse) ?? 0;
    const applied = Math.max(quantity, -onHand);
    l.onHand.set(warehouse, onHand + applied);
    return applied;
  }

  /** Feeds `units` of demand (sold + lost) seen over `hours` into the forecast. */
  observeDemand(productId: string, units: number, hours: number): void {
    if (!(hours > 0)) return;
    const l = this.#line(productId);
    const alpha = 1 - 2 ** (-hours / FORECAST_HALF_LIFE_HOURS);
    l.rate += alpha * (units / hours - l.rate);
  }

  /** Delivers what has arrived by `now`, then orders what fell below its reorder point. */
  replenish(now: number): StockMove[] {
    const moves: StockMove[] = [];
    for (const id of this.#lines.keys()) {
      moves.push(...this.receive(id, now));
      this.#reorder(id, now);
    }
    return moves;
  }

  /** Delivers the orders of `productId` due by `now`, split over the warehouses. */
  receive(productId: string, now: number): StockMove[] {
    const l = this.#line(productId);
    const due = l.orders.filter((o) => o.arrivesAt <= now);
    if (due.length === 0) return [];
    l.orders = l.orders.filter((o) => o.arrivesAt > now);
    return due.flatMap((o) => this.#deliver(productId, l, o));
  }

  #deliver(productId: string, l: Line, o: Order): StockMove[] {
    const split = WAREHOUSES.map((w) =>
      Math.floor(o.quantity * WAREHOUSE_SHARE[w])
    );
    // The first (largest) warehouse takes the rounding remainder.
    split[0]! += o.quantity - split.reduce((a, b) => a + b, 0);
    return WAREHOUSES.flatMap((warehouse, i): StockMove[] => {
      const quantity = split[i]!;
      if (quantity <= 0) return [];
      l.onHand.set(warehouse, l.onHand.get(warehouse)! + quantity);
      const type = "stock_received";
      return [{ productId, warehouse, type, quantity, at: o.arrivesAt }];
    });
  }

  #reorder(productId: string, now: number): void {
    const l = this.#line(productId);
    const s = this.reorderPoint(productId);
    // A few orders at most: more would mean Q is far below the lead-time demand.
    for (let i = 0; i < 3; i++) {
      if (this.onHand(productId) + this.onOrder(productId) >= s) return;
      const jitter = this.#rng.range(
        -LEAD_TIME_JITTER_HOURS,
        LEAD_TIME_JITTER_HOURS,
      );
      l.orders.push({
        quantity: this.orderQuantity(productId),
        arrivesAt: now + (LEAD_TIME_HOURS + jitter) * HOUR_MS,
      });
    }
  }
}
