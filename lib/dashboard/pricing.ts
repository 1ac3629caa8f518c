/**
 * Queries behind /pricing and `GET /api/pricing`: every product's current
 * recommendation exactly as the engine stored it (prices, gap, bounds,
 * explanation, status, computed_at), so every page shows the same numbers
 * for a run. The JSON API's field names are the database's (snake_case).
 */
import type { Sql } from "../db/mod.ts";
import type { Action } from "../pricing/action.ts";
import { qualityGate } from "../pricing/gate.ts";
import type { ExplanationStep } from "../pricing/types.ts";

export const STATUSES = [
  "pending",
  "approved",
  "rejected",
  "applied",
  "expired",
  "auto_applied",
  "no_change",
] as const;
export type Status = typeof STATUSES[number];

export interface PricingFilter {
  category?: string;
  recommendation?: Action;
  status?: Status;
}

/** A product's current recommendation, as stored by the engine. */
export interface RecommendationView {
  recommendation_id: number;
  product_id: string;
  product_name: string;
  category: string;
  /** Our price now (it differs from `current_price` once applied). */
  our_price: number;
  /** Our price when the recommendation was computed. */
  current_price: number;
  recommended_price: number;
  /** (recommended − current) / current × 100. */
  change_pct: number;
  recommendation: Action;
  status: Status;
  confidence: number;
  target_price: number | null;
  floor: number;
  ceiling: number;
  unit_cost: number;
  /** (recommended − cost) / recommended. */
  expected_margin: number;
  avg_competitor_price: number | null;
  price_gap_pct: number | null;
  /** The prices the decision used, by competitor. */
  competitor_prices: Record<string, number>;
  excluded_count: number;
  flags: string[];
  hold_reason: string | null;
  explanation: ExplanationStep[];
  computed_at: string;
  run_id: number;
  decided_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
}

/** The last finished run, for "checked at" and the auto-apply gate. */
export interface RunInfo {
  run_id: number;
  started_at: string;
  finished_at: string;
  products: number;
  auto_applied: number;
  pending: number;
  gate_reason: string | null;
}

export interface Pricing {
  /** Competitors that appear in any current recommendation. */
  competitors: string[];
  last_run: RunInfo | null;
  /** Why auto-apply is off right now (the quality gate); null when it is on. */
  gate: string | null;
  recommendations: RecommendationView[];
}

const n = (v: string | null) => (v === null ? null : Number(v));
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The select list behind a {@linkcode RecommendationView}; `r` current, `h` history, `p` product. */
export const VIEW_COLUMNS = `
  h.recommendation_id::text, p.product_id, p.product_name, p.category, p.current_price::text as our_price,
  h.current_price::text, h.recommended_price::text, h.recommendation, h.status,
  h.confidence_score::text, h.target_price::text, h.floor_price::text, h.ceiling_price::text,
  h.unit_cost::text, h.expected_margin::text, h.avg_competitor_price::text, h.price_gap_pct::text,
  h.observations, array_to_json(h.flags) as flags, h.hold_reason, h.explanation, h.computed_at, h.run_id::text,
  h.decided_at, h.decided_by, h.decision_reason`;

/** A row selected with {@linkcode VIEW_COLUMNS}. */
export interface ViewRecord {
  recommendation_id: string;
  product_id: string;
  product_name: string;
  category: string;
  our_price: string;
  current_price: string;
  recommended_price: string;
  recommendation: Action;
  status: Status;
  confidence_score: string;
  target_price: string | null;
  floor_price: string;
  ceiling_price: string;
  unit_cost: string;
  expected_margin: string;
  avg_competitor_price: string | null;
  price_gap_pct: string | null;
  observations: {
    used: { source: string; price: number }[];
    excluded: unknown[];
  };
  flags: string[];
  hold_reason: string | null;
  explanation: ExplanationStep[];
  computed_at: Date;
  run_id: string;
  decided_at: Date | null;
  decided_by: string | null;
  decision_reason: string | null;
}

/** Maps a stored row to the API shape. */
export function toView(r: ViewRecord): RecommendationView {
  const current = Number(r.current_price);
  const recommended = Number(r.recommended_price);
  return {
    recommendation_id: Number(r.recommendation_id),
    product_id: r.product_id,
    product_name: r.product_name,
    category: r.category,
    our_price: Number(r.our_price),
    current_price: current,
    recommended_price: recommended,
    change_pct: Math.round(((recommended - current) / current) * 10_000) / 100,
    recommendation: r.recommendation,
    status: r.status,
    confidence: Number(r.confidence_score),
    target_price: n(r.target_price),
    floor: Number(r.floor_price),
    ceiling: Number(r.ceiling_price),
    unit_cost: Number(r.unit_cost),
    expected_margin: Number(r.expected_margin),
    avg_competitor_price: n(r.avg_competitor_price),
    price_gap_pct: n(r.price_gap_pct),
    competitor_prices: Object.fromEntries(
      r.observations.used.map((o) => [o.source, o.price]),
    ),
    excluded_count: r.observations.excluded.length,
    flags: r.flags,
    hold_reason: r.hold_reason,
    explanation: r.explanation,
    computed_at: r.computed_at.toISOString(),
    run_id: Number(r.run_id),
    decided_at: iso(r.decided_at),
    decided_by: r.decided_by,
    decision_reason: r.decision_reason,
  };
}

/** Every product's current recommendation that passes the filter, pending first. */
export async function pricing(sql: Sql, f: PricingFilter): Promise<Pricing> {
  const [rows, lastRun, gate] = await Promise.all([
    sql<ViewRecord[]>`
      select ${sql.unsafe(VIEW_COLUMNS)}
      from pricing_recommendations r
      join pricing_recommendation_history h using (recommendation_id)
      join products p on p.product_id = r.product_id
      where (${f.category ?? null}::text is null or p.category = ${
      f.category ?? null
    })
        and (${f.recommendation ?? null}::text is null or h.recommendation = ${
      f.recommendation ?? null
    })
        and (${f.status ?? null}::text is null or h.status = ${
      f.status ?? null
    })
      order by (h.status = 'pending') desc, p.product_id`,
    latestRun(sql),
    qualityGate(sql),
  ]);
  const recommendations = rows.map(toView);
  const competitors = [
    ...new Set(
      recommendations.flatMap((r) => Object.keys(r.competitor_prices)),
    ),
  ].sort();
  return { competitors, last_run: lastRun, gate, recommendations };
}

/** The last finished pricing run; null before the first. */
export async function latestRun(sql: Sql): Promise<RunInfo | null> {
  const [r] = await sql<
    {
      run_id: string;
      started_at: Date;
      finished_at: Date;
      products: number;
      auto_applied: number;
      pending: number;
      gate_reason: string | null;
    }[]
  >`
    select run_id::text, started_at, finished_at, products, auto_applied, pending, gate_reason
    from pricing_runs where finished_at is not null order by run_id desc limit 1`;
  if (!r) return null;
  return {
    run_id: Number(r.run_id),
    started_at: r.started_at.toISOString(),
    finished_at: r.finished_at.toISOString(),
    products: r.products,
    auto_applied: r.auto_applied,
    pending: r.pending,
    gate_reason: r.gate_reason,
  };
}
