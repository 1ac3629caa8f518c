/**
 * Writing a pricing run, set-based and in one transaction: the run row, the
 * decisions that changed (in chunks, each one statement), the pending
 * recommendations they supersede, the current row per product, and the
 * auto-applied prices. A run that fails leaves everything as it was.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { CurrentRecommendation } from "./inputs.ts";
import type { Decision, Strategy } from "./types.ts";

/** A decision and what the store needs to write it. */
export interface Planned {
  decision: Decision;
  strategy: Strategy;
  /** Purchases in the last hour (stored as demand_velocity). */
  salesVelocity: number;
  unitCost: number;
  current: CurrentRecommendation | null;
  /** The product's current recommendation already says this. */
  same: boolean;
}

export interface StoredRun {
  runId: number;
  written: number;
  autoApplied: number;
  pending: number;
}

// postgres.js sends each array as one parameter; chunks keep a million-row
// run from building gigabyte-sized messages.
const CHUNK = 20_000;

/** Stores one run; see the module comment for what it writes. */
export async function storeRun(
  sql: Sql,
  now: Date,
  planned: readonly Planned[],
  gateReason: string | null,
): Promise<StoredRun> {
  return await sql.begin(async (tx) => {
    const [run] = await tx<{ run_id: string }[]>`
      insert into pricing_runs (started_at, products, raise_count, lower_count, hold_count, gate_reason)
      values (${now}, ${planned.length},
              ${planned.filter((p) => p.decision.action === "raise").length},
              ${planned.filter((p) => p.decision.action === "lower").length},
              ${planned.filter((p) => p.decision.action === "hold").length},
              ${gateReason})
      returning run_id`;
    const runId = Number(run!.run_id);
    const fresh = planned.filter((p) => !p.same);
    for (let i = 0; i < fresh.length; i += CHUNK) {
      await insertDecisions(tx, runId, now, fresh.slice(i, i + CHUNK));
    }
    await expireSuperseded(tx, runId, fresh);
    await replaceCurrent(tx, runId);
    const autoApplied = gateReason ? 0 : await autoApply(tx, runId, planned);
    const [{ pending }] = await tx<[{ pending: number }]>`
      select count(*)::int as pending from pricing_recommendations c
      join pricing_recommendation_history h using (recommendation_id)
      where h.status = 'pending'`;
    await tx`
      update pricing_runs set finished_at = clock_timestamp(), auto_applied = ${autoApplied},
        pending = ${pending}
      where run_id = ${runId}`;
    return { runId, written: fresh.length, autoApplied, pending };
  });
}

/** The competitors' mean over the observations the decision used; null without any. */
function usedAverage(d: Decision): number | null {
  if (d.used.length === 0) return null;
  const mean = d.used.reduce((s, o) => s + o.price, 0) / d.used.length;
  return Math.round(mean * 100) / 100;
}

function gapPct(d: Decision, avg: number | null): number | null {
  if (avg === null || avg <= 0) return null;
  return Math.round(((d.currentPrice - avg) / avg) * 100 * 10_000) / 10_000;
}

async function insertDecisions(
  tx: TransactionSql,
  runId: number,
  now: Date,
  rows: readonly Planned[],
): Promise<void> {
  const col = <T>(f: (p: Planned) => T) => rows.map(f);
  const avg = rows.map((p) => usedAverage(p.decision));
  const d = (p: Planned) => p.decision;
  await tx`
    insert into pricing_recommendation_history (run_id, product_id, current_price, avg_competitor_price,
      demand_velocity, price_gap_pct, recommendation, confidence_score, recommended_price, computed_at,
      target_price, floor_price, ceiling_price, unit_cost, expected_margin, explanation, observations,
      flags, hold_reason, strategy, auto_apply, status, created_at)
    select ${runId}, t.product_id, t.current_price, t.avg, t.velocity, t.gap, t.action, t.confidence,
           t.recommended, ${now}, t.target, t.floor, t.ceiling, t.cost, t.margin, t.explanation::jsonb,
           t.observations::jsonb,
           case when t.flags = '' then '{}'::text[] else string_to_array(t.flags, ',') end,
           t.hold, t.strategy::jsonb, t.auto, case when t.action = 'hold' then 'no_change' else 'pending' end,
           ${now}
    from unnest(
      ${col((p) => d(p).productId)}::text[], ${
    col((p) => d(p).currentPrice)
  }::numeric[],
      ${avg}::numeric[], ${col((p) => p.salesVelocity)}::numeric[],
      ${rows.map((p, i) => gapPct(p.decision, avg[i]!))}::numeric[], ${
    col((p) => d(p).action)
  }::text[],
      ${col((p) => d(p).confidence)}::numeric[], ${
    col((p) => d(p).recommendedPrice)
  }::numeric[],
      ${col((p) => d(p).target)}::numeric[], ${
    col((p) => d(p).floor)
  }::numeric[],
      ${col((p) => d(p).ceiling)}::numeric[], ${
    col((p) => p.unitCost)
  }::numeric[],
      ${col((p) => d(p).expectedMargin)}::numeric[],
      ${col((p) => JSON.stringify(d(p).explanation))}::text[],
      ${
    col((p) => JSON.stringify({ used: d(p).used, excluded: d(p).excluded }))
  }::text[],
      ${col((p) => d(p).flags.join(","))}::text[], ${
    col((p) => d(p).holdReason)
  }::text[],
      ${col((p) => JSON.stringify(p.strategy))}::text[],
      ${col((p) => String(d(p).autoApply))}::text[]::bool[]
    ) as t(product_id, current_price, avg, velocity, gap, action, confidence, recommended, target,
           floor, ceiling, cost, margin, explanation, observations, flags, hold, strategy, auto)`;
}

/** Pending recommendations that a different decision of this run replaces. */
async function expireSuperseded(
  tx: TransactionSql,
  runId: number,
  fresh: readonly Planned[],
): Promise<void> {
  const ids = fresh.filter((p) => p.current?.status === "pending")
    .map((p) => p.current!.id);
  if (ids.length === 0) return;
  await tx`
    update pricing_recommendation_history
    set status = 'expired', decided_at = now(), decided_by = 'engine',
        decision_reason = ${`superseded by run ${runId}`}
    where recommendation_id = any(${ids}::bigint[]) and status = 'pending'`;
}

/** The current row of every product this run wrote a decision for. */
async function replaceCurrent(tx: TransactionSql, runId: number) {
  await tx`
    insert into pricing_recommendations (product_id, current_price, avg_competitor_price, demand_velocity,
      price_gap_pct, recommendation, confidence_score, recommended_price, run_id, created_at,
      recommendation_id, computed_at, target_price, floor_price, ceiling_price, unit_cost,
      expected_margin, explanation, observations, flags, hold_reason, strategy)
    select product_id, current_price, avg_competitor_price, demand_velocity, price_gap_pct,
      recommendation, confidence_score, recommended_price, run_id, created_at, recommendation_id,
      computed_at, target_price, floor_price, ceiling_price, unit_cost, expected_margin, explanation,
      observations, flags, hold_reason, strategy
    from pricing_recommendation_history where run_id = ${runId}
    on conflict (product_id) do update set
      current_price = excluded.current_price, avg_competitor_price = excluded.avg_competitor_price,
      demand_velocity = excluded.demand_velocity, price_gap_pct = excluded.price_gap_pct,
      recommendation = excluded.recommendation, confidence_score = excluded.confidence_score,
      recommended_price = excluded.recommended_price, run_id = excluded.run_id,
      created_at = excluded.created_at, recommendation_id = excluded.recommendation_id,
      computed_at = excluded.computed_at, target_price = excluded.target_price,
      floor_price = excluded.floor_price, ceiling_price = excluded.ceiling_price,
      unit_cost = excluded.unit_cost, expected_margin = excluded.expected_margin,
      explanation = excluded.explanation, observations = excluded.observations,
      flags = excluded.flags, hold_reason = excluded.hold_reason, strategy = excluded.strategy`;
}

/**
 * Applies every pending recommendation the strategy lets apply by itself,
 * in one statement: a product whose price moved since (an approval landed
 * meanwhile) is left alone.
 */
async function autoApply(
  tx: TransactionSql,
  runId: number,
  planned: readonly Planned[],
): Promise<number> {
  const products = planned.filter((p) =>
    p.decision.autoApply && p.decision.action !== "hold" &&
    (!p.same || p.current?.status === "pending")
  ).map((p) => p.decision.productId);
  if (products.length === 0) return 0;
  const [{ n }] = await tx<[{ n: number }]>`
    with h as (
      select h.recommendation_id, h.product_id, h.current_price, h.recommended_price
      from pricing_recommendations c
      join pricing_recommendation_history h using (recommendation_id)
      where c.product_id = any(${products}::text[]) and h.status = 'pending'
    ), moved as (
      update products p set current_price = h.recommended_price, updated_at = now()
      from h where p.product_id = h.product_id and p.current_price = h.current_price
      returning p.product_id
    ), logged as (
      insert into price_changes (product_id, old_price, new_price, changed_by, source, recommendation_id, reason)
      select h.product_id, h.current_price, h.recommended_price, 'engine', 'auto', h.recommendation_id,
             ${`auto-applied by run ${runId}`}
      from h join moved using (product_id)
      returning recommendation_id
    ), marked as (
      update pricing_recommendation_history s
      set status = 'auto_applied', decided_at = now(), decided_by = 'engine'
      from logged where s.recommendation_id = logged.recommendation_id
      returning 1
    )
    select count(*)::int as n from marked`;
  return n;
}
