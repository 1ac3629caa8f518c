/** Queries behind the Pricing pages, `/api/pricing` and `/api/pricing/:id`. */
import type { Sql } from "../db/mod.ts";
import type { Recommendation } from "./types.ts";

export interface PricingFilter {
  category?: string;
  recommendation?: Recommendation;
}

export interface PricingRow {
  productId: string;
  productName: string;
  category: string;
  ourPrice: number;
  /** Latest price per competitor name, USD. */
  competitors: Record<string, number>;
  avgCompetitorPrice: number | null;
  /** (ours − average competitor) ÷ average competitor × 100, from the latest prices. */
  gapPct: number | null;
  /** Purchases per hour at the last pricing run. */
  demandVelocity: number | null;
  recommendation: Recommendation | null;
  confidence: number | null;
  recommendedPrice: number | null;
}

export interface Pricing {
  competitors: string[];
  rows: PricingRow[];
}

const num = (v: string | null) => (v === null ? null : Number(v));

/** Every product with its competitors' latest prices and its current recommendation. */
export async function pricing(sql: Sql, f: PricingFilter): Promise<Pricing> {
  const cat = f.category ?? null;
  const rec = f.recommendation ?? null;
  const [names, rows] = await Promise.all([
    sql<
      { name: string }[]
    >`select competitor_name as name from competitors order by competitor_name`,
    sql<
      {
        product_id: string;
        product_name: string;
        category: string;
        current_price: string;
        prices: Record<string, number> | null;
        avg_price: string | null;
        demand_velocity: string | null;
        recommendation: Recommendation | null;
        confidence_score: string | null;
        recommended_price: string | null;
      }[]
    >`
      select p.product_id, p.product_name, p.category, p.current_price::text,
             c.prices, c.avg_price::text, r.demand_velocity::text, r.recommendation,
             r.confidence_score::text, r.recommended_price::text
      from products p
      left join lateral (
        select json_object_agg(competitor_name, competitor_price) as prices, avg(competitor_price) as avg_price
        from competitor_prices cp where cp.product_id = p.product_id
      ) c on true
      left join pricing_recommendations r on r.product_id = p.product_id
      where (${cat}::text is null or p.category = ${cat})
        and (${rec}::text is null or r.recommendation = ${rec})
      order by p.product_id`,
  ]);
  return {
    competitors: names.map((n) => n.name),
    rows: rows.map((r) => {
      const ours = Number(r.current_price);
      const avg = num(r.avg_price);
      return {
        productId: r.product_id,
        productName: r.product_name,
        category: r.category,
        ourPrice: ours,
        competitors: Object.fromEntries(
          Object.entries(r.prices ?? {}).map(([k, v]) => [k, Number(v)]),
        ),
        avgCompetitorPrice: avg,
        gapPct: avg ? ((ours - avg) / avg) * 100 : null,
        demandVelocity: num(r.demand_velocity),
        recommendation: r.recommendation,
        confidence: num(r.confidence_score),
        recommendedPrice: num(r.recommended_price),
      };
    }),
  };
}

export interface PricePoint {
  at: Date;
  price: number;
}

export interface ProductHistory {
  product: {
    productId: string;
    productName: string;
    category: string;
    currentPrice: number;
  };
  /** Our price as seen at each competitor observation, oldest first. */
  ours: PricePoint[];
  /** Each competitor's observations, oldest first. */
  competitors: Record<string, PricePoint[]>;
  /** The pricing engine's runs for this product, oldest first. */
  runs: {
    at: Date;
    currentPrice: number;
    recommendedPrice: number;
    recommendation: Recommendation;
    confidence: number;
  }[];
}

/** Price history of one product; null when the product does not exist. */
export async function productHistory(
  sql: Sql,
  productId: string,
  limit = 500,
): Promise<ProductHistory | null> {
  const [product] = await sql<
    {
      product_id: string;
      product_name: string;
      category: string;
      current_price: string;
    }[]
  >`select product_id, product_name, category, current_price::text from products where product_id = ${productId}`;
  if (!product) return null;
  const [obs, runs] = await Promise.all([
    sql<
      {
        timestamp: Date;
        competitor_name: string;
        competitor_price: string;
        our_price: string;
      }[]
    >`
      select * from (
        select "timestamp", competitor_name, competitor_price::text, our_price::text
        from competitor_price_history where product_id = ${productId}
        order by "timestamp" desc limit ${limit}
      ) h order by "timestamp"`,
    sql<
      {
        created_at: Date;
        current_price: string;
        recommended_price: string;
        recommendation: Recommendation;
        confidence_score: string;
      }[]
    >`
      select * from (
        select created_at, current_price::text, recommended_price::text, recommendation, confidence_score::text
        from pricing_recommendation_history where product_id = ${productId}
        order by created_at desc limit ${limit}
      ) h order by created_at`,
  ]);
  const competitors: Record<string, PricePoint[]> = {};
  for (const o of obs) {
    (competitors[o.competitor_name] ??= []).push({
      at: o.timestamp,
      price: Number(o.competitor_price),
    });
  }
  return {
    product: {
      productId: product.product_id,
      productName: product.product_name,
      category: product.category,
      currentPrice: Number(product.current_price),
    },
    ours: obs.map((o) => ({ at: o.timestamp, price: Number(o.our_price) })),
    competitors,
    runs: runs.map((r) => ({
      at: r.created_at,
      currentPrice: Number(r.current_price),
      recommendedPrice: Number(r.recommended_price),
      recommendation: r.recommendation,
      confidence: Number(r.confidence_score),
    })),
  };
}
