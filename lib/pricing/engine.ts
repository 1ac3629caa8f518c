/**
 * The pricing engine: one read of every product's inputs, the rule applied in
 * memory, one transaction that records the run, appends the history and
 * replaces the current recommendations. No query per product.
 */
import type { Sql } from "../db/mod.ts";
import { decide, type Recommendation, type Thresholds } from "./rule.ts";

export interface PricingRun {
  runId: number;
  products: number;
  counts: Record<Recommendation, number>;
  durationMs: number;
}

interface Input {
  product_id: string;
  current_price: string;
  avg_competitor_price: string;
  velocity: number;
}

/** Runs one pricing cycle over every product that has competitor data. */
export async function runPricing(sql: Sql, t: Thresholds): Promise<PricingRun> {
  const t0 = performance.now();
  const inputs = await sql<Input[]>`
    select p.product_id, p.current_price::text, avg(c.competitor_price)::text as avg_competitor_price,
           (select count(*)::int from clickstream_events e
             where e.product_id = p.product_id and e.event_type = 'purchase'
               and e."timestamp" > now() - interval '1 hour') as velocity
    from products p join competitor_prices c using (product_id)
    group by p.product_id, p.current_price
    order by p.product_id`;
  const rows = inputs.map((i) => {
    const ours = Number(i.current_price);
    const avg = Number(i.avg_competitor_price);
    return { ...i, ours, avg, d: decide(ours, avg, i.velocity, t) };
  });
  const counts: Record<Recommendation, number> = {
    raise: 0,
    lower: 0,
    hold: 0,
  };
  for (const r of rows) counts[r.d.recommendation]++;
  const runId = await sql.begin(async (tx) => {
    const [run] = await tx<{ run_id: string }[]>`
      insert into pricing_runs (products, raise_count, lower_count, hold_count)
      values (${rows.length}, ${counts.raise}, ${counts.lower}, ${counts.hold}) returning run_id`;
    const id = run!.run_id;
    if (rows.length > 0) {
      const c = <T>(f: (r: typeof rows[number]) => T) => rows.map(f);
      await tx`
        insert into pricing_recommendation_history (run_id, product_id, current_price, avg_competitor_price,
          demand_velocity, price_gap_pct, recommendation, confidence_score, recommended_price)
        select ${id}, * from unnest(${c((r) => r.product_id)}::text[], ${
        c((r) => r.ours)
      }::numeric[],
          ${c((r) => r.avg)}::numeric[], ${c((r) => r.velocity)}::numeric[], ${
        c((r) => r.d.gap * 100)
      }::numeric[],
          ${c((r) => r.d.recommendation)}::text[], ${
        c((r) => r.d.confidence)
      }::numeric[],
          ${c((r) => r.d.recommendedPrice)}::numeric[])`;
      await tx`
        insert into pricing_recommendations (product_id, current_price, avg_competitor_price, demand_velocity,
          price_gap_pct, recommendation, confidence_score, recommended_price, run_id, created_at, recommendation_id)
        select product_id, current_price, avg_competitor_price, demand_velocity, price_gap_pct, recommendation,
               confidence_score, recommended_price, run_id, created_at, recommendation_id
        from pricing_recommendation_history where run_id = ${id}
        on conflict (product_id) do update set
          current_price = excluded.current_price, avg_competitor_price = excluded.avg_competitor_price,
          demand_velocity = excluded.demand_velocity, price_gap_pct = excluded.price_gap_pct,
          recommendation = excluded.recommendation, confidence_score = excluded.confidence_score,
          recommended_price = excluded.recommended_price, run_id = excluded.run_id, created_at = excluded.created_at,
          recommendation_id = excluded.recommendation_id, computed_at = excluded.computed_at,
          confirmed_at = excluded.confirmed_at`;
    }
    await tx`update pricing_runs set finished_at = now() where run_id = ${id}`;
    return Number(id);
  });
  return {
    runId,
    products: rows.length,
    counts,
    durationMs: performance.now() - t0,
  };
}
