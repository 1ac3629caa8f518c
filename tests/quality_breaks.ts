/**
 * One way to break the seeded shop's data per quality check (and for some
 * model schema tests), each touching only what its check looks at: the table
 * quality_checks_test.ts runs. Streams here, the rest in quality_breaks_pipeline.ts.
 */
import {
  type Break,
  click,
  competitorPair,
  inventoryEvent,
  moveStockTo,
} from "./quality_fixtures.ts";
import { PIPELINE_BREAKS } from "./quality_breaks_pipeline.ts";

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
    check: "inventory.stock_within_bound",
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
  {
    check: "competitor.latest_matches_history",
    how:
      "the latest table holding the smaller event id of two observations at the same time",
    breakIt: (tx) =>
      tx`insert into competitor_price_history (event_id, product_id, competitor_name, competitor_price, our_price,
           price_difference, price_difference_pct, "timestamp")
         select 'ffffffff-ffff-4fff-bfff-ffffffffffff', product_id, competitor_name, competitor_price + 1, our_price,
                price_difference + 1, price_difference_pct, "timestamp"
         from competitor_prices where product_id = 'P008' limit 1`,
    detail: "P008/",
  },
];

export const BREAKS: Break[] = [
  ...INVENTORY,
  ...CLICKSTREAM,
  ...COMPETITOR,
  ...PIPELINE_BREAKS,
];
