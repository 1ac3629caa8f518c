/** Cases of the break table for pricing, derived data, bookkeeping, freshness and models. */
import {
  type Break,
  click,
  inventoryEvent,
  recommendation,
} from "./quality_fixtures.ts";

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

export const PIPELINE_BREAKS: Break[] = [...PIPELINE, ...FRESHNESS, ...MODELS];
