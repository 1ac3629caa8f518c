/**
 * The shop simulator: the live, one-event-at-a-time sampler of the market in
 * `lib/market/`. It decides when each stream's next event is due and produces
 * it. At rate 1:
 * - clickstream 5–15 events/s (about 320 purchases an hour at list prices,
 *   as many as the demand model's rates; purchase odds move with our price
 *   against the competitors' average);
 * - inventory about 0.1/s: a `stock_sold` for every purchase, `stock_received`
 *   when a replenishment order lands, and ~20 housekeeping moves an hour;
 * - competitor prices one observation every 2–5 s, of prices that move by
 *   the competitors' behaviours.
 * `rate` multiplies all three (a bigger shop on the same clock). The shop
 * keeps its own stock ledger, starting from the seed stock unless told
 * otherwise, so it never emits a move that would take stock below zero.
 */
import type { EventOf, InventoryEvent } from "../events/schema.ts";
import type { StreamName } from "../stream/topics.ts";
import { PRODUCT_BY_ID, type Warehouse } from "../catalog.ts";
import { Rng } from "../rng.ts";
import { Market, SEED_STOCK } from "../market/market.ts";
import type { MarketName } from "../market/demand.ts";
import { ClickstreamGenerator, type SessionModel } from "./clickstream.ts";
import { nextHousekeeping } from "./inventory.ts";
import { nextObservation } from "./competitor.ts";

/** Our selling prices. */
export interface PriceBook {
  priceOf(productId: string): number;
}

/** List prices, the default price book. */
export const LIST_PRICES: PriceBook = {
  priceOf: (id) => PRODUCT_BY_ID.get(id)!.basePrice,
};

/** Seconds between events, drawn per event, at rate 1 (inventory: housekeeping only). */
const GAP_S: Record<StreamName, (rng: Rng) => number> = {
  clickstream: (rng) => 1 / rng.range(5, 15),
  inventory: (rng) => rng.range(120, 240),
  competitor: (rng) => rng.range(2, 5),
};

export type Emitted = {
  [S in StreamName]: { stream: S; event: EventOf[S] };
}[StreamName];

/** What the shop sold and missed so far. */
export interface ShopStats {
  /** Units sold. */
  sold: number;
  /** Purchases that found no stock anywhere. */
  lostSales: number;
  /** Units delivered by replenishment. */
  received: number;
}

export interface ShopOptions {
  seed?: string;
  /** Shoppers browsing at once (default 50). */
  users?: number;
  /** The customer base their sessions are drawn from (default: one per shopper). */
  customers?: number;
  rate?: number;
  start?: number;
  /** Our prices; default list prices. */
  prices?: PriceBook;
  /** Starting units per product × warehouse; default the seed stock (100 each). */
  stock?: (productId: string, warehouse: Warehouse) => number;
  /**
   * A shop opening for the first time: the first events deliver what brings
   * every cell up to its steady stock ({@linkcode Market.openingDelivery}).
   */
  openingStock?: boolean;
  market?: MarketName;
}

export class ShopSimulator {
  /** One source per stream; a purchase links clickstream and inventory, so they are not independent. */
  #rng: Record<StreamName, Rng>;
  #gaps: Rng;
  #click: ClickstreamGenerator;
  #due: Record<StreamName, number>;
  #market: Market;
  #prices: PriceBook;
  #pending: InventoryEvent[] = [];
  #stats: ShopStats = { sold: 0, lostSales: 0, received: 0 };

  constructor(opts: ShopOptions) {
    const rng = (name: string) =>
      new Rng(opts.seed ? `${opts.seed}:${name}` : undefined);
    this.#rng = {
      clickstream: rng("clickstream"),
      inventory: rng("inventory"),
      competitor: rng("competitor"),
    };
    this.#gaps = rng("gaps");
    this.rate = opts.rate ?? 1;
    this.#prices = opts.prices ?? LIST_PRICES;
    const t = opts.start ?? Date.now();
    this.#market = new Market({
      seed: opts.seed || crypto.randomUUID(),
      start: t,
      market: opts.market,
      initialStock: opts.stock ?? SEED_STOCK,
      scale: this.rate,
    });
    this.#click = new ClickstreamGenerator(
      this.#rng.clickstream,
      this.#sessionModel(),
      opts.users ?? 50,
      opts.customers,
    );
    this.#due = { clickstream: t, inventory: t, competitor: t };
    if (opts.openingStock) {
      const opened = this.#market.openingDelivery(t);
      for (const e of opened) this.#stats.received += e.quantity_change;
      this.#pending.push(...opened);
    }
  }

  rate: number;

  /** Units sold, sales lost to stock-outs and units received so far. */
  get stats(): Readonly<ShopStats> {
    return { ...this.#stats };
  }

  /** The market the shop draws from (its stock ledger, competitors and demand). */
  get market(): Market {
    return this.#market;
  }

  #sessionModel(): SessionModel {
    const market = this.#market;
    const weights = Object.fromEntries(
      market.demand.all().map((d) => [d.productId, d.viewsPerHour]),
    );
    return {
      pickProduct: (rng) => PRODUCT_BY_ID.get(rng.weighted(weights))!,
      priceOf: (id) => this.#prices.priceOf(id),
      purchaseChance: (id) =>
        market.purchaseChance(id, this.#prices.priceOf(id)),
      trySell: (id, at) => {
        const sale = market.sell(id, 1, at);
        this.#stats.sold += sale.sold;
        this.#stats.lostSales += sale.lost;
        this.#pending.push(...sale.events);
        return sale.sold === 1;
      },
    };
  }

  /** Brings competitors and replenishment up to `now`; deliveries join the pending inventory events. */
  #advance(now: number): void {
    this.#market.advanceCompetitors(now, (id) => this.#prices.priceOf(id));
    const received = this.#market.restock(now);
    for (const e of received) this.#stats.received += e.quantity_change;
    this.#pending.push(...received);
  }

  /** One event of `stream` at time `now` (inventory: a pending sale or delivery first). */
  make<S extends StreamName>(stream: S, now: number): EventOf[S] {
    switch (stream) {
      case "clickstream":
        return this.#click.next(now) as EventOf[S];
      case "inventory":
        this.#advance(now);
        return (this.#pending.shift() ??
          nextHousekeeping(this.#rng.inventory, this.#market, now)) as EventOf[
            S
          ];
      default:
        this.#advance(now);
        return nextObservation(
          this.#rng.competitor,
          this.#market,
          now,
          (id) => this.#prices.priceOf(id),
        ) as EventOf[S];
    }
  }

  /** Every event due up to `now` (at most `max`), in time order per stream. */
  due(now: number, max = 100_000): Emitted[] {
    const out: Emitted[] = [];
    this.#advance(now);
    for (const stream of ["clickstream", "inventory", "competitor"] as const) {
      // After a long stall, skip ahead instead of bursting more than 5 s of traffic.
      this.#due[stream] = Math.max(this.#due[stream], now - 5000);
      while (this.#due[stream] <= now && out.length < max) {
        out.push({ stream, event: this.make(stream, now) } as Emitted);
        this.#due[stream] += (GAP_S[stream](this.#gaps) * 1000) / this.rate;
      }
      if (stream === "clickstream") this.#flush(out, max);
    }
    return out;
  }

  /** Sales and deliveries go out with the clicks that caused them. */
  #flush(out: Emitted[], max: number): void {
    while (this.#pending.length > 0 && out.length < max) {
      out.push({ stream: "inventory", event: this.#pending.shift()! });
    }
  }
}
