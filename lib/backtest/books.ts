/**
 * The simulated shop's own books during one backtest run: our prices and the
 * changes we applied, the competitor prices our crawler saw, and recent sales.
 * This is what the pricing engine can know (the same facts the database holds
 * in production), never the market's hidden state, so `decide()` sees in the
 * backtest what it sees live.
 */
import type { CompetitorEvent } from "../events/schema.ts";
import type { Product } from "../catalog.ts";
import type { Observation, PriceChange, ProductInput } from "../pricing/mod.ts";
import { DEFAULT_MAX_AGE_MS } from "../pricing/mod.ts";
import type { ProductOutcome } from "../market/market.ts";
import { HOUR_MS } from "../time.ts";

/** How far back competitor observations are kept: the price-war window and a margin. */
const HISTORY_MS = 48 * HOUR_MS;
/** Applied changes kept per product: more than any price-war rule looks at. */
const CHANGES_KEPT = 20;

interface Line {
  product: Product;
  price: number;
  lastAppliedAt: number | null;
  changes: PriceChange[];
  /** Latest observation per competitor. */
  latest: Map<string, Observation>;
  /** Observations of the last `HISTORY_MS`, oldest first. */
  history: Observation[];
  /** Demand (sold + lost) per step over the last 24 h, a ring. */
  demand: Float64Array;
  /** Units sold per step over the last hour, a ring. */
  sold: Float64Array;
}

/** What a decision may add to `ProductInput` for the optimizer (see lib/pricing/optimize.ts). */
export type BacktestInput = ProductInput & {
  now: number;
  hoursToReplenishment?: number;
};

export class ShopBooks {
  readonly #lines = new Map<string, Line>();
  readonly #stepsPerDay: number;
  readonly #stepsPerHour: number;
  #slot = 0;

  /**
   * Starts at list prices. `demandPerHour` is the shop's demand rate before
   * the run (the buyer's forecast), so the first day's sales rate is known.
   */
  constructor(
    products: readonly Product[],
    stepMs: number,
    demandPerHour: (productId: string) => number,
  ) {
    this.#stepsPerDay = Math.round(24 * HOUR_MS / stepMs);
    this.#stepsPerHour = Math.max(1, Math.round(HOUR_MS / stepMs));
    for (const p of products) {
      const perStep = demandPerHour(p.id) * stepMs / HOUR_MS;
      this.#lines.set(p.id, {
        product: p,
        price: p.basePrice,
        lastAppliedAt: null,
        changes: [],
        latest: new Map(),
        history: [],
        demand: new Float64Array(this.#stepsPerDay).fill(perStep),
        sold: new Float64Array(this.#stepsPerHour).fill(perStep),
      });
    }
  }

  #line(id: string): Line {
    const l = this.#lines.get(id);
    if (!l) throw new RangeError(`Product "${id}" is not in the books`);
    return l;
  }

  /** Our current prices, for the market. */
  prices(): Map<string, number> {
    return new Map([...this.#lines].map(([id, l]) => [id, l.price]));
  }

  /** Our current price of `productId`. */
  price(productId: string): number {
    return this.#line(productId).price;
  }

  /** Applies a price change at `at`. */
  apply(productId: string, price: number, at: number): void {
    const l = this.#line(productId);
    l.changes.push({ at, oldPrice: l.price, newPrice: price });
    if (l.changes.length > CHANGES_KEPT) l.changes.shift();
    l.price = price;
    l.lastAppliedAt = at;
  }

  /** Records what the crawler saw. */
  observe(events: readonly CompetitorEvent[]): void {
    for (const e of events) {
      const l = this.#line(e.product_id);
      const o: Observation = {
        source: e.competitor_name,
        price: e.competitor_price,
        observedAt: Date.parse(e.timestamp),
        eventId: e.event_id,
      };
      l.latest.set(o.source, o);
      l.history.push(o);
    }
  }

  /** Records one step's sales and lost sales. */
  sell(outcomes: ReadonlyMap<string, ProductOutcome>): void {
    const d = this.#slot % this.#stepsPerDay;
    const h = this.#slot % this.#stepsPerHour;
    for (const [id, o] of outcomes) {
      const l = this.#line(id);
      l.demand[d] = o.units + o.lostSales;
      l.sold[h] = o.units;
    }
    this.#slot++;
  }

  /**
   * The competitors' average of the observations fresh at `now` (at most
   * `maxAgeMs` old, the engine's own hygiene): the reference the shop sees.
   */
  observedReference(
    productId: string,
    now: number,
    maxAgeMs = DEFAULT_MAX_AGE_MS,
  ): number | undefined {
    let sum = 0, n = 0;
    for (const o of this.#line(productId).latest.values()) {
      if (now - o.observedAt > maxAgeMs) continue;
      sum += o.price;
      n++;
    }
    return n ? sum / n : undefined;
  }

  /** Everything `decide()` reads about `productId` at `now`. */
  input(
    productId: string,
    now: number,
    stock: { units: number; nextArrival?: number },
  ): BacktestInput {
    const l = this.#line(productId);
    while (l.history.length && l.history[0]!.observedAt < now - HISTORY_MS) {
      l.history.shift();
    }
    const p = l.product;
    return {
      productId,
      category: p.category,
      listPrice: p.basePrice,
      currentPrice: l.price,
      unitCost: p.unitCost,
      mapPrice: null,
      minPrice: null,
      maxPrice: null,
      observations: [...l.latest.values()],
      stockUnits: stock.units,
      salesPerDay: sum(l.demand),
      purchasesLastHour: sum(l.sold),
      lastAppliedAt: l.lastAppliedAt,
      recentChanges: l.changes,
      competitorHistory: l.history,
      now,
      hoursToReplenishment: stock.nextArrival === undefined
        ? undefined
        : Math.max(0, (stock.nextArrival - now) / HOUR_MS),
    };
  }
}

function sum(xs: Float64Array): number {
  let n = 0;
  for (const x of xs) n += x;
  return n;
}
