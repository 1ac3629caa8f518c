/**
 * The shapes the dashboard pages, the JSON API and the live feed share.
 * Islands use these types too, so this imports nothing but pure modules.
 * Money is in US dollars, rates are fractions (0.05 = 5 %) unless the name
 * ends in `Pct` (already × 100).
 */
import { type Action, ACTIONS } from "../pricing/action.ts";

/** A recommendation's action, as the pages name it. */
export type Recommendation = Action;
export const RECOMMENDATIONS: readonly Recommendation[] = ACTIONS;

export interface Kpis {
  /** Events of all three streams with a timestamp in the last 60 s. */
  eventsPerMin: number;
  /** Sum of purchase prices since 00:00 UTC, USD. */
  revenueToday: number;
  purchasesToday: number;
  productViewsToday: number;
  /** Purchases ÷ product views since 00:00 UTC (fraction). */
  conversionRate: number;
  /** Products with at most `lowStockThreshold` units in some warehouse. */
  lowStockProducts: number;
  lowStockThreshold: number;
  recommendations: Record<Recommendation, number>;
  at: Date;
}

export interface RecommendationRow {
  productId: string;
  productName: string;
  category: string;
  currentPrice: number;
  /** Mean of the competitor prices the decision used; null without any. */
  avgCompetitorPrice: number | null;
  recommendedPrice: number;
  /** Our price against that mean, as stored by the run; null without any. */
  priceGapPct: number | null;
  demandVelocity: number;
  recommendation: Recommendation;
  /** pending, applied, auto_applied, rejected, expired, no_change. */
  status: string;
  confidence: number;
  /** When the engine computed it. */
  createdAt: Date;
}

export interface CategoryRevenue {
  category: string;
  revenue: number;
  purchases: number;
}

export interface Overview {
  kpis: Kpis;
  revenueByCategory: CategoryRevenue[];
  latestRecommendations: RecommendationRow[];
  throughput: StreamRate[];
}

/** One event of any stream, as the activity feed shows it. */
export interface ActivityEvent {
  stream: "clickstream" | "inventory" | "competitor";
  eventId: string;
  at: Date;
  type: string;
  productId: string | null;
  productName: string | null;
  /** Device for clicks, warehouse for stock moves, competitor for prices. */
  where: string | null;
  /** Price (clicks, competitor) in USD or quantity change (inventory). */
  amount: number | null;
}

export interface StreamRate {
  stream: "clickstream" | "inventory" | "competitor";
  lastMinute: number;
  last15Min: number;
}

/** What the shared live feed pushes to every open page. */
export interface LiveSnapshot {
  kpis: Kpis;
  recent: ActivityEvent[];
  throughput: StreamRate[];
  /** Batches committed since this server started listening. */
  commits: number;
}
