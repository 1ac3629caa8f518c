/** Queries behind the Overview page, `/api/overview` and the live KPIs. */
import type { Sql } from "../db/mod.ts";
import { throughput } from "./activity.ts";
import type {
  CategoryRevenue,
  Kpis,
  Overview,
  Recommendation,
  RecommendationRow,
} from "./types.ts";

/** The KPI cards: one round trip, each part on an indexed range. */
export async function kpis(sql: Sql, lowStockThreshold: number): Promise<Kpis> {
  const [r] = await sql<
    {
      clicks: number;
      stock: number;
      prices: number;
      revenue: string;
      purchases: number;
      views: number;
      low: number;
      recs: Record<string, number> | null;
      at: Date;
    }[]
  >`
    with today as (
      select event_type, count(*)::int as n, coalesce(sum(product_price), 0) as revenue
      from clickstream_events
      where event_type in ('purchase', 'product_view') and "timestamp" >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'
      group by event_type
    )
    select
      (select count(*)::int from clickstream_events where "timestamp" > now() - interval '1 minute') as clicks,
      (select count(*)::int from inventory_events where "timestamp" > now() - interval '1 minute') as stock,
      (select count(*)::int from competitor_price_history where "timestamp" > now() - interval '1 minute') as prices,
      (select coalesce(sum(revenue), 0)::text from today where event_type = 'purchase') as revenue,
      (select coalesce(sum(n), 0)::int from today where event_type = 'purchase') as purchases,
      (select coalesce(sum(n), 0)::int from today where event_type = 'product_view') as views,
      (select count(distinct product_id)::int from inventory_state where current_stock <= ${lowStockThreshold}) as low,
      (select json_object_agg(recommendation, n) from
        (select recommendation, count(*)::int as n from pricing_recommendations group by recommendation) c) as recs,
      now() as at`;
  const row = r!;
  const recs = row.recs ?? {};
  return {
    eventsPerMin: row.clicks + row.stock + row.prices,
    revenueToday: Number(row.revenue),
    purchasesToday: row.purchases,
    productViewsToday: row.views,
    conversionRate: row.views > 0 ? row.purchases / row.views : 0,
    lowStockProducts: row.low,
    lowStockThreshold,
    recommendations: {
      raise: recs.raise ?? 0,
      lower: recs.lower ?? 0,
      hold: recs.hold ?? 0,
    },
    at: row.at,
  };
}

/** Revenue and purchases per category since 00:00 UTC (every category, zero included). */
export async function revenueByCategory(sql: Sql): Promise<CategoryRevenue[]> {
  const rows = await sql<
    { category: string; revenue: string; purchases: number }[]
  >`
    select p.category, coalesce(sum(e.product_price), 0)::text as revenue, count(e.event_id)::int as purchases
    from (select distinct category from products) p
    left join clickstream_events e on e.product_category = p.category and e.event_type = 'purchase'
      and e."timestamp" >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'
    group by p.category
    order by sum(e.product_price) desc nulls last, p.category`;
  return rows.map((r) => ({
    category: r.category,
    revenue: Number(r.revenue),
    purchases: r.purchases,
  }));
}

interface RecRow {
  product_id: string;
  product_name: string;
  category: string;
  current_price: string;
  avg_competitor_price: string | null;
  recommended_price: string;
  price_gap_pct: string | null;
  demand_velocity: string;
  recommendation: Recommendation;
  status: string;
  confidence_score: string;
  computed_at: Date;
}

const num = (v: string | null) => (v === null ? null : Number(v));

/** Maps a stored recommendation joined with its product and status. */
export function toRecommendation(r: RecRow): RecommendationRow {
  return {
    productId: r.product_id,
    productName: r.product_name,
    category: r.category,
    currentPrice: Number(r.current_price),
    avgCompetitorPrice: num(r.avg_competitor_price),
    recommendedPrice: Number(r.recommended_price),
    priceGapPct: num(r.price_gap_pct),
    demandVelocity: Number(r.demand_velocity),
    recommendation: r.recommendation,
    status: r.status,
    confidence: Number(r.confidence_score),
    createdAt: r.computed_at,
  };
}

/** The most recent recommendations: changes first, then the most confident. */
export async function latestRecommendations(
  sql: Sql,
  limit = 10,
): Promise<RecommendationRow[]> {
  const rows = await sql<RecRow[]>`
    select r.product_id, p.product_name, p.category, r.current_price, r.avg_competitor_price,
           r.recommended_price, r.price_gap_pct, r.demand_velocity, r.recommendation, r.status,
           r.confidence_score, r.computed_at
    from pricing_recommendations r join products p using (product_id)
    order by r.computed_at desc, (r.recommendation = 'hold'), r.confidence_score desc, r.product_id
    limit ${limit}`;
  return rows.map(toRecommendation);
}

/** Everything the Overview page shows. */
export async function overview(
  sql: Sql,
  lowStockThreshold: number,
): Promise<Overview> {
  const [k, rev, recs, rates] = await Promise.all([
    kpis(sql, lowStockThreshold),
    revenueByCategory(sql),
    latestRecommendations(sql),
    throughput(sql),
  ]);
  return {
    kpis: k,
    revenueByCategory: rev,
    latestRecommendations: recs,
    throughput: rates,
  };
}
