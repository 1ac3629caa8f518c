/**
 * The hand-built datasets of the analytics integration and page tests, each
 * the database twin of a unit test in lib/analytics/ whose answers it shares.
 */
import type { Sql } from "../lib/db/mod.ts";
import { type Click, insertClicks } from "./analytics_fixtures.ts";

const T0 = Date.parse("2026-01-05T10:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const c = (
  session: string,
  device: Click["device"],
  type: Click["type"],
  minutes: number,
  productId?: string,
): Click => ({
  user: `u_${session}`,
  session: `funnel-${session}`,
  device,
  type,
  productId,
  at: at(minutes),
});

// The six sessions of lib/analytics/funnel_test.ts, as real events (P001 is a phone, P007 a laptop).
export const FUNNEL_CLICKS: Click[] = [
  c("s1", "mobile", "page_view", 0),
  c("s1", "mobile", "page_view", 1),
  c("s1", "mobile", "product_view", 2, "P001"),
  c("s1", "mobile", "add_to_cart", 3, "P001"),
  c("s1", "mobile", "purchase", 5, "P001"),
  c("s2", "mobile", "page_view", 0),
  c("s2", "mobile", "product_view", 1, "P001"),
  c("s2", "mobile", "add_to_cart", 2, "P001"),
  c("s3", "desktop", "page_view", 0),
  c("s3", "desktop", "product_view", 1, "P007"),
  c("s4", "desktop", "page_view", 0),
  c("s5", "tablet", "page_view", 0),
  c("s5", "tablet", "page_view", 0.5),
  c("s6", "mobile", "page_view", 0),
  c("s6", "mobile", "product_view", 0.5, "P007"),
  c("s6", "mobile", "product_view", 1.5, "P001"),
  // Two days earlier: outside a 24-hour window ending at noon.
  c("s7", "desktop", "page_view", -2 * 24 * 60),
  c("s7", "desktop", "purchase", -2 * 24 * 60 + 1, "P007"),
];
function purchases(
  user: string,
  device: Click["device"],
  day: string,
  orders: number,
  price: number,
  perOrder = 1,
) {
  return Array.from(
    { length: orders },
    (_, o) =>
      Array.from({ length: perOrder }, (): Click => ({
        user,
        session: `rfm-${user}-${device}-${day}-${o}`,
        device,
        type: "purchase",
        productId: "P025",
        price,
        at: `${day}T0${o}:00:00Z`,
      })),
  ).flat();
}

// The five customers of lib/analytics/rfm_test.ts as purchase events; the window ends 2026-01-31.
// Order o of a day is at 0o:00, so u1's last purchase is 01-30 04:00: 0.83 days before the end.
export const RFM_CLICKS: Click[] = [
  ...purchases("u1", "mobile", "2026-01-30", 5, 200),
  ...purchases("u2", "desktop", "2026-01-28", 3, 200),
  ...purchases("u2", "mobile", "2026-01-29", 1, 200),
  ...purchases("u3", "tablet", "2026-01-21", 1, 50),
  // Two purchases in each order: 3 orders, 6 events, $600.
  ...purchases("u4", "desktop", "2026-01-01", 3, 100, 2),
  ...purchases("u5", "mobile", "2025-12-01", 1, 20),
  // Browsing only, or buying before the 90-day window: not customers.
  {
    user: "u6",
    session: "rfm-u6",
    device: "mobile",
    type: "page_view",
    at: "2026-01-30T00:00:00Z",
  },
  ...purchases("u7", "mobile", "2025-10-01", 1, 999),
];
/** The observations of lib/analytics/price_position_test.ts, plus one older ElectroHub price. */
export async function fillPrice(sql: Sql): Promise<void> {
  await sql`update products set current_price = 100 where product_id = 'P001'`;
  await sql`update products set current_price = 50 where product_id = 'P002'`;
  await fillObservations(sql);
  await fillRecommendations(sql);
  const buy = (i: number): Click => ({
    user: `price-u${i}`,
    session: `price-s${i}`,
    device: "desktop",
    type: "purchase",
    productId: "P002",
    price: 50,
    at: `2026-01-05T0${i}:30:00Z`,
  });
  await insertClicks(sql, [buy(1), buy(2), buy(3), buy(4)]);
}

async function fillObservations(sql: Sql): Promise<void> {
  const obs = (
    productId: string,
    competitor: string,
    price: number,
    our: number,
    at: string,
  ) => ({
    event_id: crypto.randomUUID(),
    product_id: productId,
    competitor_name: competitor,
    competitor_price: price,
    our_price: our,
    price_difference: our - price,
    price_difference_pct: Math.round(((our - price) / price) * 1e6) / 1e4,
    timestamp: new Date(at),
  });
  await sql`insert into competitor_price_history ${
    sql([
      obs("P001", "ElectroHub", 80, 100, "2026-01-01T00:00:00Z"), // outside the window, still its latest price
      obs("P001", "TechMart", 90, 100, "2026-01-05T01:00:00Z"),
      obs("P001", "TechMart", 95, 100, "2026-01-05T02:00:00Z"),
      obs("P001", "GadgetZone", 110, 100, "2026-01-05T01:00:00Z"),
      obs("P001", "GadgetZone", 100, 100, "2026-01-05T02:00:00Z"),
      obs("P002", "TechMart", 50, 50, "2026-01-05T01:00:00Z"),
      obs("P002", "GadgetZone", 40, 50, "2026-01-05T01:00:00Z"),
    ])
  }`;
}

/** A recommendation is a history row (with its status) and the product's current row. */
async function fillRecommendations(sql: Sql): Promise<void> {
  const rec = (
    productId: string,
    price: number,
    avg: number,
    rec: string,
    conf: number,
    to: number,
  ) => ({
    product_id: productId,
    current_price: price,
    avg_competitor_price: avg,
    demand_velocity: 0,
    price_gap_pct: Math.round(((price - avg) / avg) * 1e6) / 1e4,
    recommendation: rec,
    confidence_score: conf,
    recommended_price: to,
    run_id: 1,
  });
  await sql`insert into pricing_runs (run_id, finished_at) values (1, now())`;
  const recs = [
    rec("P001", 100, 91.67, "hold", 0.9, 100),
    rec("P002", 50, 45, "lower", 0.5556, 44.55),
    rec("P003", 699.99, 800, "raise", 1, 792),
  ];
  const ids = await sql<{ recommendation_id: string; status: string }[]>`
    insert into pricing_recommendation_history ${sql(recs)}
    returning recommendation_id::text, status`;
  await sql`insert into pricing_recommendations ${
    sql(
      recs.map((r, i) => ({
        ...r,
        recommendation_id: ids[i]!.recommendation_id,
        status: ids[i]!.status,
      })),
    )
  }`;
}

function buys(productId: string, at: string, n: number): Click[] {
  return Array.from({ length: n }, (_, i) => ({
    user: `demand-u${i}`,
    session: `demand-${productId}-${at}-${i}`,
    device: "mobile",
    type: "purchase",
    productId,
    at,
  }));
}

/** The hourly rows of lib/analytics/demand_test.ts: phones (P001) 2, 4, 0, 6; laptops (P007) 1 an hour. */
export async function fillDemand(sql: Sql): Promise<void> {
  await insertClicks(sql, [
    ...buys("P001", "2026-01-05T00:10:00Z", 2),
    ...buys("P001", "2026-01-05T01:20:00Z", 4),
    ...buys("P001", "2026-01-05T03:05:00Z", 6),
    ...buys("P001", "2026-01-05T04:10:00Z", 50), // the unfinished hour: left out
    ...buys("P007", "2026-01-05T00:15:00Z", 1),
    ...buys("P007", "2026-01-05T01:15:00Z", 1),
    ...buys("P007", "2026-01-05T02:15:00Z", 1),
    ...buys("P007", "2026-01-05T03:15:00Z", 1),
  ]);
  await sql`update inventory_state set current_stock = 10 where product_id = 'P001'`; // 30 units in 3 warehouses
  await sql`update inventory_state set current_stock = 20 where product_id = 'P007'`; // 60 units
}
