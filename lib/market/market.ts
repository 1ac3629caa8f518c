/**
 * The simulated market: catalog + hidden demand + stock + competitors, on a
 * clock that is always passed in. `step` advances it over a window at our
 * prices and returns what happened per product (for the backtest) and the
 * events that implies (for the live shop and the pipeline). The live
 * generators use the same parts one event at a time through `sell`,
 * `restock`, `advanceCompetitors` and `observe`.
 *
 * Within a step, competitors re-price at its start (their timing resolution
 * is the step); `aggregate.ts` draws each product's views and purchases.
 */
import type { CompetitorEvent, InventoryEvent } from "../events/schema.ts";
import {
  type Product,
  PRODUCTS,
  type Warehouse,
  WAREHOUSES,
} from "../catalog.ts";
import { Rng } from "../rng.ts";
import { DemandModel, type MarketName } from "./demand.ts";
import {
  orderQuantity,
  reorderPoint,
  type Sale,
  SEED_STOCK_PER_WAREHOUSE,
  StockBook,
  type StockMove,
  WAREHOUSE_SHARE,
} from "./stock.ts";
import {
  CompetitorField,
  type CompetitorSpec,
  type PriceChange,
} from "./competitors.ts";
import { competitorEvent, inventoryEvent } from "./events.ts";
import { type ProductOutcome, stepProduct } from "./aggregate.ts";
import { HOUR_MS } from "../time.ts";

export type { ProductOutcome };

export interface MarketOptions {
  seed: string;
  /** Start of the clock (ms since the epoch). */
  start: number;
  market?: MarketName;
  competitors?: readonly CompetitorSpec[];
  /** Starting units per product × warehouse; default `steadyStock`. */
  initialStock?: (productId: string, warehouse: Warehouse) => number;
  /** An unchanged competitor price is observed again after this long (default 1 h). */
  observeEveryMs?: number;
  /** Demand multiplier: the live shop's `rate` (a bigger shop on the same clock). */
  scale?: number;
  products?: readonly Product[];
}

export interface StepResult {
  from: number;
  to: number;
  products: Map<string, ProductOutcome>;
  events: { inventory: InventoryEvent[]; competitor: CompetitorEvent[] };
}

/** `sql/002_seed.sql`'s starting stock: 100 units in every warehouse. */
export const SEED_STOCK = (): number => SEED_STOCK_PER_WAREHOUSE;

export class Market {
  readonly demand: DemandModel;
  readonly stock: StockBook;
  readonly competitors: CompetitorField;
  readonly products: readonly Product[];
  readonly #byId: ReadonlyMap<string, Product>;
  readonly #rng: Rng;
  readonly #events: Rng;
  readonly #scale: number;
  readonly #observeEveryMs: number;
  readonly #observed = new Map<string, number>();
  readonly #demandSince = new Map<string, number>();
  #now: number;
  #fedAt: number;

  constructor(opts: MarketOptions) {
    this.products = opts.products ?? PRODUCTS;
    this.#byId = new Map(this.products.map((p) => [p.id, p]));
    this.#scale = opts.scale ?? 1;
    this.#observeEveryMs = opts.observeEveryMs ?? HOUR_MS;
    this.#now = this.#fedAt = opts.start;
    this.#rng = new Rng(`${opts.seed}:market`);
    this.#events = new Rng(`${opts.seed}:market-events`);
    const { seed, market, products } = opts;
    this.demand = new DemandModel({ seed, market, products });
    this.competitors = new CompetitorField({
      seed,
      start: opts.start,
      specs: opts.competitors,
      products: this.products,
    });
    // The buyer's first forecast: the model's mean rate at list prices.
    const forecast = new Map(this.products.map((p) => [
      p.id,
      this.#scale * this.demand.params(p.id).viewsPerHour *
      this.demand.purchaseProbability(
        p.id,
        p.basePrice,
        this.referencePrice(p.id),
      ),
    ]));
    const initial = opts.initialStock ??
      ((id: string, w: Warehouse) => steadyStock(forecast.get(id)!, w));
    this.stock = new StockBook({ seed, forecastPerHour: forecast, initial });
  }

  /** The time the market has been advanced to. */
  get now(): number {
    return this.#now;
  }

  /** The demand model's reference for `productId`: competitors' average, else list price. */
  referencePrice(productId: string): number {
    return this.competitors.reference(productId) ??
      this.#product(productId).basePrice;
  }

  /** Advances the market over [from, to) at `ourPrices` (list price for any product missing). */
  step(
    from: number,
    to: number,
    ourPrices: ReadonlyMap<string, number>,
  ): StepResult {
    if (!(to > from) || from < this.#now) {
      throw new RangeError(
        `Cannot step the market over [${from}, ${to}): it is already at ${this.#now}`,
      );
    }
    const ours = (id: string) =>
      ourPrices.get(id) ?? this.#product(id).basePrice;
    const changes = this.advanceCompetitors(from, ours);
    const competitor = this.#observations(from, changes, ours);
    const inventory: InventoryEvent[] = [];
    const products = new Map<string, ProductOutcome>();
    const parts = { demand: this.demand, stock: this.stock, rng: this.#rng };
    for (const p of this.products) {
      const price = ours(p.id);
      const ref = this.referencePrice(p.id);
      const { outcome: o, moves } = stepProduct(
        { ...parts, scale: this.#scale },
        p,
        price,
        ref,
        from,
        to,
      );
      inventory.push(...this.#toEvents(moves));
      this.stock.observeDemand(
        p.id,
        o.units + o.lostSales,
        (to - from) / HOUR_MS,
      );
      products.set(p.id, o);
    }
    inventory.push(...this.#toEvents(this.stock.replenish(to)));
    this.#now = this.#fedAt = to;
    return { from, to, products, events: { inventory, competitor } };
  }

  /** Re-prices competitors up to `now` given our prices; returns what changed. */
  advanceCompetitors(
    now: number,
    ours: (productId: string) => number,
  ): PriceChange[] {
    return this.competitors.advance(now, ours);
  }

  /** Observations at `at`: every changed listed price, and unchanged ones not seen for `observeEveryMs`. */
  #observations(
    at: number,
    changes: readonly PriceChange[],
    ours: (id: string) => number,
  ): CompetitorEvent[] {
    const changed = new Set(
      changes.map((c) => `${c.competitor}|${c.productId}`),
    );
    const out: CompetitorEvent[] = [];
    for (const p of this.products) {
      for (const { competitor } of this.competitors.offers(p.id)) {
        const key = `${competitor}|${p.id}`;
        const last = this.#observed.get(key) ?? -Infinity;
        if (!changed.has(key) && at - last < this.#observeEveryMs) continue;
        this.#observed.set(key, at);
        out.push(this.observe(competitor, p.id, ours(p.id), at)!);
      }
    }
    return out;
  }

  /**
   * An observation of `competitor`'s listed price for `productId`, or null
   * while it is withdrawn; its id comes from `ids` (default: the market's own).
   */
  observe(
    competitor: string,
    productId: string,
    ourPrice: number,
    at: number,
    ids: Rng = this.#events,
  ): CompetitorEvent | null {
    const price = this.competitors.priceOf(competitor, productId);
    if (price === undefined) return null;
    return competitorEvent(
      ids,
      { competitor, productId, price, ours: ourPrice },
      at,
    );
  }

  /** P(purchase | view) of `productId` at `ourPrice` against the current reference. */
  purchaseChance(productId: string, ourPrice: number): number {
    return this.demand.purchaseProbability(
      productId,
      ourPrice,
      this.referencePrice(productId),
    );
  }

  /** Sells `n` units now (the per-event path): the sale, and its stock_sold events. */
  sell(
    productId: string,
    n: number,
    at: number,
  ): Sale & { events: InventoryEvent[] } {
    const sale = this.stock.sell(productId, n, at);
    const seen = this.#demandSince.get(productId) ?? 0;
    this.#demandSince.set(productId, seen + n);
    return { ...sale, events: this.#toEvents(sale.moves) };
  }

  /**
   * A housekeeping move (return, damage, count correction) at `at`, clipped
   * so stock stays at or above zero; null when nothing could be applied.
   */
  adjust(move: StockMove): InventoryEvent | null {
    const { productId, warehouse, quantity } = move;
    const applied = this.stock.adjust(productId, warehouse, quantity);
    return applied === 0
      ? null
      : this.#toEvents([{ ...move, quantity: applied }])[0]!;
  }

  /**
   * Feeds demand sold since the last call into the forecast, delivers what
   * arrived and places orders (the per-event path); returns stock_received events.
   */
  restock(now: number): InventoryEvent[] {
    const hours = (now - this.#fedAt) / HOUR_MS;
    if (hours > 0) {
      for (const p of this.products) {
        this.stock.observeDemand(p.id, this.#demandSince.get(p.id) ?? 0, hours);
      }
      this.#demandSince.clear();
      this.#fedAt = now;
    }
    this.#now = Math.max(this.#now, now);
    return this.#toEvents(this.stock.replenish(now));
  }

  /**
   * Brings every product × warehouse below its steady stock (what a shop in
   * its usual state holds, see {@linkcode steadyStock}) up to it, as
   * deliveries at `now`; returns their stock_received events. A shop that
   * opens on the seed stock, 100 units a cell against 157–2,304 in steady
   * state at rate 1, would otherwise sell out within hours, long before its
   * first orders (72 h away) arrive.
   */
  openingDelivery(now: number): InventoryEvent[] {
    const moves: StockMove[] = [];
    for (const p of this.products) {
      const perHour = this.stock.forecastPerHour(p.id);
      for (const w of WAREHOUSES) {
        const gap = steadyStock(perHour, w) - this.stock.onHand(p.id, w);
        if (gap <= 0) continue;
        this.stock.adjust(p.id, w, gap);
        moves.push({
          productId: p.id,
          warehouse: w,
          type: "stock_received",
          quantity: gap,
          at: now,
        });
      }
    }
    return this.#toEvents(moves);
  }

  /** Events drawn from this market's own id source. */
  #toEvents(moves: readonly StockMove[]): InventoryEvent[] {
    return moves.map((m) => inventoryEvent(this.#events, m));
  }

  #product(id: string): Product {
    const p = this.#byId.get(id);
    if (!p) throw new RangeError(`Product "${id}" is not in the market`);
    return p;
  }
}

/**
 * The default starting stock of a product selling `perHour` units/hour in
 * warehouse `w`: a shop in its usual state, half an order above the reorder
 * point (about a week of demand), split by warehouse share.
 */
export function steadyStock(perHour: number, w: Warehouse): number {
  const units = reorderPoint(perHour) + orderQuantity(perHour) / 2;
  return Math.round(units * WAREHOUSE_SHARE[w]);
}
