/**
 * The analytics pages over the full web app: each shows its numbers with
 * their units, an empty shop shows empty states (never NaN), and a bad
 * parameter is a 400 page naming it.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import type { Sql } from "../lib/db/mod.ts";
import { loadConfig } from "../lib/config.ts";
import { count, money0, percent, signedPct } from "../lib/format.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { createApp } from "../routes/app.ts";
import { insertClicks, withModels } from "./analytics_fixtures.ts";
import {
  fillDemand,
  fillPrice,
  FUNNEL_CLICKS,
  RFM_CLICKS,
} from "./analytics_data.ts";

async function json(sql: Sql, path: string) {
  const { app } = createApp({
    config: loadConfig({}),
    sql,
    bus: new CommitBus(),
  });
  return await (await app.request(path)).json();
}

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
  "analytics pages - the index shows each analysis's headline figures over its default window",
  async ({ sql }) => {
    await withModels(
      sql,
      () => insertClicks(sql, [...FUNNEL_CLICKS, ...RFM_CLICKS]),
    );
    const jan5 = await html(sql, "/analytics?until=2026-01-05T12:00:00Z");
    assertEquals(jan5.status, 200);
    // The four cards, in order, as text.
    const cards = (body: string) =>
      body.split('<section class="panel').slice(1).map(text);
    const [funnel, price, , demand] = cards(jan5.body);
    // The funnel page's own KPIs over its default 24 hours.
    for (const figure of ["Sessions", "Conversion 16.7 %", "−50.0 %"]) {
      ok(funnel!.includes(figure), `funnel card: ${figure} in ${funnel}`);
    }
    ok(price!.includes("No competitor observations in this window."), price);
    // The funnel's purchases are the demand of its hours.
    ok(demand!.includes("Purchases"), demand);
    ok(
      jan5.body.includes(
        'href="/analytics/funnel?until=2026-01-05T12%3A00%3A00Z"',
      ),
      "the links keep the moment the figures were read at",
    );
    has(jan5.body, "Last 24 hours", "Last 7 days", "Last 90 days");

    // Three weeks on, the funnel card reads the order-only sessions of the
    // customers fixture, as the funnel's own report does.
    const until31 = "until=2026-01-31T00:00:00Z";
    const jan31 = await html(sql, `/analytics?${until31}`);
    const [funnel31, , customers31] = cards(jan31.body);
    const report = await json(sql, `/api/analytics/funnel?hours=24&${until31}`);
    for (
      const figure of [
        `Sessions ${count(report.sessions)}`,
        `Conversion ${percent(report.overall.stages[3].fromFirst)}`,
      ]
    ) ok(funnel31!.includes(figure), `${figure} in ${funnel31}`);
    const rfm = await json(sql, `/api/analytics/rfm?${until31}`);
    const revenue = rfm.segments.reduce(
      (a: number, x: { revenue: number }) => a + x.revenue,
      0,
    );
    for (
      const figure of [
        `Customers ${count(rfm.page.total)}`,
        `Revenue ${money0(revenue)}`,
      ]
    ) ok(customers31!.includes(figure), `${figure} in ${customers31}`);

    // A report that fails says why in its card; the other cards still show.
    await sql`drop materialized view mart_hourly_demand cascade`;
    const broken = await html(sql, "/analytics?until=2026-01-05T12:00:00Z");
    assertEquals(broken.status, 200);
    const [funnelB, , , demandB] = cards(broken.body);
    ok(funnelB!.includes("Conversion 16.7 %"), funnelB);
    ok(
      demandB!.includes(
        'These figures are not available: This database has no "mart_hourly_demand" yet',
      ),
      demandB,
    );
  },
);

dbTest(
  "analytics pages - the index shows the price position's headline figures",
  async ({ sql }) => {
    await withModels(sql, () => fillPrice(sql));
    const { body } = await html(sql, "/analytics?until=2026-01-05T12:00:00Z");
    const price = text(body.split('<section class="panel')[2]!);
    // The price page's KPIs over its default 7 days.
    const r = await json(
      sql,
      "/api/analytics/price?hours=168&until=2026-01-05T12:00:00Z",
    );
    for (
      const figure of [
        `Mean gap, all observations ${signedPct(r.observations.avgGapPct)}`,
        `${count(r.observations.count)} observations`,
        `we were dearer in ${percent(r.observations.dearerRate)}`,
      ]
    ) ok(price.includes(figure), `${figure} in ${price}`);
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
    // Nothing to lower is neither good nor bad news.
    const price = await html(sql, "/analytics/price");
    ok(
      price.body.includes('<div class="kpi" data-kpi="Following every lower">'),
      "a neutral card when nothing is to lower",
    );
    const badIndex = await html(sql, "/analytics?until=yesterday");
    assertEquals(badIndex.status, 400);
    has(badIndex.body, 'Parameter "until" is "yesterday"');
    const cat = await html(sql, "/analytics/demand?category=shoes");
    assertEquals(cat.status, 400);
    has(cat.body, 'Cannot show category "shoes"');
  },
);
