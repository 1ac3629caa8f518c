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
  /** Minutes `last15Min` covers: 15, or less while the stream is younger. */
  windowMin: number;
}

/** What the shared live feed pushes to every open page. */
export interface LiveSnapshot {
  kpis: Kpis;
  recent: ActivityEvent[];
  throughput: StreamRate[];
  /** Batches committed since this server started listening. */
  commits: number;
}

/** A stock move as the inventory pages list it (applied, or refused with its reason). */
export interface Movement {
  eventId: string;
  at: Date;
  productId: string;
  productName: string | null;
  warehouseId: string;
  type: string;
  quantityChange: number;
  stockAfter: number | null;
  reason: string | null;
}

/**
 * One product in one warehouse, with what the warehouse manager decides on
 * (lib/inventory/cover.ts has every formula). Snake case: this is the item
 * `GET /api/inventory` publishes.
 */
export interface StockItem {
  product_id: string;
  product_name: string;
  category: string;
  warehouse_id: string;
  warehouse_name: string;
  stock: number;
  /** Units sold per day over the sales window. */
  sales_per_day: number;
  /** Stock ÷ sales per day; null while nothing sells. */
  days_of_cover: number | null;
  /** P(demand over the lead time > stock), 0–1. */
  stockout_risk: number;
  risk: "high" | "medium" | "low";
  reorder_point: number;
  /** Units to order now; 0 above the reorder point. */
  reorder_qty: number;
}

/** The inventory KPI cards. */
export interface InventorySummary {
  totalUnits: number;
  /** Product × warehouse cells at or below the low-stock threshold (zero included). */
  lowCells: number;
  outOfStockCells: number;
  highRiskCells: number;
  /** Cells with a reorder suggestion, and the units suggested in all. */
  reorderCells: number;
  reorderUnits: number;
  cells: number;
}

/** How the sales rate and the suggestions were computed, for the page to say. */
export interface StockBasis {
  /** Hours the sales rate was measured over (the window, or less while history is short). */
  observedHours: number;
  salesRateHours: number;
  leadTimeHours: number;
  leadTimeSpreadHours: number;
  safetyZ: number;
  coverDays: number;
  lowStockThreshold: number;
}
