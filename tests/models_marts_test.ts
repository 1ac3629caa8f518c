/**
 * The marts against answers computed by hand from a small, hand-written
 * shop history that goes through the real sinks and the pricing engine.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { Sql } from "../lib/db/mod.ts";
import type { EventOf } from "../lib/events/schema.ts";
import { ingestBatch } from "../lib/ingest/sink.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { ensureModels } from "../lib/models/build.ts";
import { refreshModels } from "../lib/models/refresh.ts";
import { runPricing } from "../lib/pricing/engine.ts";
import { type StreamName, STREAMS } from "../lib/stream/topics.ts";
import { dbTest } from "./harness/db.ts";
import { pricingOptionsFrom } from "../lib/pricing/thresholds.ts";
import { loadConfig } from "../lib/config.ts";

let offset = 0;
async function ingest<S extends StreamName>(
  sql: Sql,
  stream: S,
  events: Partial<EventOf[S]>[],
): Promise<void> {
  const { topic } = STREAMS[stream];
  await ingestBatch(
    {
      sql,
      stream,
      topic,
      offsetTopic: topic,
      groupId: `marts.${stream}`,
      reference: await loadReference(sql),
    },
    events.map((e) => ({
      topic,
      partition: 0,
      offset: offset++,
      key: null,
      value: new TextEncoder().encode(
        JSON.stringify({ event_id: crypto.randomUUID(), ...e }),
      ),
      timestamp: Date.now(),
    })),
  );
}

const S = Array.from({ length: 5 }, () => crypto.randomUUID());
const PRODUCT = {
  P001: {
    product_name: "Samsung Galaxy S24",
    product_category: "phones",
    product_price: 899.99,
  },
  P002: {
    product_name: "iPhone 15 Pro",
    product_category: "phones",
    product_price: 999.99,
  },
  P013: {
    product_name: "Sony WH-1000XM5",
    product_category: "headphones",
    product_price: 349.99,
  },
} as const;

function click(
  session: number,
  event_type: EventOf["clickstream"]["event_type"],
  product: keyof typeof PRODUCT | null,
  timestamp: string,
): Partial<EventOf["clickstream"]> {
  return {
    user_id: `user_${session}`,
    session_id: S[session]!,
    event_type,
    ...(product ? { product_id: product, ...PRODUCT[product] } : {}),
    timestamp,
    device_type: "desktop",
  };
}

// Monday 23 and Tuesday 24 November 2026, UTC.
const CLICKS = [
  click(1, "product_view", "P001", "2026-11-23T10:15:00Z"),
  click(1, "add_to_cart", "P001", "2026-11-23T10:16:00Z"),
  click(1, "purchase", "P001", "2026-11-23T10:20:00Z"),
  click(2, "product_view", "P001", "2026-11-23T10:40:00Z"),
  click(2, "product_view", "P002", "2026-11-23T11:05:00Z"),
  click(3, "product_view", "P013", "2026-11-23T23:59:59Z"),
  click(3, "purchase", "P013", "2026-11-24T00:00:30Z"),
  click(4, "page_view", null, "2026-11-24T09:00:00Z"),
  click(0, "product_view", "P002", "2026-11-24T09:29:00Z"),
  click(0, "purchase", "P002", "2026-11-24T09:30:00Z"),
];

function observation(
  product: "P001" | "P013",
  competitor: string,
  price: number,
  timestamp: string,
): Partial<EventOf["competitor"]> {
  const ours = PRODUCT[product].product_price;
  const diff = Math.round((price - ours) * 100) / 100;
  return {
    product_id: product,
    product_name: PRODUCT[product].product_name,
    product_category: PRODUCT[product].product_category,
    competitor_name: competitor,
    competitor_price: price,
    our_price: ours,
    price_difference: diff,
    price_difference_pct: Math.round(diff / ours * 10000) / 100,
    timestamp,
  };
}

const move = (
  warehouse_id: string,
  event_type: EventOf["inventory"]["event_type"],
  quantity_change: number,
  timestamp: string,
): Partial<EventOf["inventory"]> => ({
  product_id: "P001",
  ...PRODUCT.P001,
  event_type,
  quantity_change,
  warehouse_id,
  timestamp,
});

async function seed(sql: Sql): Promise<void> {
  await ingest(sql, "clickstream", CLICKS);
  await ingest(sql, "inventory", [
    move("WH-LAGOS", "stock_received", 50, "2026-11-23T08:00:00Z"),
    move("WH-PH", "stock_damaged", -15, "2026-11-23T09:00:00Z"),
  ]);
  await ingest(sql, "competitor", [
    observation("P001", "TechMart", 850, "2026-11-23T08:00:00Z"),
    observation("P001", "GadgetZone", 920, "2026-11-23T08:00:00Z"),
    observation("P001", "TechMart", 950, "2026-11-23T12:00:00Z"),
    observation("P013", "ElectroHub", 300, "2026-11-23T12:00:00Z"),
  ]);
  // Arrives late and is older than TechMart's 950: the latest price stays 950.
  await ingest(sql, "competitor", [
    observation("P001", "TechMart", 700, "2026-11-23T10:00:00Z"),
  ]);
  // Priced half an hour after the last observation, as the cron job would have.
  await runPricing(sql, {
    ...pricingOptionsFrom(loadConfig({})),
    now: new Date("2026-11-23T12:30:00Z"),
  });
  await ensureModels(sql);
  await refreshModels(sql);
}

dbTest(
  "marts - match answers computed by hand from a small shop history",
  async ({ sql }) => {
    await seed(sql);
    const funnel = await sql`
    select event_date::text, category, product_views::int, cart_adds::int, purchases::int,
           viewing_sessions::int, purchasing_sessions::int, revenue::text, conversion_rate::text
    from mart_daily_funnel order by event_date, category`;
    assertEquals([...funnel], [
      {
        event_date: "2026-11-23",
        category: "headphones",
        product_views: 1,
        cart_adds: 0,
        purchases: 0,
        viewing_sessions: 1,
        purchasing_sessions: 0,
        revenue: "0.00",
        conversion_rate: "0.000000",
      },
      {
        event_date: "2026-11-23",
        category: "phones",
        product_views: 3,
        cart_adds: 1,
        purchases: 1,
        viewing_sessions: 2,
        purchasing_sessions: 1,
        revenue: "899.99",
        conversion_rate: "0.333333",
      },
      {
        event_date: "2026-11-24",
        category: "headphones",
        product_views: 0,
        cart_adds: 0,
        purchases: 1,
        viewing_sessions: 0,
        purchasing_sessions: 1,
        revenue: "349.99",
        conversion_rate: "0",
      },
      {
        event_date: "2026-11-24",
        category: "phones",
        product_views: 1,
        cart_adds: 0,
        purchases: 1,
        viewing_sessions: 1,
        purchasing_sessions: 1,
        revenue: "999.99",
        conversion_rate: "1.000000",
      },
    ]);

    const hourly = await sql`
    select hour_start, category, hour_of_day, day_of_week, purchases::int, revenue::text
    from mart_hourly_demand order by hour_start, category`;
    assertEquals([...hourly], [
      {
        hour_start: new Date("2026-11-23T10:00:00Z"),
        category: "phones",
        hour_of_day: 10,
        day_of_week: 1,
        purchases: 1,
        revenue: "899.99",
      },
      {
        hour_start: new Date("2026-11-24T00:00:00Z"),
        category: "headphones",
        hour_of_day: 0,
        day_of_week: 2,
        purchases: 1,
        revenue: "349.99",
      },
      {
        hour_start: new Date("2026-11-24T09:00:00Z"),
        category: "phones",
        hour_of_day: 9,
        day_of_week: 2,
        purchases: 1,
        revenue: "999.99",
      },
    ]);

    const perf = await sql`
    select product_id, views::int, cart_adds::int, purchases::int, revenue::text, conversion_rate::text,
           total_stock::int, warehouses_stocked, last_stock_event_at
    from mart_product_performance where product_id in ('P001', 'P030') order by product_id`;
    assertEquals([...perf], [
      {
        product_id: "P001",
        views: 2,
        cart_adds: 1,
        purchases: 1,
        revenue: "899.99",
        conversion_rate: "0.500000",
        total_stock: 150 + 100 + 85,
        warehouses_stocked: 3,
        last_stock_event_at: new Date("2026-11-23T09:00:00Z"),
      },
      {
        product_id: "P030",
        views: 0,
        cart_adds: 0,
        purchases: 0,
        revenue: "0.00",
        conversion_rate: "0.000000",
        total_stock: 300,
        warehouses_stocked: 3,
        last_stock_event_at: null,
      },
    ]);
  },
);

dbTest(
  "marts - pricing analysis places our price among the competitors' latest prices",
  async ({ sql }) => {
    await seed(sql);
    const rows = await sql`
    select a.product_id, a.competitor_count, a.min_competitor_price::text, a.avg_competitor_price::text,
           a.max_competitor_price::text, a.price_gap_pct::text, a.price_position,
           a.recommendation is not distinct from r.recommendation
             and a.confidence_score is not distinct from r.confidence_score
             and a.recommended_price is not distinct from r.recommended_price as latest_recommendation
    from mart_pricing_analysis a left join pricing_recommendations r using (product_id)
    where a.product_id in ('P001', 'P013', 'P030') order by a.product_id`;
    assertEquals([...rows], [
      // Latest: TechMart 950 (not the late 700, not the older 850) and GadgetZone 920.
      {
        product_id: "P001",
        competitor_count: 2,
        min_competitor_price: "920.00",
        avg_competitor_price: "935.00",
        max_competitor_price: "950.00",
        price_gap_pct: "-3.74",
        price_position: "cheapest",
        latest_recommendation: true,
      },
      {
        product_id: "P013",
        competitor_count: 1,
        min_competitor_price: "300.00",
        avg_competitor_price: "300.00",
        max_competitor_price: "300.00",
        price_gap_pct: "16.66",
        price_position: "most_expensive",
        latest_recommendation: true,
      },
      {
        product_id: "P030",
        competitor_count: 0,
        min_competitor_price: null,
        avg_competitor_price: null,
        max_competitor_price: null,
        price_gap_pct: null,
        price_position: "no_data",
        latest_recommendation: true,
      },
    ]);
    const [rec] =
      await sql`select recommendation from mart_pricing_analysis where product_id = 'P013'`;
    // 16.66% above the only competitor and no demand in the last hour: lower.
    assertEquals(rec, { recommendation: "lower" });
  },
);
