import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { dbTest, type TestDb } from "./harness/db.ts";
import { runPricing } from "../lib/pricing/engine.ts";
import { DEFAULT_THRESHOLDS } from "../lib/pricing/rule.ts";
import { COMPETITORS, PRODUCTS } from "../lib/catalog.ts";

/** Sets our price and the three competitors' latest prices of `product`. */
async function prices(
  db: TestDb,
  product: string,
  ours: number,
  theirs: number[],
) {
  await db
    .sql`update products set current_price = ${ours} where product_id = ${product}`;
  for (const [i, p] of theirs.entries()) {
    await db.sql`
      insert into competitor_prices (product_id, competitor_name, competitor_price, our_price, price_difference,
        price_difference_pct, event_id, "timestamp")
      values (${product}, ${COMPETITORS[i]!}, ${p}, ${ours}, ${p - ours}, ${
      ((p - ours) / ours) * 100
    },
        ${crypto.randomUUID()}, now())`;
  }
}

/** Records `n` purchases of `product`, `minutesAgo` minutes ago. */
async function purchases(
  db: TestDb,
  product: string,
  n: number,
  minutesAgo = 5,
) {
  for (let i = 0; i < n; i++) {
    await db.sql`
      insert into clickstream_events (event_id, user_id, session_id, event_type, product_id, product_name,
        product_category, product_price, "timestamp", device_type)
      values (${crypto.randomUUID()}, 'user_0001', ${crypto.randomUUID()}, 'purchase', ${product}, 'x', 'phones',
        10, now() - make_interval(mins => ${minutesAgo}), 'mobile')`;
  }
}

dbTest(
  "pricing engine - one pass recommends per product at the rule's boundaries and keeps history",
  async (db) => {
    const [a, b, c, d, e] = PRODUCTS.map((p) => p.id);
    await prices(db, a!, 110, [100, 100, 100]); // gap exactly +10%: hold
    await prices(db, b!, 130, [90, 100, 110]); // +30%, 1 purchase/h: lower to 0.99 x 100
    await purchases(db, b!, 1);
    await prices(db, c!, 80, [100, 100, 100]); // -20%, 5 purchases/h: raise to 99
    await purchases(db, c!, 5);
    await purchases(db, c!, 7, 90); // older than an hour: not demand velocity
    await prices(db, d!, 80, [100, 100, 100]); // -20% but only 4/h: hold
    await purchases(db, d!, 4);
    await prices(db, e!, 130, [100, 100, 100]); // +30% but 2/h: hold
    await purchases(db, e!, 2);
    const run = await runPricing(db.sql, DEFAULT_THRESHOLDS);
    assertEquals([run.products, run.counts], [5, {
      raise: 1,
      lower: 1,
      hold: 3,
    }]);
    const rows = await db.sql<
      {
        product_id: string;
        recommendation: string;
        confidence_score: string;
        recommended_price: string;
        demand_velocity: string;
      }[]
    >`select product_id, recommendation, confidence_score::text, recommended_price::text, demand_velocity::text
    from pricing_recommendations order by product_id`;
    assertEquals(
      rows.map((
        r,
      ) => [
        r.product_id,
        r.recommendation,
        Number(r.confidence_score),
        Number(r.recommended_price),
        Number(r.demand_velocity),
      ]),
      [
        [a, "hold", 0.5, 110, 0],
        [b, "lower", 1, 99, 1],
        [c, "raise", 1, 99, 5],
        [d, "hold", 0.5, 80, 4],
        [e, "hold", 0.5, 130, 2],
      ],
    );
    await runPricing(db.sql, DEFAULT_THRESHOLDS);
    const [h] = await db.sql<{ n: number; runs: number }[]>`
    select count(*)::int as n, count(distinct run_id)::int as runs from pricing_recommendation_history`;
    assertEquals([h!.n, h!.runs], [10, 2]);
    const [cur] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from pricing_recommendations`;
    assertEquals(cur!.n, 5);
  },
);

dbTest(
  "catalog - the seed migration holds the reference catalog: 30 products, 90 stock rows",
  async (db) => {
    const products = await db.sql<
      {
        product_id: string;
        product_name: string;
        category: string;
        base_price: string;
      }[]
    >`
    select product_id, product_name, category, base_price::text from products order by product_id`;
    assertEquals(
      products.map((
        p,
      ) => [p.product_id, p.product_name, p.category, Number(p.base_price)]),
      PRODUCTS.map((p) => [p.id, p.name, p.category, p.basePrice]),
    );
    const [s] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from inventory_state`;
    assertEquals(s!.n, 90);
    const byId = new Map(products.map((p) => [p.product_id, p]));
    assertEquals(byId.get("P001")!.product_name, "Samsung Galaxy S24");
    assertEquals(byId.get("P007")!.base_price, "1999.99");
    assertEquals(byId.get("P018")!.product_name, "Anker Soundcore Q45");
    assertEquals(byId.get("P025")!.base_price, "49.99");
  },
);
