/**
 * The live `optimize` target: elasticity learned from our own orders of the
 * last weeks (the rows of `lib/elasticity/orders.ts`, the GLM of
 * `lib/elasticity/estimate.ts`, the same the analytics page shows) and the
 * competitors that follow our prices, learned from our price changes and the
 * crawler's history. The backtest learns the same way from simulated orders.
 */
import type { Sql } from "../db/mod.ts";
import { estimateElasticity } from "../elasticity/estimate.ts";
import { fetchElasticityRows } from "../elasticity/orders.ts";
import { estimateLookup, makeOptimizer } from "./optimize.ts";
import { ReactionLearner } from "./reactions.ts";
import type { Strategies } from "./strategies.ts";
import type { Optimizer } from "./types.ts";

/** How far back the live optimizer learns. */
export const LEARNING_DAYS = 14;

/** True when any stored strategy prices with the `optimize` target. */
export function usesOptimize(s: Strategies): boolean {
  return s.base.target.kind === "optimize" ||
    s.rows.some((r) => r.strategy.target?.kind === "optimize");
}

/** The optimizer of a run at `now`, learned from the last LEARNING_DAYS. */
export async function learnedOptimizer(
  sql: Sql,
  now: Date,
): Promise<Optimizer> {
  const from = new Date(now.getTime() - LEARNING_DAYS * 86_400_000);
  const [rows, rivals] = await Promise.all([
    fetchElasticityRows(sql, { from, to: now }),
    learnReactions(sql, from),
  ]);
  return makeOptimizer({
    elasticity: estimateLookup(estimateElasticity(rows)),
    reactions: (productId) => rivals.reactions(productId),
    clock: () => now.getTime(),
    seed: "live",
  }) as Optimizer;
}

async function learnReactions(sql: Sql, from: Date): Promise<ReactionLearner> {
  const rivals = new ReactionLearner();
  const [ours, theirs] = await Promise.all([
    sql<{ p: string; at: number; price: number }[]>`
      select product_id as p, (extract(epoch from changed_at) * 1000)::float8 as at,
             new_price::float8 as price
      from price_changes where changed_at >= ${from}
      order by product_id, changed_at, change_id`,
    sql<{ c: string; p: string; at: number; price: number }[]>`
      select competitor_name as c, product_id as p,
             (extract(epoch from "timestamp") * 1000)::float8 as at, competitor_price::float8 as price
      from competitor_price_history where "timestamp" >= ${from}
      order by "timestamp", event_id`,
  ]);
  for (const r of ours) rivals.ours(r.p, r.at, r.price);
  for (const r of theirs) rivals.theirs(r.c, r.p, r.at, r.price);
  rivals.refresh();
  return rivals;
}
