/**
 * The model layer in a real database: building (idempotent, concurrent,
 * documented), refreshing concurrently, and the schema tests, which must
 * fail on data that breaks them.
 */
import {
  deepStrictEqual as assertEquals,
  match,
  ok,
  rejects,
} from "node:assert/strict";
import { connect } from "../lib/db/mod.ts";
import { ensureModels } from "../lib/models/build.ts";
import { refreshModels } from "../lib/models/refresh.ts";
import { loadModels, type Model } from "../lib/models/schema.ts";
import { schemaChecks } from "../lib/quality/model_tests.ts";
import { runChecks } from "../lib/quality/runner.ts";
import { dbTest } from "./harness/db.ts";
import { seedShop } from "./quality_seed.ts";

const SMALL = { clickstream: 400, inventory: 60, competitor: 60 };

/** The project with `change` applied to a deep copy of model `name`. */
async function variant(name: string, change: (m: Model) => void) {
  const p = structuredClone(await loadModels());
  change(p.models.find((m) => m.name === name)!);
  return { ...p, hash: `${p.hash}-${name}` };
}

dbTest(
  "models - building is idempotent and safe when several processes start at once",
  async ({ sql, url }) => {
    const a = connect({ url, max: 1 });
    const b = connect({ url, max: 1 });
    try {
      const results = await Promise.all([ensureModels(a), ensureModels(b)]);
      assertEquals(results.map((r) => r.built).sort(), [false, true]);
      assertEquals(await ensureModels(sql), { built: false, models: 7 });
    } finally {
      await a.end();
      await b.end();
    }
    const kinds = await sql`
      select c.relname, c.relkind::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'ecommerce' and c.relkind in ('v', 'm') order by c.relname`;
    assertEquals([...kinds], [
      { relname: "mart_daily_funnel", relkind: "m" },
      { relname: "mart_hourly_demand", relkind: "m" },
      { relname: "mart_pricing_analysis", relkind: "m" },
      { relname: "mart_product_performance", relkind: "m" },
      { relname: "stg_clickstream", relkind: "v" },
      { relname: "stg_competitor_prices", relkind: "v" },
      { relname: "stg_inventory_events", relkind: "v" },
    ]);
  },
);

dbTest(
  "models - a changed definition rebuilds them, and a model removed from schema.json is dropped",
  async ({ sql }) => {
    await ensureModels(sql);
    const p = await loadModels();
    const without = {
      models: p.models.filter((m) => m.name !== "mart_hourly_demand"),
      hash: "without-hourly",
    };
    assertEquals(await ensureModels(sql, without), { built: true, models: 6 });
    const [gone] =
      await sql`select to_regclass('ecommerce.mart_hourly_demand') as r`;
    assertEquals(gone, { r: null });
    assertEquals((await ensureModels(sql)).built, true);
    const [back] =
      await sql`select to_regclass('ecommerce.mart_hourly_demand')::text as r`;
    assertEquals(back, { r: "mart_hourly_demand" });
  },
);

dbTest(
  "models - descriptions from schema.json are comments on every model and column",
  async ({ sql }) => {
    await ensureModels(sql);
    for (const m of (await loadModels()).models) {
      const [row] = await sql<{ d: string }[]>`
        select obj_description(${`ecommerce.${m.name}`}::regclass, 'pg_class') as d`;
      assertEquals(row!.d, m.description);
      const cols = await sql<{ c: string; d: string }[]>`
        select attname as c, col_description(attrelid, attnum) as d from pg_attribute
        where attrelid = ${`ecommerce.${m.name}`}::regclass and attnum > 0 and not attisdropped`;
      assertEquals(
        Object.fromEntries(cols.map((c) => [c.c, c.d])),
        Object.fromEntries(
          Object.entries(m.columns).map(([c, v]) => [c, v.description]),
        ),
      );
    }
  },
);

dbTest(
  "models - a model whose columns differ from schema.json is refused, naming them, and nothing changes",
  async ({ sql }) => {
    await ensureModels(sql);
    const p = await variant("stg_clickstream", (m) => {
      delete m.columns.day_of_week;
      m.columns.weekday = { description: "not a column of the SQL" };
    });
    await rejects(
      ensureModels(sql, p),
      /Model "stg_clickstream" does not match sql\/models\/schema.json: columns without a description: day_of_week; described columns the model does not have: weekday/,
    );
    const [b] = await sql`select hash = ${
      (await loadModels()).hash
    } as same from model_builds`;
    assertEquals(b, { same: true });
  },
);

dbTest(
  "models - marts refresh concurrently while a reader holds one open, and show new data",
  async ({ sql }) => {
    await seedShop(sql, SMALL);
    await ensureModels(sql);
    const before =
      await sql`select sum(purchases)::int as n from mart_hourly_demand`;
    await sql`
      insert into clickstream_events (event_id, user_id, session_id, event_type, product_id, product_price,
                                      "timestamp", device_type)
      values (gen_random_uuid(), 'u', gen_random_uuid(), 'purchase', 'P001', 899.99, now(), 'mobile')`;
    const reader = await sql.reserve();
    const writer = await sql.reserve();
    try {
      await reader`begin`;
      await reader`select count(*) from mart_hourly_demand`;
      await writer`set lock_timeout = '3s'`;
      // A plain refresh needs an exclusive lock the reader holds back...
      await rejects(
        writer.unsafe("refresh materialized view mart_hourly_demand"),
        (e: { code?: string }) => e.code === "55P03",
      );
      // ...CONCURRENTLY does not.
      await writer.unsafe(
        "refresh materialized view concurrently mart_hourly_demand",
      );
      await reader`rollback`;
    } finally {
      reader.release();
      writer.release();
    }
    const after =
      await sql`select sum(purchases)::int as n from mart_hourly_demand`;
    assertEquals(after[0]!.n, before[0]!.n + 1);
  },
);

dbTest(
  "models - schema tests of each kind fail on data that breaks them",
  async ({ sql }) => {
    await seedShop(sql, SMALL);
    await ensureModels(sql);
    const p = await variant("stg_clickstream", (m) => {
      m.columns.product_id!.tests = [
        "not_null",
        { relationships: { to: "competitors", field: "competitor_name" } },
      ];
      m.columns.session_id!.tests = ["unique"];
      m.columns.event_type!.tests = [{
        accepted_values: ["page_view", "product_view", "add_to_cart"],
      }];
      m.tests = [{ unique: ["user_id", "device_type"] }];
    });
    const report = await runChecks(
      sql,
      schemaChecks(p).filter((c) =>
        c.name.startsWith("models.stg_clickstream.")
      ),
    );
    const failed = Object.fromEntries(
      report.results.filter((r) => r.status !== "pass").map((
        r,
      ) => [r.name, r.detail]),
    );
    assertEquals(Object.keys(failed).sort(), [
      "models.stg_clickstream.event_type.accepted_values",
      "models.stg_clickstream.product_id.not_null",
      "models.stg_clickstream.product_id.relationships",
      "models.stg_clickstream.session_id.unique",
      "models.stg_clickstream.user_id+device_type.unique",
    ]);
    match(
      failed["models.stg_clickstream.product_id.not_null"]!,
      /^\d+ rows where product_id is null$/,
    );
    match(
      failed["models.stg_clickstream.event_type.accepted_values"]!,
      /purchase \(\d+ rows\)/,
    );
    match(
      failed["models.stg_clickstream.product_id.relationships"]!,
      /P0\d\d \(\d+ rows\)/,
    );
    ok(report.results.some((r) => r.status === "pass"));
  },
);

dbTest(
  "models - build, concurrent refresh and schema tests work on embedded PGlite too",
  async ({ sql }) => {
    await seedShop(sql, SMALL);
    assertEquals(await ensureModels(sql), { built: true, models: 7 });
    const refreshed = await refreshModels(sql);
    assertEquals(refreshed.map((r) => r.model), [
      "mart_daily_funnel",
      "mart_product_performance",
      "mart_pricing_analysis",
      "mart_hourly_demand",
    ]);
    assertEquals(
      refreshed.find((r) => r.model === "mart_product_performance")!.rows,
      30,
    );
    const report = await runChecks(sql, schemaChecks(await loadModels()));
    assertEquals(report.results.filter((r) => r.status !== "pass"), []);
  },
  ["postgres", "pglite"],
);
