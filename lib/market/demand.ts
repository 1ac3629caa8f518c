/**
 * The hidden demand model of the simulated shop, as rates. Per product:
 *
 *   views/hour(t)      = base(category) × tier × popularity × hourly(t) × weekday(t)
 *   P(purchase | view) = min(1, p0(category) × (our price / reference)^ε(category))
 *
 * where the reference is the competitors' current average price (list price
 * when none is listed). Nothing here samples: the aggregate sampler in
 * `market.ts` and the per-event one in the live generators both draw from
 * these rates, so they describe one shop.
 *
 * Scale: at list prices the base rates add up to about 4,900 product views and
 * 320 purchases an hour on an average hour of an average week, which is what
 * the live clickstream produces at rate 1 (≈3.6 sessions/s, 30% of them viewing
 * 1.3 products, 2% of all sessions buying). So `rate` 1 of the live shop and
 * the backtest model the same shop.
 */
import { type Category, type Product, PRODUCTS } from "../catalog.ts";
import { Rng } from "../rng.ts";
import { normal } from "./sample.ts";
import { HOUR_MS } from "../time.ts";

/** `default` is the market as documented; `alt` has every elasticity 30% smaller in magnitude. */
export type MarketName = "default" | "alt";

/**
 * Own-price elasticity of purchases per view, relative to the reference.
 * Accessories are commodities with many substitutes (most elastic); laptops
 * are considered purchases where fit matters more than a few percent of price
 * (least elastic). In the range of published retail estimates for electronics.
 */
export const ELASTICITY: Readonly<
  Record<MarketName, Readonly<Record<Category, number>>>
> = {
  default: {
    accessories: -2.5,
    phones: -1.8,
    laptops: -1.2,
    tablets: -1.5,
    headphones: -2.0,
  },
  alt: {
    accessories: -2.5 * 0.7,
    phones: -1.8 * 0.7,
    laptops: -1.2 * 0.7,
    tablets: -1.5 * 0.7,
    headphones: -2.0 * 0.7,
  },
};

/** Product-page views per hour of a mid-tier product of average popularity, before seasonality. */
export const BASE_VIEWS_PER_HOUR: Readonly<Record<Category, number>> = {
  accessories: 200,
  headphones: 170,
  phones: 175,
  tablets: 145,
  laptops: 125,
};

/**
 * Purchases per product view at our price = reference (p0). Cheap, low-risk
 * items convert best; big-ticket items are researched over many views. The
 * view-weighted mean is 6.5%, the live funnel's 2% of sessions buying over
 * 30% of sessions viewing a product.
 */
export const BASE_CONVERSION: Readonly<Record<Category, number>> = {
  accessories: 0.09,
  headphones: 0.07,
  phones: 0.055,
  tablets: 0.05,
  laptops: 0.04,
};

/**
 * Views multiplier by price tier within the category: budget below 0.6× the
 * category's median list price, premium above 1.3×. Cheaper models draw more
 * browsing.
 */
export const TIER_VIEWS = { budget: 1.25, mid: 1, premium: 0.8 } as const;

/** Spread of the seeded per-product popularity (lognormal, mean 1). */
export const POPULARITY_SIGMA = 0.2;

/** Local time of the shop's customers: West Africa Time, UTC+1 all year (no DST). */
export const UTC_OFFSET_HOURS = 1;

/**
 * Traffic by local hour, before normalising to a mean of 1: a night trough
 * (03–05 h at a fifth of the mean), a lunch bump and an evening peak at 20–21 h
 * about 1.8× the mean, the usual shape of consumer e-commerce traffic.
 */
const HOURLY_RAW = [
  0.55,
  0.35,
  0.25,
  0.2,
  0.2,
  0.3,
  0.5,
  0.75,
  0.95,
  1.05,
  1.1,
  1.15,
  1.25,
  1.2,
  1.1,
  1.05,
  1.1,
  1.2,
  1.4,
  1.65,
  1.8,
  1.75,
  1.45,
  0.95,
];
/** Traffic by local weekday (Sunday first), before normalising: weekends up about 15%. */
const WEEKDAY_RAW = [1.08, 0.93, 0.92, 0.94, 0.96, 1.02, 1.15];

const normalise = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Object.freeze(xs.map((x) => x / mean));
};
/** Hourly multipliers (mean 1), index = local hour. */
export const HOURLY: readonly number[] = normalise(HOURLY_RAW);
/** Weekday multipliers (mean 1), index = local weekday, Sunday = 0. */
export const WEEKDAY: readonly number[] = normalise(WEEKDAY_RAW);

/** The seasonality multiplier in force at `t` (ms since the epoch). */
export function seasonality(t: number): number {
  const local = new Date(t + UTC_OFFSET_HOURS * HOUR_MS);
  return HOURLY[local.getUTCHours()]! * WEEKDAY[local.getUTCDay()]!;
}

/** One product's hidden demand parameters. */
export interface ProductDemand {
  productId: string;
  category: Category;
  tier: keyof typeof TIER_VIEWS;
  /** Views/hour before seasonality. */
  viewsPerHour: number;
  /** Purchases per view at price parity. */
  conversion: number;
  elasticity: number;
}

function tierOf(p: Product, products: readonly Product[]) {
  const prices = products.filter((q) => q.category === p.category)
    .map((q) => q.basePrice).sort((a, b) => a - b);
  const mid = prices.length / 2;
  const median = prices.length % 2
    ? prices[Math.floor(mid)]!
    : (prices[mid - 1]! + prices[mid]!) / 2;
  if (p.basePrice < 0.6 * median) return "budget";
  return p.basePrice > 1.3 * median ? "premium" : "mid";
}

export class DemandModel {
  readonly market: MarketName;
  readonly #params = new Map<string, ProductDemand>();

  /** The same `seed` gives the same per-product popularity, hence the same model. */
  constructor(
    opts: {
      seed: string;
      market?: MarketName;
      products?: readonly Product[];
    },
  ) {
    this.market = opts.market ?? "default";
    const products = opts.products ?? PRODUCTS;
    const rng = new Rng(`${opts.seed}:demand`);
    for (const p of products) {
      const tier = tierOf(p, products);
      const s = POPULARITY_SIGMA;
      const popularity = Math.exp(s * normal(rng) - s * s / 2);
      this.#params.set(p.id, {
        productId: p.id,
        category: p.category,
        tier,
        viewsPerHour: BASE_VIEWS_PER_HOUR[p.category] * TIER_VIEWS[tier] *
          popularity,
        conversion: BASE_CONVERSION[p.category],
        elasticity: ELASTICITY[this.market][p.category],
      });
    }
  }

  /** The hidden parameters of `productId`; throws for an unknown product. */
  params(productId: string): ProductDemand {
    const p = this.#params.get(productId);
    if (!p) throw new RangeError(`Product "${productId}" is not in the model`);
    return p;
  }

  /** All products' parameters, in catalog order. */
  all(): ProductDemand[] {
    return [...this.#params.values()];
  }

  /** Views per hour of `productId` at `t`. */
  viewsPerHour(productId: string, t: number): number {
    return this.params(productId).viewsPerHour * seasonality(t);
  }

  /** Expected views of `productId` over [from, to), integrating seasonality hour by hour. */
  expectedViews(productId: string, from: number, to: number): number {
    const base = this.params(productId).viewsPerHour;
    let total = 0;
    for (let t = from; t < to;) {
      const next = Math.min(to, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
      total += base * seasonality(t) * (next - t) / HOUR_MS;
      t = next;
    }
    return total;
  }

  /** P(purchase | view) at our price against the reference price. */
  purchaseProbability(
    productId: string,
    ourPrice: number,
    refPrice: number,
  ): number {
    const d = this.params(productId);
    return Math.min(1, d.conversion * (ourPrice / refPrice) ** d.elasticity);
  }

  /** Expected purchases per hour at `t` (views/hour × purchase probability), stock permitting. */
  expectedPurchasesPerHour(
    product: Product | string,
    ourPrice: number,
    refPrice: number,
    t: number,
  ): number {
    const id = typeof product === "string" ? product : product.id;
    return this.viewsPerHour(id, t) *
      this.purchaseProbability(id, ourPrice, refPrice);
  }
}
