/**
 * Every alert rule finds what it watches in a real database: a competitor
 * far below and far above us, a price war, a recommendation waiting too
 * long, a failed quality check, a lagging and a stopped consumer (by its
 * offsets and by its registry), a failing lake export; and nothing in a
 * quiet shop.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { current, observe, run, strategy } from "./harness/pricing.ts";
import { loadConfig } from "../lib/config.ts";
import { evaluateAlerts } from "../lib/alerts/evaluate.ts";
import { storeJobRun } from "../lib/pipeline/job_runs.ts";
import { WorkerRegistry } from "../lib/health/registry.ts";
import type { Sql } from "../lib/db/mod.ts";

async function firingKeys(sql: Sql): Promise<string[]> {
  const rows = await sql<{ key: string }[]>`
    select alert_key as key from alerts where state = 'firing' order by alert_key`;
  return rows.map((r) => r.key);
}

async function competitorPrice(
  sql: Sql,
  product: string,
  who: string,
  price: number,
) {
  await sql`
    insert into competitor_prices (product_id, competitor_name, competitor_price, our_price,
      price_difference, price_difference_pct, event_id, "timestamp")
    select product_id, ${who}, ${price}, current_price, ${price} - current_price, 0,
           gen_random_uuid(), now()
    from products where product_id = ${product}
    on conflict (product_id, competitor_name) do update
      set competitor_price = excluded.competitor_price, "timestamp" = excluded."timestamp"`;
}

/** A pending recommendation for P013 (three competitors far below it, no auto-apply). */
async function pending(sql: Sql) {
  for (const c of ["TechMart", "GadgetZone", "ElectroHub"]) {
    await observe(sql, "P013", c, 250);
  }
  await strategy(sql, "default", "", { autoApply: null });
  await run(sql);
  return await current(sql, "P013");
}

dbTest("alert rules - a quiet shop raises nothing", async ({ sql }) => {
  const e = await evaluateAlerts(sql, { config: loadConfig({}) });
  assertEquals([e.firing, e.failed], [0, []]);
});

dbTest(
  "alert rules - each rule finds what it watches, with a key per thing",
  async ({ sql }) => {
    await competitorPrice(sql, "P001", "TechMart", 700); // 22 % below our 899.99
    await competitorPrice(sql, "P001", "GadgetZone", 1100); // 22 % above
    await competitorPrice(sql, "P002", "TechMart", 980); // 2 % below: nothing
    const rec = await pending(sql);
    await sql`
      update pricing_recommendation_history
      set flags = array['price_war'], computed_at = now() - interval '5 hours'
      where recommendation_id = ${rec.recommendation_id}`;
    await sql`insert into quality_runs (finished_at, total, passed, failed, ok) values (now(), 1, 0, 1, false)`;
    await sql`
      insert into quality_results (run_id, check_name, check_group, severity, status, expectation, detail)
      select max(run_id), 'inventory.state_matches_events', 'inventory', 'error', 'fail', '= 0', 'P004 drifted'
      from quality_runs`;
    // raw.clickstream: 20,000 events behind, no commit for 10 minutes.
    await sql`
      insert into consumer_offsets (consumer_group, topic, "partition", next_offset, updated_at)
      values ('ingest.clickstream', 'raw.clickstream', 0, 10, now() - interval '10 minutes')`;
    await sql`
      insert into log_end_offsets (topic, "partition", end_offset) values ('raw.clickstream', 0, 20010)`;
    await storeJobRun(sql, {
      job: "lake_export",
      ok: false,
      seconds: 1,
      error: "Cannot upload to the lake: access denied",
      finishedAt: Date.now(),
    });
    const workers = new WorkerRegistry();
    workers.set("consumer raw.inventory_updates", "down", "kafkajs crashed");
    const e = await evaluateAlerts(sql, { config: loadConfig({}), workers });
    assertEquals(e.failed, []);
    assertEquals(await firingKeys(sql), [
      "approval_waiting:P013",
      "competitor_raised:P001:GadgetZone",
      "competitor_undercut:P001:TechMart",
      "consumer_lag:raw.clickstream",
      "consumer_stopped:raw.clickstream",
      "consumer_stopped:raw.inventory_updates",
      "lake_export_failing",
      "price_war:P013",
      "quality_failed:inventory.state_matches_events",
    ]);
    const [lag] = await sql<{ message: string }[]>`
      select message from alerts where alert_key = 'consumer_stopped:raw.inventory_updates'`;
    assertEquals(
      lag!.message,
      "The consumer of raw.inventory_updates is down: kafkajs crashed",
    );
    // An inactive product is not watched any more.
    await sql`update products set active = false where product_id in ('P001', 'P013')`;
    const after = await evaluateAlerts(sql, {
      config: loadConfig({}),
      workers,
    });
    assertEquals(after.resolved, 4);
  },
);
