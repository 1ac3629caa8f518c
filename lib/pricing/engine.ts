/**
 * The pricing engine: in one transaction, a chunk of products at a time
 * (set-based reads, the pure `decide` in memory, set-based writes), it
 * records the run, stores every decision that changed (with its inputs and
 * its why), expires the pending ones it supersedes and applies what the
 * strategy lets apply by itself. The cron job, `POST /api/pricing/run` and
 * the benchmark call it.
 */
import type { Sql } from "../db/mod.ts";
import type { Action } from "./action.ts";
import { decide } from "./decide.ts";
import { qualityGate } from "./gate.ts";
import { learnedOptimizer, usesOptimize } from "./learned.ts";
import {
  chunkEnds,
  type CurrentRecommendation,
  loadChunk,
  loadContext,
  type PricingRow,
} from "./inputs.ts";
import type { Thresholds } from "./rule.ts";
import { loadStrategies, type Strategies } from "./strategies.ts";
import { type Planned, RunWriter } from "./store.ts";
import type { Decision, Optimizer } from "./types.ts";

/** How a run decides. */
export interface PricingOptions {
  /** The seed rule's thresholds (PRICING_* settings). */
  thresholds: Thresholds;
  /** Competitor prices older than this are ignored (PRICING_MAX_AGE). */
  maxAgeMs: number;
  /** The run's clock; default now. */
  now?: Date;
  /**
   * The model behind strategies whose target is `optimize`; default: learned
   * from the last two weeks of our orders when any strategy uses it.
   */
  optimizer?: Optimizer;
  /** Products read, decided and written per step; default 20,000. */
  chunkSize?: number;
}

export interface PricingRun {
  runId: number;
  products: number;
  counts: Record<Action, number>;
  /** Decisions that differ from the product's current recommendation. */
  written: number;
  autoApplied: number;
  /** Recommendations waiting for an analyst after this run. */
  pending: number;
  /** Why nothing was applied automatically; null when the gate was open. */
  gateReason: string | null;
  durationMs: number;
  /** Where the time went: reading the inputs, deciding, storing (ms). */
  phases: { loadMs: number; decideMs: number; storeMs: number };
}

/** Products decided and written per step; two chunks are in memory at a time. */
const CHUNK = 20_000;

/** Runs one pricing cycle over every product, in one transaction. */
export async function runPricing(
  sql: Sql,
  opts: PricingOptions,
): Promise<PricingRun> {
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  const strategies = await loadStrategies(sql);
  const [ctx, gateReason, optimizer] = await Promise.all([
    loadContext(sql, now, warHours(strategies)),
    qualityGate(sql),
    // Learning costs a scan of two weeks of orders: only when a strategy needs it.
    opts.optimizer ??
      (usesOptimize(strategies) ? learnedOptimizer(sql, now) : undefined),
  ]);
  const run = { ...opts, optimizer };
  const phases = { loadMs: performance.now() - t0, decideMs: 0, storeMs: 0 };
  const counts: Record<Action, number> = { raise: 0, lower: 0, hold: 0 };
  const stored = await sql.begin(async (tx) => {
    // Each chunk's queries are short; JIT compiling them costs more than it saves.
    await tx`set local jit = off`;
    const writer = await RunWriter.begin(tx, now, gateReason);
    const ends = await chunkEnds(tx as unknown as Sql, opts.chunkSize ?? CHUNK);
    const read = (i: number) => {
      const rows = loadChunk(
        tx as unknown as Sql,
        ctx,
        ends[i - 1] ?? "",
        ends[i]!,
      );
      rows.catch(() => {}); // awaited below; a failed store must not leave it unhandled
      return rows;
    };
    let next = ends.length > 0 ? read(0) : null;
    for (let i = 0; next; i++) {
      let t = performance.now();
      const rows = await next;
      phases.loadMs += performance.now() - t;
      // The next chunk is asked for before this one is decided: the server
      // reads it while this process decides, then stores this one.
      next = i + 1 < ends.length ? read(i + 1) : null;
      await new Promise((r) => setTimeout(r, 0)); // lets the queries leave
      t = performance.now();
      const planned = rows.map((r) =>
        plan(r, strategies, now, run, gateReason)
      );
      for (const p of planned) counts[p.decision.action]++;
      phases.decideMs += performance.now() - t;
      t = performance.now();
      await writer.chunk(planned);
      phases.storeMs += performance.now() - t;
    }
    const t = performance.now();
    const done = await writer.finish();
    phases.storeMs += performance.now() - t;
    return done;
  });
  return {
    runId: stored.runId,
    products: counts.raise + counts.lower + counts.hold,
    counts,
    written: stored.written,
    autoApplied: stored.autoApplied,
    pending: stored.pending,
    gateReason,
    durationMs: performance.now() - t0,
    phases,
  };
}

/** One product's decision and what the store needs to write it. */
function plan(
  { input, current }: PricingRow,
  strategies: Strategies,
  now: Date,
  opts: PricingOptions,
  gateReason: string | null,
): Planned {
  const strategy = strategies.forProduct(input.category, input.productId);
  const decision = decide(input, strategy, now.getTime(), {
    maxAgeMs: opts.maxAgeMs,
    seedThresholds: opts.thresholds,
    optimizer: opts.optimizer,
    autoApplyBlocked: gateReason,
  });
  return {
    decision,
    strategy,
    salesVelocity: input.purchasesLastHour,
    unitCost: input.unitCost,
    current,
    same: sameDecision(decision, current),
  };
}

/** The longest price-war window of any stored strategy, at least a day. */
function warHours(s: Strategies): number {
  let hours = s.base.priceWar?.windowHours ?? 24;
  for (const r of s.rows) {
    const w = r.strategy.priceWar?.windowHours;
    if (typeof w === "number" && w > hours) hours = w;
  }
  return Math.max(24, hours);
}

/**
 * True when `d` says what the product's current recommendation says, so the
 * run leaves it as it is: a pending one keeps its age and id, a rejected one
 * stays rejected instead of coming back every minute.
 */
export function sameDecision(
  d: Decision,
  c: CurrentRecommendation | null,
): boolean {
  if (!c || !["pending", "rejected", "no_change"].includes(c.status)) {
    return false;
  }
  return c.action === d.action && c.currentPrice === d.currentPrice &&
    c.recommendedPrice === d.recommendedPrice &&
    (c.holdReason ?? null) === d.holdReason &&
    c.flags.join(",") === d.flags.join(",");
}
