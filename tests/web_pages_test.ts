/**
 * Dashboard pages and their JSON twins through `app.request()` against a real
 * database seeded through the real sink: status, content type, and the
 * figures on the page equal the figures in the database.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { seedShop } from "./harness/web_seed.ts";
import { webApp } from "./harness/web_app.ts";
import { count, money, money0, percent, rate } from "../lib/format.ts";

const cents = (n: number) => Math.round(n * 100);

async function get(
  app: { request(p: string): Response | Promise<Response> },
  path: string,
  type = "text/html",
) {
  const res = await app.request(path);
  const body = await res.text();
  assertEquals(res.status, 200, `${path}: ${body.slice(0, 300)}`);
  match(
    res.headers.get("content-type") ?? "",
    new RegExp(type.replace("/", "\\/")),
  );
  return body;
}

dbTest(
  "overview - the KPI cards and tables show the numbers in the database",
  async ({ sql }) => {
    const s = await seedShop(sql);
    const { app } = webApp(sql);
    const purchases = s.clicks.filter((e) => e.event_type === "purchase");
    const views =
      s.clicks.filter((e) => e.event_type === "product_view").length;
    const revenue = purchases.reduce((n, e) => n + cents(e.product_price!), 0) /
      100;
    const [db] = await sql<{ low: number; recs: number; raise: number }[]>`
    select (select count(distinct product_id)::int from inventory_state where current_stock <= 20) as low,
           (select count(*)::int from pricing_recommendations) as recs,
           (select count(*)::int from pricing_recommendations where recommendation = 'raise') as raise`;

    const api = JSON.parse(await get(app, "/api/overview", "application/json"));
    assertEquals(cents(api.kpis.revenueToday), cents(revenue));
    assertEquals(api.kpis.purchasesToday, purchases.length);
    assertEquals(api.kpis.productViewsToday, views);
    assertEquals(
      api.kpis.eventsPerMin,
      s.clicks.length + s.moves.length + s.prices.length,
    );
    assertEquals(api.kpis.lowStockProducts, db!.low);
    assertEquals(api.kpis.recommendations.raise, db!.raise);
    ok(db!.recs > 0, "the seed produced recommendations");
    const byCat = new Map<string, number>();
    for (const e of purchases) {
      byCat.set(
        e.product_category!,
        (byCat.get(e.product_category!) ?? 0) + cents(e.product_price!),
      );
    }
    for (const r of api.revenueByCategory) {
      assertEquals(
        cents(r.revenue),
        byCat.get(r.category) ?? 0,
        r.category,
      );
    }

    const html = await get(app, "/");
    ok(html.includes(money(revenue)), `revenue ${money(revenue)} on the page`);
    ok(
      html.includes(percent(purchases.length / views)),
      "conversion rate on the page",
    );
    ok(
      html.includes(`${count(db!.low)} products`),
      "low-stock count on the page",
    );
    for (const [cat, c] of byCat) {
      ok(
        html.includes(money0(c / 100)),
        `${cat} revenue bar`,
      );
    }
    const rows = html.match(/<tr\s+data-product="P\d+"/g) ?? [];
    assertEquals(rows.length, Math.min(10, db!.recs));
    ok(html.includes('data-island="LiveKpis"'), "the KPI cards are an island");
  },
);

dbTest(
  "overview - an empty shop shows empty states, not errors or NaN",
  async ({ sql }) => {
    const { app } = webApp(sql);
    const html = await get(app, "/");
    ok(html.includes("No purchases yet today."));
    ok(html.includes("No recommendations yet"));
    ok(html.includes("$0.00") && html.includes("0.0 %"));
    ok(!/NaN|undefined|Infinity/.test(html));
    for (const p of ["/inventory", "/pricing", "/activity"]) {
      ok(
        !/NaN|Infinity/.test(await get(app, p)),
        p,
      );
    }
    ok((await get(app, "/activity")).includes("No events yet"));
  },
);

dbTest(
  "inventory - stock per warehouse with low and zero highlighted, filters in the URL",
  async ({ sql }) => {
    await seedShop(sql, { clicks: 50 });
    await sql`update inventory_state set current_stock = 0 where product_id = 'P001' and warehouse_id = 'WH-PH'`;
    await sql`update inventory_state set current_stock = 7 where product_id = 'P013' and warehouse_id = 'WH-PH'`;
    const { app } = webApp(sql);
    const html = await get(app, "/inventory");
    ok(
      html.includes('<span class="stock zero">0</span>'),
      "zero stock highlighted",
    );
    ok(
      html.includes('<span class="stock low">7</span>'),
      "low stock highlighted",
    );
    const api = JSON.parse(
      await get(
        app,
        "/api/inventory?warehouse=WH-PH&category=phones",
        "application/json",
      ),
    );
    const [phones] = await sql<{ n: number; units: number }[]>`
    select count(*)::int as n, sum(current_stock)::int as units from inventory_state s join products p using (product_id)
    where s.warehouse_id = 'WH-PH' and p.category = 'phones'`;
    assertEquals(api.rows.length, phones!.n);
    assertEquals(api.byCategory, [{
      category: "phones",
      units: phones!.units,
    }]);
    ok(
      api.rows.every((r: { category: string; stock: Record<string, number> }) =>
        r.category === "phones" && Object.keys(r.stock).join() === "WH-PH"
      ),
    );
    const [moves] = await sql<
      { n: number }[]
    >`select count(*)::int as n from inventory_events where applied`;
    assertEquals(
      JSON.parse(await get(app, "/api/inventory", "application/json")).movements
        .length,
      Math.min(30, moves!.n),
    );
    const filtered = await get(app, "/inventory?warehouse=WH-PH");
    ok(
      filtered.includes('<option value="WH-PH" selected>'),
      "the filter is kept in the form",
    );
  },
);

dbTest(
  "inventory - refused movements are listed with their reason",
  async ({ sql }) => {
    await seedShop(sql, { clicks: 10, moves: 5 });
    const { ingest } = await import("./harness/web_seed.ts");
    const { seededEvents } = await import("./harness/events.ts");
    const [move] = seededEvents("inventory", 1, "refuse");
    const summary = await ingest(sql, "inventory", [{
      ...move!,
      quantity_change: -100_000,
    }]);
    assertEquals(summary.refused, 1);
    const api = JSON.parse(
      await get(app(sql), "/api/inventory", "application/json"),
    );
    assertEquals(api.refusedTotal, 1);
    assertEquals(api.refused[0].eventId, move!.event_id);
    ok(
      (await get(app(sql), "/inventory")).includes(
        "stock cannot go below zero",
      ),
    );
  },
);

const app = (sql: Parameters<typeof webApp>[0]) => webApp(sql).app;

dbTest(
  "filters - an unknown filter value is a 400 naming the parameter",
  async ({ sql }) => {
    const res = await app(sql).request("/api/pricing?category=boats");
    assertEquals(res.status, 400);
    match(
      (await res.json()).error,
      /Cannot filter by category "boats": expected one of "accessories"/,
    );
    const page = await app(sql).request("/inventory?warehouse=WH-MARS");
    assertEquals(page.status, 400);
    match(page.headers.get("content-type") ?? "", /text\/html/);
    ok(
      (await page.text()).includes(
        "Cannot filter by warehouse &quot;WH-MARS&quot;",
      ),
    );
  },
);

dbTest(
  "pricing - every recommendation as stored: prices used, gap, bounds, why, status and when",
  async ({ sql }) => {
    await seedShop(sql);
    const api = JSON.parse(
      await get(app(sql), "/api/pricing", "application/json"),
    );
    const stored = await sql<
      {
        product_id: string;
        recommendation: string;
        recommended_price: string;
        floor_price: string;
        ceiling_price: string;
        price_gap_pct: string | null;
        status: string;
        computed_at: Date;
        used: { source: string; price: number }[];
      }[]
    >`
    select c.product_id, h.recommendation, h.recommended_price::text, h.floor_price::text,
           h.ceiling_price::text, h.price_gap_pct::text, h.status, h.computed_at,
           h.observations->'used' as used
    from pricing_recommendations c join pricing_recommendation_history h using (recommendation_id)`;
    assertEquals(api.recommendations.length, stored.length);
    ok(stored.length > 0);
    for (const r of stored) {
      const row = api.recommendations.find((x: { product_id: string }) =>
        x.product_id === r.product_id
      );
      assertEquals(
        [row.recommendation, row.recommended_price, row.floor, row.ceiling],
        [
          r.recommendation,
          Number(r.recommended_price),
          Number(r.floor_price),
          Number(r.ceiling_price),
        ],
      );
      assertEquals([row.status, row.computed_at], [
        r.status,
        r.computed_at.toISOString(),
      ]);
      // The gap and the competitor prices are the ones the run used, not today's.
      assertEquals(
        row.price_gap_pct,
        r.price_gap_pct === null ? null : Number(r.price_gap_pct),
      );
      assertEquals(
        row.competitor_prices,
        Object.fromEntries(r.used.map((o) => [o.source, o.price])),
      );
      ok(row.explanation.length > 0, "every recommendation explains itself");
    }
    const holds = JSON.parse(
      await get(
        app(sql),
        "/api/pricing?recommendation=hold",
        "application/json",
      ),
    ).recommendations;
    assertEquals(
      holds.length,
      stored.filter((r) => r.recommendation === "hold").length,
    );
    const html = await get(app(sql), "/pricing?sort=productName&dir=asc");
    ok(html.includes('data-island="SortableTable"'));
    ok(html.includes('data-island="ApprovalQueue"'));
    const empty = await get(app(sql), "/pricing?status=approved");
    ok(empty.includes("No recommendations match these filters."));
  },
);

dbTest(
  "pricing - a product page shows why its price (waterfall, observations, strategy) and its history; unknown is 404",
  async ({ sql }) => {
    const s = await seedShop(sql);
    const id = s.prices[0]!.product_id;
    const api = JSON.parse(
      await get(app(sql), `/api/pricing/${id}`, "application/json"),
    );
    const [n] = await sql<
      { n: number }[]
    >`select count(*)::int as n from competitor_price_history where product_id = ${id}`;
    const seen = Object.values(
      api.competitors as Record<string, unknown[]>,
    ).reduce((sum, points) => sum + points.length, 0);
    assertEquals(seen, n!.n, "every observation of the last 7 days is charted");
    const r = api.recommendation;
    ok(r.explanation.length > 0);
    assertEquals(r.product_id, id);
    assertEquals(
      r.observations.used.length + r.observations.excluded.length,
      Object.keys(api.competitors).length,
    );
    assertEquals(api.strategy.layers[0].scope, "default");
    const html = await get(app(sql), `/pricing/${id}`);
    for (
      const text of [
        "Price history: ours vs competitors",
        'id="waterfall"',
        'id="observations"',
        'id="strategy-facts"',
        'id="recommendation-history"',
      ]
    ) ok(html.includes(text), text);
    const bad = await app(sql).request(`/pricing/${id}?range=1y`);
    assertEquals(bad.status, 400);
    const missing = await app(sql).request("/pricing/P999");
    assertEquals(missing.status, 404);
    ok(
      (await missing.text()).includes(
        "Cannot show product &quot;P999&quot;: no such product",
      ),
    );
  },
);

dbTest(
  "pricing run - needs the bearer token, and is disabled without one",
  async ({ sql }) => {
    await seedShop(sql, { clicks: 20 });
    const runs = async () =>
      (await sql<{ n: number }[]>`select count(*)::int as n from pricing_runs`)[
        0
      ]!.n;
    const before = await runs();
    const off = await webApp(sql).app.request("/api/pricing/run", {
      method: "POST",
    });
    assertEquals(off.status, 403);
    match((await off.json()).error, /disabled: set API_TOKEN/);
    const on = webApp(sql, { API_TOKEN: "s3cret-token" }).app;
    const wrong = await on.request("/api/pricing/run", {
      method: "POST",
      headers: { Authorization: "Bearer nope" },
    });
    assertEquals(wrong.status, 401);
    assertEquals(await runs(), before);
    const ok201 = await on.request("/api/pricing/run", {
      method: "POST",
      headers: { Authorization: "Bearer s3cret-token" },
    });
    assertEquals(ok201.status, 201);
    const body = await ok201.json();
    assertEquals(await runs(), before + 1);
    // Every product is priced; one without usable competitor prices holds and says so.
    const [priced] = await sql<
      { n: number }[]
    >`select count(*)::int as n from products`;
    assertEquals(body.products, priced!.n);
  },
);

dbTest(
  "activity - the last 50 events, mixes and throughput come from the database",
  async ({ sql }) => {
    const s = await seedShop(sql);
    const api = JSON.parse(
      await get(app(sql), "/api/activity", "application/json"),
    );
    assertEquals(api.recent.length, 50);
    const [newest] = await sql<{ at: Date }[]>`
    select max(t) as at from (select max("timestamp") t from clickstream_events union all
      select max("timestamp") from inventory_events union all select max("timestamp") from competitor_price_history) x`;
    assertEquals(new Date(api.recent[0].at).getTime(), newest!.at.getTime());
    const types = new Map<string, number>();
    for (const e of s.clicks) {
      types.set(e.event_type, (types.get(e.event_type) ?? 0) + 1);
    }
    for (const m of api.eventTypes) {
      assertEquals(m.count, types.get(m.name), m.name);
    }
    const click = api.throughput.find((t: { stream: string }) =>
      t.stream === "clickstream"
    );
    assertEquals(click.lastMinute, s.clicks.length);
    // The events are seconds old: the "15-minute" average divides by the one minute there is.
    assertEquals(click.windowMin, 1);
    const html = await get(app(sql), "/activity");
    ok(html.includes(`${count(s.clicks.length)} /min`));
    ok(
      html.includes(
        `${rate(s.clicks.length, "/min")} average over the last 1 min`,
      ),
      "the average over the history there is",
    );
    ok(html.includes('data-island="ActivityStreams"'), "cards and mixes live");
    assertEquals((html.match(/<tr\s+data-event-id=/g) ?? []).length, 50);
  },
);
