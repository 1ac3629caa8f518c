/** Pricing test data written straight into a test database, and a run at a fixed clock. */
import type { Sql } from "../../lib/db/mod.ts";
import { type PricingRun, runPricing } from "../../lib/pricing/engine.ts";
import { DEFAULT_THRESHOLDS } from "../../lib/pricing/rule.ts";

/** The clock of every pricing test: runs and observations are placed against it. */
export const NOW = new Date("2026-11-25T12:00:00Z");
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** `ms` before NOW. */
export const ago = (ms: number) => new Date(NOW.getTime() - ms);

/** Sets our price of `product`. */
export async function ourPrice(sql: Sql, product: string, price: number) {
  await sql`update products set current_price = ${price} where product_id = ${product}`;
}

/** Records one competitor observation, both as the latest and in the history. */
export async function observe(
  sql: Sql,
  product: string,
  competitor: string,
  price: number,
  at: Date = ago(5 * MINUTE),
) {
  const id = crypto.randomUUID();
  await sql`
    insert into competitor_price_history (event_id, product_id, competitor_name, competitor_price,
      our_price, price_difference, price_difference_pct, "timestamp")
    values (${id}, ${product}, ${competitor}, ${price}, 1, 0, 0, ${at})`;
  await sql`
    insert into competitor_prices (product_id, competitor_name, competitor_price, our_price,
      price_difference, price_difference_pct, event_id, "timestamp")
    values (${product}, ${competitor}, ${price}, 1, 0, 0, ${id}, ${at})
    on conflict (product_id, competitor_name) do update set competitor_price = excluded.competitor_price,
      event_id = excluded.event_id, "timestamp" = excluded."timestamp"`;
}

/** Records the same price of every competitor for `product`. */
export async function observeAll(
  sql: Sql,
  product: string,
  price: number,
  at: Date = ago(5 * MINUTE),
) {
  for (const c of ["TechMart", "GadgetZone", "ElectroHub"]) {
    await observe(sql, product, c, price, at);
  }
}

/** Records `n` purchases of `product` at `at`. */
export async function purchases(
  sql: Sql,
  product: string,
  n: number,
  at: Date = ago(10 * MINUTE),
) {
  for (let i = 0; i < n; i++) {
    await sql`
      insert into clickstream_events (event_id, user_id, session_id, event_type, product_id, product_name,
        product_category, product_price, "timestamp", device_type)
      values (${crypto.randomUUID()}, 'user_0001', ${crypto.randomUUID()}, 'purchase', ${product}, 'x',
        'phones', 10, ${at}, 'mobile')`;
  }
}

/** Records an applied change of our price, as the engine or an approval would. */
export async function applied(
  sql: Sql,
  product: string,
  oldPrice: number,
  newPrice: number,
  at: Date,
) {
  await sql`
    insert into price_changes (product_id, old_price, new_price, changed_at, changed_by, source)
    values (${product}, ${oldPrice}, ${newPrice}, ${at}, 'test', 'manual')`;
  await ourPrice(sql, product, newPrice);
}

/** Stores a strategy level directly (the API is tested on its own). */
export async function strategy(
  sql: Sql,
  scope: "default" | "category" | "product",
  key: string,
  fields: Record<string, unknown>,
) {
  await sql`
    insert into pricing_strategies (scope, scope_key, strategy)
    values (${scope}, ${key}, ${sql.json(fields as never)})
    on conflict (scope, scope_key) do update set strategy = excluded.strategy`;
}

/** One run at `at` (default NOW) with the shipped thresholds and a 6 h age limit. */
export function run(sql: Sql, at: Date = NOW): Promise<PricingRun> {
  return runPricing(sql, {
    thresholds: DEFAULT_THRESHOLDS,
    maxAgeMs: 6 * HOUR,
    now: at,
  });
}

/** The current recommendation of `product` with its status, as stored. */
export async function current(sql: Sql, product: string) {
  const [r] = await sql<
    {
      recommendation_id: string;
      status: string;
      recommendation: string;
      current_price: string;
      recommended_price: string;
      floor_price: string;
      ceiling_price: string;
      explanation: { step: string; detail: string; priceAfter: number }[];
      observations: {
        used: { source: string; price: number }[];
        excluded: {
          observation: { source: string; price: number };
          reason: string;
        }[];
      };
      flags: string[];
      hold_reason: string | null;
      computed_at: Date;
    }[]
  >`
    select h.recommendation_id::text, h.status, h.recommendation, h.current_price::text,
           h.recommended_price::text, h.floor_price::text, h.ceiling_price::text, h.explanation,
           h.observations, h.flags, h.hold_reason, h.computed_at
    from pricing_recommendations c join pricing_recommendation_history h using (recommendation_id)
    where c.product_id = ${product}`;
  return r!;
}

/** A finished data-quality run that failed `checks` (each "group.name"), which closes the pricing gate. */
export async function failedQualityRun(sql: Sql, ...checks: string[]) {
  const [q] = await sql<{ run_id: string }[]>`
    insert into quality_runs (finished_at, total, failed, ok)
    values (now(), ${checks.length}, ${checks.length}, false)
    returning run_id::text`;
  for (const check of checks) {
    const group = check.split(".")[0]!;
    await sql`
      insert into quality_results (run_id, check_name, check_group, severity, status, expectation)
      values (${q!.run_id}, ${check}, ${group}, 'error', 'fail', '= 0')`;
  }
}
