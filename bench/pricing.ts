/**
 * `deno task bench --pricing [--products 100000,1000000]`: the pricing engine
 * over a synthetic catalog on the real PostgreSQL (a scratch database): N
 * products, three competitor prices each, stock and some sales. For each
 * size it times a cold run (every decision new), a steady run (nothing
 * changed, nothing written) and a run after 5% of competitor prices moved,
 * with where the time went and the process's RSS. The engine asks for the
 * next chunk before it decides this one, so "read" is the time it waited
 * for a chunk, "decide" the time in `decide`, and "store" the time it waited
 * for a chunk's writes, which the server runs after the next chunk's reads.
 */
import { parseArgs } from "../lib/config.ts";
import { say } from "../lib/log.ts";
import { withDb } from "../dev/db.ts";
import type { Sql } from "../lib/db/mod.ts";
import { type PricingRun, runPricing } from "../lib/pricing/engine.ts";
import { DEFAULT_THRESHOLDS } from "../lib/pricing/rule.ts";

const fmt = (n: number) => Math.round(n).toLocaleString("en");
const mib = () => Math.round(Deno.memoryUsage().rss / 2 ** 20);

/** N products with costs, three competitor prices each, stock and recent sales. */
export async function catalog(sql: Sql, n: number): Promise<void> {
  const t0 = performance.now();
  // A fresh database per size: the bench catalog replaces the seed shop.
  await sql`truncate products cascade`;
  await sql`
    insert into products (product_id, product_name, category, base_price, current_price, unit_cost)
    select 'B' || lpad(i::text, 8, '0'), 'Bench product ' || i,
           (array['phones','laptops','headphones','tablets','accessories'])[1 + i % 5],
           p, p, round(p * 0.7, 2)
    from (select i, round((20 + (i::bigint * 7919) % 1980)::numeric + 0.99, 2) as p
          from generate_series(1, ${n}) i) s`;
  await sql`
    insert into competitor_prices (product_id, competitor_name, competitor_price, our_price,
      price_difference, price_difference_pct, event_id, "timestamp")
    select p.product_id, c.name, round(p.base_price * (0.85 + ((hashtext(p.product_id || c.name) & 1023) / 1023.0) * 0.3), 2),
           p.base_price, 0, 0, gen_random_uuid(), now() - interval '10 minutes'
    from products p cross join (values ('TechMart'), ('GadgetZone'), ('ElectroHub')) c(name)`;
  await sql`
    insert into inventory_state (product_id, warehouse_id, current_stock)
    select product_id, 'WH-LAGOS', 20 + (hashtext(product_id) & 255) from products`;
  await sql`
    insert into clickstream_events (event_id, user_id, session_id, event_type, product_id, product_name,
      product_category, product_price, "timestamp", device_type)
    select gen_random_uuid(), 'user_0001', gen_random_uuid(), 'purchase', product_id, product_name,
           category, base_price, now() - interval '30 minutes', 'mobile'
    from products where hashtext(product_id) % 10 = 0`;
  await sql`analyze`;
  say(
    `  catalog of ${fmt(n)} products written in ${
      fmt(performance.now() - t0)
    } ms`,
  );
}

function line(label: string, r: PricingRun): string {
  const p = r.phases;
  return `  ${label.padEnd(28)} ${fmt(r.durationMs).padStart(7)} ms  (read ${
    fmt(p.loadMs)
  }, decide ${fmt(p.decideMs)}, store ${fmt(p.storeMs)})  written ${
    fmt(r.written)
  }, auto-applied ${fmt(r.autoApplied)}, pending ${
    fmt(r.pending)
  }  RSS ${mib()} MiB`;
}

async function size(sql: Sql, n: number): Promise<void> {
  say(`\n${fmt(n)} products`);
  await catalog(sql, n);
  const opts = { thresholds: DEFAULT_THRESHOLDS, maxAgeMs: 6 * 3_600_000 };
  say(line("cold run (all new)", await runPricing(sql, opts)));
  say(line("steady run (nothing moved)", await runPricing(sql, opts)));
  await sql`
    update competitor_prices set competitor_price = round(competitor_price * 0.9, 2), "timestamp" = now()
    where hashtext(product_id) % 20 = 0 and competitor_name = 'TechMart'`;
  say(line("after 5% of prices moved", await runPricing(sql, opts)));
}

/** Runs the benchmark; `--products` is a comma-separated list of sizes. */
export async function run(args: string[]): Promise<void> {
  const { flags } = parseArgs(args);
  const sizes = (flags.get("products") ?? "100000,1000000").split(",")
    .map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(
      `Cannot read --products "${
        flags.get("products")
      }": expected sizes like 100000,1000000`,
    );
  }
  say("Pricing engine on PostgreSQL (one pass over every product)");
  for (const n of sizes) await withDb("postgres", ({ sql }) => size(sql, n));
}
