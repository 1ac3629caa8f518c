/** A product's current recommendation read back as the `Decision` the engine made. */
import type { Sql } from "../db/mod.ts";
import type { Action } from "./action.ts";
import type {
  Decision,
  ExcludedObservation,
  ExplanationStep,
  Flag,
  Observation,
} from "./types.ts";

export interface StoredDecision {
  decision: Decision;
  recommendationId: number;
  status: string;
  computedAt: Date;
  runId: number;
}

interface StoredRow {
  recommendation_id: string;
  status: string;
  computed_at: Date;
  run_id: string;
  current_price: string;
  target_price: string | null;
  recommended_price: string;
  recommendation: Action;
  confidence_score: string;
  floor_price: string;
  ceiling_price: string;
  expected_margin: string;
  observations: { used: Observation[]; excluded: ExcludedObservation[] };
  explanation: ExplanationStep[];
  flags: Flag[];
  auto_apply: boolean;
  hold_reason: string | null;
}

/** The current recommendation of `productId` as stored; null when there is none. */
export async function storedDecision(
  sql: Sql,
  productId: string,
): Promise<StoredDecision | null> {
  const [r] = await sql<StoredRow[]>`
    select h.recommendation_id::text, h.status, h.computed_at, h.run_id::text, h.current_price::text,
           h.target_price::text, h.recommended_price::text, h.recommendation, h.confidence_score::text,
           h.floor_price::text, h.ceiling_price::text, h.expected_margin::text, h.observations,
           h.explanation, array_to_json(h.flags) as flags, h.auto_apply, h.hold_reason
    from pricing_recommendations c
    join pricing_recommendation_history h using (recommendation_id)
    where c.product_id = ${productId}`;
  if (!r) return null;
  return {
    recommendationId: Number(r.recommendation_id),
    status: r.status,
    computedAt: r.computed_at,
    runId: Number(r.run_id),
    decision: {
      productId,
      currentPrice: Number(r.current_price),
      target: r.target_price === null ? null : Number(r.target_price),
      recommendedPrice: Number(r.recommended_price),
      action: r.recommendation,
      confidence: Number(r.confidence_score),
      floor: Number(r.floor_price),
      ceiling: Number(r.ceiling_price),
      expectedMargin: Number(r.expected_margin),
      used: r.observations.used,
      excluded: r.observations.excluded,
      explanation: r.explanation,
      flags: r.flags,
      autoApply: r.auto_apply,
      holdReason: r.hold_reason,
    },
  };
}
