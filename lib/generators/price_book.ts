/**
 * Our current prices and stock as the database knows them, for the
 * simulated shop: shoppers see the prices the engine (or an analyst)
 * applied, so an applied price moves demand, and a restarted shop does not
 * sell stock it already sold.
 */
import type { Sql } from "../db/mod.ts";
import type { Warehouse } from "../catalog.ts";
import { LIST_PRICES, type PriceBook } from "./mod.ts";
import { logger } from "../log.ts";

const log = logger("generators");

/** A price book kept in step with `products.current_price`. */
export class DatabasePriceBook implements PriceBook {
  #prices = new Map<string, number>();
  #timer?: ReturnType<typeof setInterval>;

  private constructor(private readonly sql: Sql) {}

  /** Loads the prices, then refreshes them every `everyMs`. */
  static async open(sql: Sql, everyMs = 5000): Promise<DatabasePriceBook> {
    const book = new DatabasePriceBook(sql);
    await book.refresh();
    book.#timer = setInterval(
      () =>
        book.refresh().catch((err) =>
          log.warn("cannot refresh our prices; keeping the last ones", {
            error: err,
          })
        ),
      everyMs,
    );
    return book;
  }

  /** Reads every product's current price. */
  async refresh(): Promise<void> {
    const rows = await this.sql<{ id: string; price: string }[]>`
      select product_id as id, current_price::text as price from products`;
    this.#prices = new Map(rows.map((r) => [r.id, Number(r.price)]));
  }

  /** Our price of `productId`; the list price for a product not loaded yet. */
  priceOf(productId: string): number {
    return this.#prices.get(productId) ?? LIST_PRICES.priceOf(productId);
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

/** Stock per product × warehouse as stored, for the shop's own ledger at start. */
export async function storedStock(
  sql: Sql,
): Promise<(productId: string, warehouse: Warehouse) => number> {
  const rows = await sql<{ p: string; w: string; n: number }[]>`
    select product_id as p, warehouse_id as w, current_stock as n from inventory_state`;
  const stock = new Map(rows.map((r) => [`${r.p}|${r.w}`, r.n]));
  return (p, w) => stock.get(`${p}|${w}`) ?? 0;
}

/**
 * Whether the shop has never moved stock (no inventory event stored): the
 * generators then open it with `openingStock` (lib/generators/mod.ts).
 */
export async function neverMovedStock(sql: Sql): Promise<boolean> {
  const [r] = await sql<{ fresh: boolean }[]>`
    select not exists (select 1 from inventory_events) as fresh`;
  return r!.fresh;
}
