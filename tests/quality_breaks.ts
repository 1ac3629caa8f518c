/**
 * One way to break the seeded shop's data per quality check (and for some
 * model schema tests), each touching only what its check looks at: the table
 * quality_checks_test.ts runs.
 */
import type { TransactionSql } from "../lib/db/mod.ts";

export interface Break {
  check: string;
  how: string;
  /** Changes the data inside the test's transaction (rolled back afterwards). */
  breakIt: (tx: TransactionSql) => Promise<unknown>;
  /** Text the check's detail must contain. */
  detail: string;
  status?: "fail" | "warn";
  /** Warnings that follow from this break by nature (an empty table is also stale). */
  alsoWarns?: string[];
}

/** Sets a stock value and records the applied move that explains it. */
async function moveStockTo(
  tx: TransactionSql,
  product: string,
  warehouse: string,
  stock: number,
): Promise<void> {
  const [s] = await tx<{ current_stock: number }[]>`
    select current_stock from inventory_state where product_id = ${product} and warehouse_id = ${warehouse}`;
  await tx`
    insert into inventory_events (event_id, product_id, warehouse_id, event_type, quantity_change, applied,
                                  stock_after, "timestamp")
    values (gen_random_uuid(), ${product}, ${warehouse}, 'manual_adjustment', ${
    stock - s!.current_stock
  }, true, ${stock}, now())`;
  await tx`update inventory_state set current_stock = ${stock}
           where product_id = ${product} and warehouse_id = ${warehouse}`;
}

/** Inserts a clickstream event (a page view on mobile, now, unless overridden). */
function click(
  tx: TransactionSql,
  e: {
    id?: string;
    type?: string;
    product?: string | null;
    price?: number | null;
    at?: string;
    device?: string;
  },
) {
  return tx`
    insert into clickstream_events (event_id, user_id, session_id, event_type, product_id, product_category,
                                    product_price, "timestamp", device_type)
    values (coalesce(${
    e.id ?? null
  }::uuid, gen_random_uuid()), 'user_9999', gen_random_uuid(),
            ${e.type ?? "page_view"}, ${e.product ?? null}, null, ${
    e.price ?? null
  },
            coalesce(${e.at ?? null}::timestamptz, now()), ${
    e.device ?? "mobile"
  })`;
}

/** An inventory event that changes no stock: refused (-5), or applied with 0 units. */
function inventoryEvent(
  tx: TransactionSql,
  e: { warehouse?: string; type?: string; applied: boolean; reason?: string },
) {
  return tx`
    insert into inventory_events (event_id, product_id, warehouse_id, event_type, quantity_change, applied,
                                  refusal_reason, "timestamp")
    values (gen_random_uuid(), 'P010', ${e.warehouse ?? "WH-LAGOS"}, ${
    e.type ?? "stock_damaged"
  }, ${e.applied ? 0 : -5}, ${e.applied}, ${e.reason ?? null}, now())`;
}

/** A recommendation in a new (unfinished) pricing run's history. */
async function recommendation(
  tx: TransactionSql,
  r: { product?: string; rec?: string; confidence?: number; price?: number },
) {
  const [run] = await tx<{ run_id: string }[]>`
    insert into pricing_runs default values returning run_id`;
  await tx`
    insert into pricing_recommendation_history (run_id, product_id, current_price, avg_competitor_price,
      demand_velocity, price_gap_pct, recommendation, confidence_score, recommended_price)
    values (${run!.run_id}, ${r.product ?? "P011"}, 100, 100, 0, 0, ${
    r.rec ?? "hold"
  }, ${r.confidence ?? 0.5}, ${r.price ?? 100})`;
}

/** Changes one competitor observation in the latest table and in its history row. */
function competitorPair(tx: TransactionSql, set: "price" | "pct") {
  const col = set === "price"
    ? tx`competitor_price = -1`
    : tx`price_difference_pct = 95`;
  return tx`
    with target as (select event_id from competitor_prices where product_id = 'P005' limit 1),
    h as (update competitor_price_history set ${col} where event_id = (select event_id from target))
    update competitor_prices set ${col} where event_id = (select event_id from target)`;
}

const INVENTORY: Break[] = [
  {
    check: "inventory.no_negative_stock",
    how: "stock set to -5 by a move that bypassed the sink",
    breakIt: async (tx) => {
      // The CHECK (current_stock >= 0) would refuse the row: this is the test's
      // own database, and the transaction is rolled back.
      await tx`alter table inventory_state drop constraint inventory_state_current_stock_check`;
      await moveStockTo(tx, "P001", "WH-LAGOS", -5);
    },
    detail: "P001 at WH-LAGOS: -5",
  },
  {
    check: "inventory.row_per_product_warehouse",
    how: "one product x warehouse row deleted",
    breakIt: (tx) =>
      tx`delete from inventory_state where product_id = 'P030' and warehouse_id = 'WH-PH'`,
    detail: "P030 at WH-PH missing",
  },
  {
    check: "inventory.row_per_product_warehouse",
    how: "a new warehouse without stock rows raises the expected count",
    breakIt: (tx) =>
      tx`insert into warehouses (warehouse_id, name) values ('WH-KANO', 'Kano')`,
    detail: "P001 at WH-KANO missing",
  },
  {
    check: "inventory.stock_at_most_100000",
    how: "stock of 150000 units",
    breakIt: (tx) => moveStockTo(tx, "P002", "WH-ABUJA", 150000),
    detail: "P002 at WH-ABUJA: 150000",
  },
  {
    check: "inventory.state_matches_events",
    how: "stock changed without a move",
    breakIt: (tx) =>
      tx`update inventory_state set current_stock = current_stock + 7
         where product_id = 'P003' and warehouse_id = 'WH-PH'`,
    detail: "P003 at WH-PH: stock",
  },
  {
    check: "inventory.refusals_explained",
    how: "a refused move without a reason",
    breakIt: (tx) => inventoryEvent(tx, { applied: false }),
    detail: "refused without a reason or rejection",
  },
];

const CLICKSTREAM: Break[] = [
  {
    check: "clickstream.known_event_types",
    how: "an event of type wishlist_add",
    breakIt: (tx) => click(tx, { type: "wishlist_add" }),
    detail: ": wishlist_add",
  },
  {
    check: "clickstream.products_resolve",
    how: "a product view of unknown product P999",
    breakIt: (tx) => click(tx, { type: "product_view", product: "P999" }),
    detail: ": P999",
  },
  {
    check: "clickstream.product_events_name_a_product",
    how: "an add-to-cart without a product",
    breakIt: (tx) => click(tx, { type: "add_to_cart" }),
    detail: "add_to_cart without product",
  },
  {
    check: "clickstream.purchases_have_price",
    how:
      "a purchase without a price (counted in product_metrics as the sink would)",
    breakIt: async (tx) => {
      await click(tx, { type: "purchase", product: "P004", price: null });
      await tx`update product_metrics set total_purchases = total_purchases + 1,
                 conversion_rate = case when total_views > 0
                   then round((total_purchases + 1)::numeric / total_views, 6) else 0 end
               where product_id = 'P004'`;
    },
    detail: ": price null",
  },
  {
    check: "clickstream.no_future_timestamps",
    how: "an event an hour in the future",
    breakIt: (tx) =>
      click(tx, {
        id: "00000000-0000-4000-8000-00000000f00d",
        at: new Date(Date.now() + 3600_000).toISOString(),
      }),
    detail: "00000000-0000-4000-8000-00000000f00d",
  },
  {
    check: "clickstream.not_empty",
    how: "every event deleted (and the metrics reset with them)",
    breakIt: async (tx) => {
      await tx`delete from clickstream_events`;
      await tx`update product_metrics set total_views = 0, total_cart_adds = 0, total_purchases = 0,
                 conversion_rate = 0, revenue = 0`;
    },
    detail: "no clickstream events at all",
    alsoWarns: ["freshness.clickstream"],
  },
];

const COMPETITOR: Break[] = [
  {
    check: "competitor.prices_positive",
    how: "a price of -1 in the latest table and the history",
    breakIt: (tx) => competitorPair(tx, "price"),
    detail: "-1.00",
  },
  {
    check: "competitor.difference_within_80pct",
    how: "a difference of 95%",
    breakIt: (tx) => competitorPair(tx, "pct"),
    detail: "95.0000%",
  },
  {
    check: "competitor.known_competitors",
    how: "an observation from ShadyDeals",
    breakIt: (tx) =>
      tx`insert into competitor_price_history (event_id, product_id, competitor_name, competitor_price, our_price,
           price_difference, price_difference_pct, "timestamp")
         values (gen_random_uuid(), 'P006', 'ShadyDeals', 290, 299.99, -9.99, -3.33, now())`,
    detail: ": ShadyDeals",
  },
  {
    check: "competitor.latest_matches_history",
    how: "the latest table holding an older observation",
    breakIt: (tx) =>
      tx`update competitor_prices set "timestamp" = "timestamp" - interval '1 hour'
         where product_id = 'P007'`,
    detail: "P007/",
  },
];

const PIPELINE: Break[] = [
  {
    check: "pricing.known_recommendations",
    how: "a recommendation to panic",
    breakIt: (tx) => recommendation(tx, { rec: "panic" }),
    detail: "P011: panic",
  },
  {
    check: "pricing.confidence_between_0_and_1",
    how: "a confidence of 1.5",
    breakIt: (tx) => recommendation(tx, { confidence: 1.5 }),
    detail: "P011: 1.5000",
  },
  {
    check: "pricing.products_known",
    how: "a recommendation for unknown product P999",
    breakIt: (tx) => recommendation(tx, { product: "P999" }),
    detail: "P999: unknown product",
  },
  {
    check: "pricing.recommended_price_positive",
    how: "a current recommendation of -10",
    breakIt: (tx) =>
      tx`update pricing_recommendations set recommended_price = -10 where product_id = 'P001'`,
    detail: "current P001: -10.00",
  },
  {
    check: "metrics.match_clickstream",
    how: "three views counted twice",
    breakIt: (tx) =>
      tx`update product_metrics set total_views = total_views + 3 where product_id = 'P008'`,
    detail: "P008: metrics",
  },
  {
    check: "offsets.never_backwards",
    how: "an offset moved back by 10",
    breakIt: (tx) =>
      tx`update consumer_offsets set next_offset = next_offset - 10
         where consumer_group = 'ingest.clickstream' and "partition" = 0`,
    detail: "ingest.clickstream raw.clickstream[0]: ",
  },
  {
    check: "offsets.never_backwards",
    how: "an offset deleted",
    breakIt: (tx) =>
      tx`delete from consumer_offsets where consumer_group = 'ingest.inventory' and "partition" = 1`,
    detail: "raw.inventory_updates[1]: 134 -> deleted",
  },
  {
    check: "events.ids_unique_across_streams",
    how: "a click reusing an inventory event's id",
    breakIt: async (tx) => {
      const [e] = await tx<
        { id: string }[]
      >`select event_id::text as id from inventory_events limit 1`;
      await click(tx, { id: e!.id });
    },
    detail: "clickstream and inventory",
  },
  {
    check: "rejections.reason_not_empty",
    how: "a rejection whose reason is blank",
    breakIt: (tx) =>
      tx`update rejected_events set reason = ' ' where id = (select min(id) from rejected_events)`,
    detail: "raw.clickstream[",
  },
];

const FRESHNESS: Break[] = [
  {
    check: "freshness.clickstream",
    how: "the newest click a day old",
    breakIt: (tx) =>
      tx`update clickstream_events set "timestamp" = "timestamp" - interval '1 day'`,
    detail: "newest ",
    status: "warn",
  },
  {
    check: "freshness.inventory",
    how: "the newest move a day old",
    breakIt: (tx) =>
      tx`update inventory_events set "timestamp" = "timestamp" - interval '1 day'`,
    detail: "newest ",
    status: "warn",
  },
  {
    check: "freshness.competitor",
    how: "the newest observation a day old",
    breakIt: async (tx) => {
      await tx`update competitor_price_history set "timestamp" = "timestamp" - interval '1 day'`;
      await tx`update competitor_prices set "timestamp" = "timestamp" - interval '1 day'`;
    },
    detail: "newest ",
    status: "warn",
  },
  {
    check: "freshness.pricing",
    how: "the last pricing run an hour ago",
    breakIt: (tx) =>
      tx`update pricing_runs set finished_at = finished_at - interval '1 hour'`,
    detail: "newest ",
    status: "warn",
  },
];

const MODELS: Break[] = [
  {
    check: "models.stg_clickstream.device_type.accepted_values",
    how: "a click from a smart fridge",
    breakIt: (tx) => click(tx, { device: "smart_fridge" }),
    detail: "smart_fridge (1 rows)",
  },
  {
    check: "models.stg_inventory_events.warehouse_id.relationships",
    how: "a move at an unknown warehouse",
    breakIt: async (tx) => {
      await inventoryEvent(tx, { warehouse: "WH-NOWHERE", applied: true });
    },
    detail: "WH-NOWHERE (1 rows)",
  },
  {
    check: "models.stg_inventory_events.event_type.accepted_values",
    how: "a move of type stock_stolen",
    breakIt: (tx) =>
      inventoryEvent(tx, { type: "stock_stolen", applied: true }),
    detail: "stock_stolen (1 rows)",
  },
];

export const BREAKS: Break[] = [
  ...INVENTORY,
  ...CLICKSTREAM,
  ...COMPETITOR,
  ...PIPELINE,
  ...FRESHNESS,
  ...MODELS,
];
