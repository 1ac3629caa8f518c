/**
 * Elasticity learned from our own orders, on a real PostgreSQL: the hourly
 * rows take our price from the change history and the competitors' average
 * from their fresh prices, and from synthetic orders with a known elasticity
 * the estimate comes back, narrow enough to replace the fixed −1.5.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { webApp } from "./harness/web_app.ts";
import { withModels } from "./analytics_fixtures.ts";
import type { Sql } from "../lib/db/mod.ts";
import { PRODUCTS } from "../lib/catalog.ts";
import { Rng } from "../lib/rng.ts";
import { binomial, poisson } from "../lib/market/sample.ts";
import { learnedElasticity } from "../lib/analytics/elasticity.ts";
import { fetchElasticityRows } from "../lib/elasticity/orders.ts";

const HOUR = 3_600_000;
const text = (body: string) =>
  body.replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");
const T0 = Date.parse("2026-03-02T00:00:00Z");
const at = (h: number, m = 0) => new Date(T0 + h * HOUR + m * 60_000);

/** `views` product views and `purchases` purchases of `productId` spread over the hour `hour`. */
async function orders(
  sql: Sql,
  cells: {
    productId: string;
    hour: number;
    views: number;
    purchases: number;
  }[],
) {
  const expand = (kind: "views" | "purchases") =>
    cells.flatMap((c) =>
      Array.from({ length: c[kind] }, (_, i) => ({
        productId: c.productId,
        at: at(c.hour, (i * 59) / Math.max(1, c[kind])).toISOString(),
      }))
    );
  for (
    const [type, list] of [
      ["product_view", expand("views")],
      ["purchase", expand("purchases")],
    ] as const
  ) {
    if (list.length === 0) continue;
    await sql`
      insert into clickstream_events (event_id, user_id, session_id, event_type,
        product_id, "timestamp", device_type)
      select gen_random_uuid(), 'u', gen_random_uuid(), ${type}, p, t, 'mobile'
      from unnest(${list.map((x) => x.productId)}::text[],
                  ${list.map((x) => x.at)}::timestamptz[]) as x(p, t)`;
  }
}

async function competitor(
  sql: Sql,
  rows: { productId: string; name: string; price: number; at: Date }[],
) {
  await sql`
    insert into competitor_price_history (event_id, product_id, competitor_name,
      competitor_price, our_price, price_difference, price_difference_pct, "timestamp")
    select gen_random_uuid(), p, n, c, 1, 0, 0, t
    from unnest(${rows.map((r) => r.productId)}::text[], ${
    rows.map((r) => r.name)
  }::text[],
                ${rows.map((r) => r.price)}::numeric[], ${
    rows.map((r) => r.at.toISOString())
  }::timestamptz[]) as x(p, n, c, t)`;
}

async function change(
  sql: Sql,
  productId: string,
  from: number,
  to: number,
  when: Date,
) {
  await sql`
    insert into price_changes (product_id, old_price, new_price, changed_at, changed_by, source)
    values (${productId}, ${from}, ${to}, ${when}, 'test', 'manual')`;
  await sql`update products set current_price = ${to} where product_id = ${productId}`;
}

dbTest(
  "analytics elasticity - an hour takes our price at its middle from the change history, else the current price, and the competitors' fresh average",
  async ({ sql }) => {
    await change(sql, "P026", 99.99, 94.99, at(10, 10));
    await change(sql, "P026", 94.99, 89.99, at(12, 40));
    await competitor(sql, [
      { productId: "P026", name: "TechMart", price: 100, at: at(3) },
      { productId: "P026", name: "GadgetZone", price: 98, at: at(9) },
      { productId: "P026", name: "GadgetZone", price: 96, at: at(11) },
      { productId: "P026", name: "ElectroHub", price: 101, at: at(10, 45) },
      { productId: "P025", name: "GadgetZone", price: 48, at: at(10) },
    ]);
    await orders(sql, [
      ...[9, 10, 11, 12, 13].map((hour) => ({
        productId: "P026",
        hour,
        views: 10,
        purchases: hour - 8,
      })),
      { productId: "P025", hour: 10, views: 4, purchases: 1 },
      // Purchases without a view carry no exposure: left out.
      { productId: "P025", hour: 11, views: 0, purchases: 1 },
      // Before any competitor price: no reference, left out.
      { productId: "P026", hour: 1, views: 5, purchases: 1 },
    ]);
    const rows = await fetchElasticityRows(sql, { from: at(0), to: at(24) });
    assertEquals(
      rows.map((
        r,
      ) => [r.productId, r.hour, r.ourPrice, r.refPrice, r.views, r.units]),
      [
        ["P025", 10, 49.99, 48, 4, 1],
        // 09:30: before the first change, so its old price; TechMart's 03:00 price is stale.
        ["P026", 9, 99.99, 98, 10, 1],
        // 10:30: after the 10:10 change; ElectroHub's 10:45 price is not seen yet.
        ["P026", 10, 94.99, 98, 10, 2],
        ["P026", 11, 94.99, 98.5, 10, 3],
        // 12:30: the 12:40 change is still ahead.
        ["P026", 12, 94.99, 98.5, 10, 4],
        ["P026", 13, 89.99, 98.5, 10, 5],
      ],
    );
  },
);

/**
 * Ten days of accessories orders drawn from purchases/view = 0.2 ×
 * (ours / average)^ε: our price tested ±3% and ±6% every 6 hours, two
 * competitors moving ±3% every 8 hours, about 60 views an hour per product.
 */
async function syntheticShop(sql: Sql, elasticity: number) {
  const rng = new Rng("db-elasticity");
  const products = PRODUCTS.filter((p) => p.category === "accessories");
  const cells = [];
  const prices = [];
  for (const p of products) {
    let ours = p.basePrice;
    let seen: { name: string; price: number }[] = [];
    for (let h = 0; h < 240; h++) {
      if (h % 6 === 0) {
        const next =
          Math.round(p.basePrice * (1 + 0.03 * rng.int(-2, 2)) * 100) / 100;
        if (next !== ours) await change(sql, p.id, ours, next, at(h));
        ours = next;
      }
      if (h % 8 === 0) {
        seen = ["TechMart", "GadgetZone"].map((name) => ({
          name,
          price: Math.round(p.basePrice * rng.range(0.97, 1.03) * 100) / 100,
        }));
      }
      // The crawler sees each price again every 4 hours, so none goes stale.
      if (h % 4 === 0) {
        for (const c of seen) prices.push({ productId: p.id, ...c, at: at(h) });
      }
      const ref = (seen[0]!.price + seen[1]!.price) / 2;
      const views = poisson(rng, 60);
      const purchases = binomial(rng, views, 0.2 * (ours / ref) ** elasticity);
      cells.push({ productId: p.id, hour: h, views, purchases });
    }
  }
  // A category with a handful of orders: its interval stays wide.
  prices.push({
    productId: "P001",
    name: "TechMart",
    price: 899.99,
    at: at(0),
  });
  cells.push({ productId: "P001", hour: 1, views: 6, purchases: 1 });
  cells.push({ productId: "P001", hour: 2, views: 5, purchases: 0 });
  await competitor(sql, prices);
  await orders(sql, cells);
}

dbTest(
  "analytics elasticity - recovers a known elasticity from synthetic orders and uses it only where the interval is narrow",
  async ({ sql }) => {
    await syntheticShop(sql, -2.5);
    const r = await learnedElasticity(
      sql,
      { from: at(0), to: at(240), hours: 240 },
      -1.5,
    );
    const acc = r.categories.find((c) => c.category === "accessories")!;
    ok(acc.low < -2.5 && acc.high > -2.5, JSON.stringify(acc));
    ok(Math.abs(acc.estimate / -2.5 - 1) < 0.15, JSON.stringify(acc));
    ok(
      acc.used,
      `a narrow interval replaces the fixed elasticity: ${JSON.stringify(acc)}`,
    );
    assertEquals(acc.n, 6 * 240);
    const phones = r.categories.find((c) => c.category === "phones");
    ok(!phones || !phones.used, JSON.stringify(phones));
    assertEquals(r.fixed, -1.5);
  },
);

dbTest(
  "analytics elasticity - the price page shows each category's estimate and whether the simulation uses it, or that it uses the fixed −1.5",
  async ({ sql }) => {
    await withModels(sql);
    const { app } = webApp(sql);
    const page = async (q: string) =>
      text(await (await app.request(`/analytics/price?${q}`)).text());
    const empty = await page("hours=240");
    ok(
      empty.includes(
        "Not enough of our own orders in this window to learn an elasticity: the simulation uses the fixed -1.5",
      ),
      empty,
    );
    await withModels(sql, () => syntheticShop(sql, -2.5));
    const full = await page(`hours=240&until=${at(240).toISOString()}`);
    ok(full.includes("Price elasticity learned from our orders"), full);
    ok(
      /accessories -2\.42 \[-2\.79, -2\.05\] 1,440 17,425 learned used/.test(
        full,
      ),
      full,
    );
  },
);
