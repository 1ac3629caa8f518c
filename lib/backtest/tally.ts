/**
 * What one strategy earned in a backtest: totals, a point per simulated day,
 * and our price path per product at hourly resolution (a point when the price
 * differs from the last one kept), compact enough to store and chart.
 */
import type { Product } from "../catalog.ts";
import type { StepResult } from "../market/market.ts";
import type { ShopBooks } from "./books.ts";
import type {
  DailyPoint,
  PricePoint,
  StrategyRun,
  StrategySummary,
} from "./run.ts";
import { DAY_MS, HOUR_MS } from "../time.ts";

const money = (x: number) => Math.round(x * 100) / 100;

export class Tally {
  readonly #summary: StrategySummary;
  readonly #daily: DailyPoint[] = [];
  readonly #prices: PricePoint[] = [];
  readonly #lastPrice = new Map<string, number>();
  readonly #byCategory = new Map<string, number>();
  readonly #category: ReadonlyMap<string, string>;
  readonly #start: number;
  readonly #products: readonly Product[];
  #stockoutMinutes = 0;

  constructor(name: string, start: number, products: readonly Product[]) {
    this.#start = start;
    this.#products = products;
    this.#category = new Map(products.map((p) => [p.id, p.category]));
    this.#summary = {
      name,
      revenue: 0,
      gross_margin: 0,
      units: 0,
      lost_sales: 0,
      stockout_hours: 0,
      price_changes: 0,
      violations: 0,
    };
  }

  /** Counts an applied price change, and whether it broke a guardrail. */
  change(violation: boolean): void {
    this.#summary.price_changes++;
    if (violation) this.#summary.violations++;
  }

  /** Adds one market step; `books` holds the prices it ran at. */
  step(r: StepResult, books: ShopBooks): void {
    const day = Math.floor((r.from - this.#start) / DAY_MS);
    let d = this.#daily[day];
    if (!d) {
      d = {
        day: day + 1,
        revenue: 0,
        gross_margin: 0,
        units: 0,
        lost_sales: 0,
      };
      this.#daily[day] = d;
    }
    for (const o of r.products.values()) {
      const margin = o.revenue - o.costOfGoods;
      this.#summary.revenue += o.revenue;
      this.#summary.gross_margin += margin;
      this.#summary.units += o.units;
      this.#summary.lost_sales += o.lostSales;
      this.#stockoutMinutes += o.stockoutMinutes;
      d.revenue += o.revenue;
      d.gross_margin += margin;
      d.units += o.units;
      d.lost_sales += o.lostSales;
      const c = this.#category.get(o.productId)!;
      this.#byCategory.set(c, (this.#byCategory.get(c) ?? 0) + margin);
    }
    if (r.from % HOUR_MS === 0) this.#samplePrices(r.from, books);
  }

  #samplePrices(at: number, books: ShopBooks): void {
    for (const p of this.#products) {
      const price = books.price(p.id);
      if (this.#lastPrice.get(p.id) === price) continue;
      this.#lastPrice.set(p.id, price);
      this.#prices.push({ productId: p.id, at, price });
    }
  }

  /** The totals (money to the cent), the daily points and the price paths. */
  result(): Omit<StrategyRun, "learned"> {
    const s = this.#summary;
    return {
      summary: {
        ...s,
        revenue: money(s.revenue),
        gross_margin: money(s.gross_margin),
        stockout_hours: Math.round(this.#stockoutMinutes / 6) / 10,
      },
      daily: this.#daily.map((d) => ({
        ...d,
        revenue: money(d.revenue),
        gross_margin: money(d.gross_margin),
      })),
      prices: this.#prices,
      marginByCategory: Object.fromEntries(
        [...this.#byCategory].map(([c, m]) => [c, money(m)]),
      ),
    };
  }
}
