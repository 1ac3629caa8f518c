/**
 * The analytics pages over the full web app: each shows its numbers with
 * their units, an empty shop shows empty states (never NaN), and a bad
 * parameter is a 400 page naming it.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import type { Sql } from "../lib/db/mod.ts";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { createApp } from "../routes/app.ts";
import { insertClicks, withModels } from "./analytics_fixtures.ts";
import {
  fillDemand,
  fillPrice,
  FUNNEL_CLICKS,
  RFM_CLICKS,
} from "./analytics_data.ts";

async function html(
  sql: Sql,
  path: string,
): Promise<{ status: number; body: string }> {
  const { app } = createApp({
    config: loadConfig({}),
    sql,
    bus: new CommitBus(),
  });
  const res = await app.request(path);
  return { status: res.status, body: await res.text() };
}

/** Text of the page with tags dropped and whitespace squeezed, for readable assertions. */
const text = (body: string) =>
  body.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

function has(body: string, ...needles: string[]): void {
  const t = text(body);
  for (const n of needles) ok(t.includes(n), `page should show "${n}"`);
  ok(
    !/NaN|undefined|Infinity/.test(t),
    "page shows NaN, undefined or Infinity",
  );
}

dbTest(
  "analytics pages - funnel shows stage counts, the steepest drop and the comparison",
  async ({ sql }) => {
    await withModels(sql, () => insertClicks(sql, FUNNEL_CLICKS));
    const { status, body } = await html(
      sql,
      "/analytics/funnel?hours=24&until=2026-01-05T12:00:00Z",
    );
    assertEquals(status, 200);
    has(
      body,
      "Conversion funnel",
      "16.7 %",
      "−50.0 %",
      "Product view → Add to cart",
      "4 sessions",
      "300.0 s",
      "laptops",
    );
    ok(
      body.includes(
        'href="/api/analytics/funnel.csv?hours=24&amp;until=2026-01-05T12%3A00%3A00Z"',
      ),
    );
  },
);

dbTest(
  "analytics pages - price position states the elasticity assumption and simulates in dollars",
  async ({ sql }) => {
    await withModels(sql, () => fillPrice(sql));
    const { status, body } = await html(
      sql,
      "/analytics/price?hours=24&until=2026-01-05T12:00:00Z&elasticity=-1.5",
    );
    assertEquals(status, 200);
    has(
      body,
      "Assumption.",
      "Constant price elasticity",
      "+$11.88/day",
      "$200.00 → $211.88 per day",
      "TechMart",
      "66.7 % of observations",
    );
    ok(
      body.includes('data-island="AnalyticsRevenueSim"'),
      "the simulation is an island",
    );
    ok(
      body.includes('<script type="module">'),
      "the page ships the island's script",
    );
  },
);

dbTest(
  "analytics pages - customers shows every segment with its rule, revenue and device",
  async ({ sql }) => {
    await withModels(sql, () => insertClicks(sql, RFM_CLICKS));
    const { status, body } = await html(
      sql,
      "/analytics/customers?until=2026-01-31T00:00:00Z",
    );
    assertEquals(status, 200);
    has(
      body,
      "R ≥ 4 and F ≥ 4 and M ≥ 4",
      "$1,800.00",
      "Needs Attention",
      "everyone else",
      "20.0 h ago",
      "61.0 d",
    );
  },
);

dbTest(
  "analytics pages - demand shows the forecast chart, rankings and the Critical product",
  async ({ sql }) => {
    await withModels(sql, () => fillDemand(sql));
    const { status, body } = await html(
      sql,
      "/analytics/demand?hours=4&until=2026-01-05T04:30:00Z&category=phones",
    );
    assertEquals(status, 200);
    has(
      body,
      "Hourly purchases: phones",
      "12 units",
      "Critical",
      "Samsung Galaxy S24",
      "3.9 h",
      "60.0 h",
      "0.75",
    );
    ok(body.includes("Forecast, next 6 hours"));
    ok(
      /<option value=""\s*>All<\/option>/.test(body),
      "all categories on offer",
    );
    const all = await html(
      sql,
      "/analytics/demand?hours=4&until=2026-01-05T04:30:00Z",
    );
    has(all.body, "Hourly purchases: all categories");
    ok(all.body.includes('<option value="" selected>All</option>'));
  },
);

dbTest(
  "analytics pages - an empty shop shows empty states and a bad parameter is a 400 page",
  async ({ sql }) => {
    await withModels(sql);
    for (
      const [path, empty] of [
        ["/analytics", "Where do we lose users?"],
        ["/analytics/funnel", "No sessions in this window yet"],
        ["/analytics/price", "No competitor observations in this window"],
        ["/analytics/customers", "No purchases in this window yet"],
        ["/analytics/demand", "No purchases in this window yet"],
      ]
    ) {
      const { status, body } = await html(sql, path!);
      assertEquals(status, 200, path);
      has(body, empty!);
    }
    const bad = await html(sql, "/analytics/funnel?hours=0");
    assertEquals(bad.status, 400);
    has(bad.body, 'Parameter "hours" is "0"');
    const cat = await html(sql, "/analytics/demand?category=shoes");
    assertEquals(cat.status, 400);
    has(cat.body, 'Cannot show category "shoes"');
  },
);
