/**
 * Writing a pricing run, set-based, a chunk of products per statement, all
 * in the caller's transaction: the run row, the decisions that changed (each
 * also its product's current recommendation), the pending recommendations
 * they supersede, and the auto-applied prices. A run that fails leaves
 * everything as it was.
 */
import type { TransactionSql } from "../db/mod.ts";
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

/**
 * Writes one run inside the caller's transaction, a chunk of products at a
 * time: `begin` records the run, `chunk` stores a chunk's decisions, and
 * `finish` records the totals.
 */
export class RunWriter {
  #hashes = new StrategyHashes();
  #written = 0;
  #autoApplied = 0;
  #counts = { raise: 0, lower: 0, hold: 0 };

  private constructor(
    private readonly tx: TransactionSql,
    readonly runId: number,
    private readonly now: Date,
    private readonly gateReason: string | null,
  ) {}

  /** Records the run (started at `now`) and returns its writer. */
  static async begin(
    tx: TransactionSql,
    now: Date,
    gateReason: string | null,
  ): Promise<RunWriter> {
    const [run] = await tx<{ run_id: string }[]>`
      insert into pricing_runs (started_at, gate_reason) values (${now}, ${gateReason})
      returning run_id`;
    return new RunWriter(tx, Number(run!.run_id), now, gateReason);
  }

  /** Stores one chunk: new decisions, the pending ones they supersede, auto-applied prices. */
  async chunk(planned: readonly Planned[]): Promise<void> {
    for (const p of planned) this.#counts[p.decision.action]++;
    const fresh = planned.filter((p) => !p.same);
    if (fresh.length > 0) {
      await insertDecisions(this.tx, this.runId, this.now, fresh, this.#hashes);
      await expireSuperseded(this.tx, this.runId, fresh);
    }
    this.#written += fresh.length;
    if (!this.gateReason) {
      this.#autoApplied += await autoApply(this.tx, this.runId, planned);
    }
  }

  /** Records the run's totals and when it finished. */
  async finish(): Promise<StoredRun> {
    await this.#hashes.save(this.tx);
    const [{ pending }] = await this.tx<[{ pending: number }]>`
      select count(*)::int as pending from pricing_recommendations where status = 'pending'`;
    const c = this.#counts;
    await this.tx`
      update pricing_runs set finished_at = clock_timestamp(), auto_applied = ${this.#autoApplied},
        pending = ${pending}, products = ${c.raise + c.lower + c.hold},
        raise_count = ${c.raise}, lower_count = ${c.lower}, hold_count = ${c.hold}
      where run_id = ${this.runId}`;
    return {
      runId: this.runId,
      written: this.#written,
      autoApplied: this.#autoApplied,
      pending,
    };
  }
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

/** One decision as the JSON record `jsonb_to_recordset` reads. */
function record(p: Planned, hash: string) {
  const d = p.decision;
  const avg = usedAverage(d);
  return {
    product_id: d.productId,
    current_price: d.currentPrice,
    avg,
    velocity: p.salesVelocity,
    gap: gapPct(d, avg),
    action: d.action,
    confidence: d.confidence,
    recommended: d.recommendedPrice,
    target: d.target,
    floor: d.floor,
    ceiling: d.ceiling,
    cost: p.unitCost,
    margin: d.expectedMargin,
    explanation: d.explanation,
    observations: { used: d.used, excluded: d.excluded },
    flags: d.flags,
    hold: d.holdReason,
    strategy: hash,
    auto: d.autoApply,
  };
}

// A chunk travels as one JSON text parameter: PostgreSQL parses it in C,
// which is several times cheaper than postgres.js escaping nineteen arrays.
// The same statement makes each new decision its product's current one.
async function insertDecisions(
  tx: TransactionSql,
  runId: number,
  now: Date,
  rows: readonly Planned[],
  hashes: StrategyHashes,
): Promise<void> {
  const json = JSON.stringify(
    rows.map((p) => record(p, hashes.of(p.strategy))),
  );
  await tx`
    with ins as (
    insert into pricing_recommendation_history (run_id, product_id, current_price, avg_competitor_price,
      demand_velocity, price_gap_pct, recommendation, confidence_score, recommended_price, computed_at,
      target_price, floor_price, ceiling_price, unit_cost, expected_margin, explanation, observations,
      flags, hold_reason, strategy_hash, auto_apply, status, created_at)
    select ${runId}, t.product_id, t.current_price, t.avg, t.velocity, t.gap, t.action, t.confidence,
           t.recommended, ${now}, t.target, t.floor, t.ceiling, t.cost, t.margin, t.explanation,
           t.observations, t.flags, t.hold, t.strategy, t.auto,
           case when t.action = 'hold' then 'no_change' else 'pending' end, ${now}
    from jsonb_to_recordset((${json}::text)::jsonb) as t(product_id text, current_price numeric, avg numeric,
      velocity numeric, gap numeric, action text, confidence numeric, recommended numeric,
      target numeric, floor numeric, ceiling numeric, cost numeric, margin numeric, explanation jsonb,
      observations jsonb, flags text[], hold text, strategy text, auto boolean)
    returning product_id, current_price, avg_competitor_price, demand_velocity, price_gap_pct,
      recommendation, confidence_score, recommended_price, run_id, created_at, recommendation_id,
      computed_at, status, hold_reason, flags
    )
    insert into pricing_recommendations (product_id, current_price, avg_competitor_price, demand_velocity,
      price_gap_pct, recommendation, confidence_score, recommended_price, run_id, created_at,
      recommendation_id, computed_at, status, hold_reason, flags)
    select * from ins
    on conflict (product_id) do update set
      current_price = excluded.current_price, avg_competitor_price = excluded.avg_competitor_price,
      demand_velocity = excluded.demand_velocity, price_gap_pct = excluded.price_gap_pct,
      recommendation = excluded.recommendation, confidence_score = excluded.confidence_score,
      recommended_price = excluded.recommended_price, run_id = excluded.run_id,
      created_at = excluded.created_at, recommendation_id = excluded.recommendation_id,
      computed_at = excluded.computed_at, status = excluded.status,
      hold_reason = excluded.hold_reason, flags = excluded.flags`;
}

/**
 * The hash of each distinct strategy of a run, and its snapshot row: most
 * products share their category's strategy object, so this hashes a
 * handful of strategies, not a million.
 */
class StrategyHashes {
  #byObject = new Map<Strategy, string>();
  #json = new Map<string, string>();

  of(s: Strategy): string {
    let h = this.#byObject.get(s);
    if (h === undefined) {
      const json = JSON.stringify(s);
      h = fnv1a(json);
      this.#byObject.set(s, h);
      this.#json.set(h, json);
    }
    return h;
  }

  async save(tx: TransactionSql): Promise<void> {
    if (this.#json.size === 0) return;
    await tx`
      insert into pricing_strategy_snapshots (strategy_hash, strategy)
      select h, s::jsonb from unnest(${[...this.#json.keys()]}::text[], ${[
      ...this.#json.values(),
    ]}::text[]) as t(h, s)
      on conflict (strategy_hash) do nothing`;
  }
}

/** 64-bit FNV-1a of a string, as 16 hex digits: a content key, not a secret. */
function fnv1a(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, "0");
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
      where c.product_id = any(${products}::text[]) and c.status = 'pending'
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
