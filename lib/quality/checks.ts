/**
 * The data quality checks of the three raw streams, as data. Known sets
 * (event types, the future-timestamp allowance) come from the event contract,
 * so the checks and the validator cannot disagree.
 */
import { CLICK_TYPES, MAX_FUTURE_MS } from "../events/schema.ts";
import { type Check, lit, NONE, offending } from "./check.ts";
import { PIPELINE_CHECKS } from "./checks_pipeline.ts";

const PRODUCT_EVENT_TYPES = CLICK_TYPES.filter((t) => t !== "page_view");

export const INVENTORY_CHECKS: Check[] = [
  {
    name: "inventory.no_negative_stock",
    group: "inventory",
    description:
      "No product x warehouse has stock below zero: the sink refuses such moves, so one here means a writer bypassed it",
    severity: "error",
    sql: offending(`
select product_id || ' at ' || warehouse_id || ': ' || current_stock as item
from inventory_state where current_stock < 0`),
    expect: NONE,
  },
  {
    name: "inventory.row_per_product_warehouse",
    group: "inventory",
    description:
      "There is one inventory row per product x warehouse (products x warehouses from the catalog tables): a missing row hides a product from stock views",
    severity: "error",
    sql: `
select (select count(*) from inventory_state) as value,
       (select count(*) from products) * (select count(*) from warehouses) as expected,
       (select string_agg(item, '; ') from (
          select p.product_id || ' at ' || w.warehouse_id || ' missing' as item
          from products p cross join warehouses w
          where not exists (select 1 from inventory_state s
                            where s.product_id = p.product_id and s.warehouse_id = w.warehouse_id)
          order by 1 limit 5) m) as detail`,
    expect: { op: "=", target: "expected" },
  },
  {
    name: "inventory.state_matches_events",
    group: "inventory",
    description:
      "Each stock value equals the cell's initial stock (100 for the seeded cells, 0 for cells added later) plus the sum of its applied moves: stock is updated incrementally, so a lost or doubly applied move shows up as drift here",
    severity: "error",
    sql: offending(`
select s.product_id || ' at ' || s.warehouse_id || ': stock ' || s.current_stock
       || ', ' || s.initial_stock || ' + applied moves = ' || (s.initial_stock + coalesce(e.moved, 0)) as item
from inventory_state s
left join (select product_id, warehouse_id, sum(quantity_change) as moved
           from inventory_events where applied group by product_id, warehouse_id) e
  using (product_id, warehouse_id)
where s.current_stock <> s.initial_stock + coalesce(e.moved, 0)`),
    expect: NONE,
  },
  {
    name: "inventory.refusals_explained",
    group: "inventory",
    description:
      "Every refused move has a reason and a matching 'refused' rejection, and no applied move has one: operators review refusals from the rejections table",
    severity: "error",
    sql: offending(`
select event_id::text || case when applied then ': applied but has a refusal reason'
                               else ': refused without a reason or rejection' end as item
from inventory_events i
where (applied and refusal_reason is not null)
   or (not applied and (coalesce(btrim(refusal_reason), '') = ''
       or not exists (select 1 from rejected_events r
                      where r.kind = 'refused' and r.event_id = i.event_id::text)))`),
    expect: NONE,
  },
];

export const CLICKSTREAM_CHECKS: Check[] = [
  {
    name: "clickstream.known_event_types",
    group: "clickstream",
    description: `Only the five known event types (${
      CLICK_TYPES.join(", ")
    }) occur: the funnel and the metrics count by type, an unknown one is silently lost`,
    severity: "error",
    sql: offending(`
select event_id::text || ': ' || event_type as item
from clickstream_events where event_type not in (${
      CLICK_TYPES.map(lit).join(", ")
    })`),
    expect: NONE,
  },
  {
    name: "clickstream.products_resolve",
    group: "clickstream",
    description:
      "Every product reference resolves to a known product: an unknown one cannot be priced, stocked or counted in product metrics",
    severity: "error",
    sql: offending(`
select event_id::text || ': ' || product_id as item
from clickstream_events e
where product_id is not null
  and not exists (select 1 from products p where p.product_id = e.product_id)`),
    expect: NONE,
  },
  {
    name: "clickstream.product_events_name_a_product",
    group: "clickstream",
    description:
      "Every event other than a page view names a product: a view, cart move or purchase without one cannot be attributed",
    severity: "error",
    sql: offending(`
select event_id::text || ': ' || event_type || ' without product' as item
from clickstream_events
where product_id is null and event_type in (${
      PRODUCT_EVENT_TYPES.map(lit).join(", ")
    })`),
    expect: NONE,
  },
  {
    name: "clickstream.purchases_have_price",
    group: "clickstream",
    description:
      "Every purchase has a positive price: revenue in product metrics and the marts is the sum of purchase prices",
    severity: "error",
    sql: offending(`
select event_id::text || ': price ' || coalesce(product_price::text, 'null') as item
from clickstream_events
where event_type = 'purchase' and (product_price is null or product_price <= 0)`),
    expect: NONE,
  },
  {
    name: "clickstream.no_future_timestamps",
    group: "clickstream",
    description:
      "No event is more than 5 minutes in the future: producers' clocks are trusted only that far, and a future event would skew freshness and hourly demand",
    severity: "error",
    sql: offending(`
select event_id::text || ': ' || "timestamp" as item
from clickstream_events
where "timestamp" > now() + interval '${MAX_FUTURE_MS / 1000} seconds'`),
    expect: NONE,
  },
  {
    name: "clickstream.not_empty",
    group: "clickstream",
    description:
      "The clickstream table is not empty: every analysis and the pricing engine's demand velocity start from it",
    severity: "error",
    sql: `
select count(*) as value,
       case when count(*) = 0 then 'no clickstream events at all' end as detail
from (select 1 from clickstream_events limit 1) s`,
    expect: { op: ">", target: 0 },
  },
];

/** Competitor rows of both the latest-price table and the full history. */
function competitorRows(where: string, show: string): string {
  return `
select 'latest ' || product_id || '/' || competitor_name || ': ' || ${show} as item
from competitor_prices where ${where}
union all
select 'history ' || event_id::text || ': ' || ${show} as item
from competitor_price_history where ${where}`;
}

export const COMPETITOR_CHECKS: Check[] = [
  {
    name: "competitor.prices_positive",
    group: "competitor",
    description:
      "All competitor prices (latest and history) are positive: a zero or negative price would drag the average the pricing engine compares with",
    severity: "error",
    sql: offending(
      competitorRows("competitor_price <= 0", "competitor_price::text"),
    ),
    expect: NONE,
  },
  {
    name: "competitor.difference_within_80pct",
    group: "competitor",
    description:
      "Every price difference is within +-80% of our price: competitors price near ours (within about +-50% with promotions and our guardrails), a larger gap is a scraping or unit error",
    severity: "error",
    sql: offending(
      competitorRows(
        "abs(price_difference_pct) > 80",
        "price_difference_pct::text || '%'",
      ),
    ),
    expect: NONE,
  },
  {
    name: "competitor.known_competitors",
    group: "competitor",
    description:
      "Competitor names are in the known set (the competitors table): the history has no foreign key, and an unknown name is a new scraper target nobody configured",
    severity: "error",
    sql: offending(competitorRows(
      "competitor_name not in (select competitor_name from competitors)",
      "competitor_name",
    )),
    expect: NONE,
  },
  {
    name: "competitor.latest_matches_history",
    group: "competitor",
    description:
      "The latest-price table holds, for each product x known competitor, the newest observation of the history (ties on the timestamp go to the larger event id): the upsert must never let a late, older observation win",
    severity: "error",
    sql: offending(`
select product_id || '/' || competitor_name || ': latest table ' || coalesce(c."timestamp"::text || ' ' || c.event_id, 'missing')
       || ', history ' || coalesce(h.ts::text || ' ' || h.event_id, 'missing') as item
from (select distinct on (product_id, competitor_name) product_id, competitor_name, "timestamp" as ts, event_id
      from competitor_price_history
      -- unknown competitors are competitor.known_competitors' business
      where competitor_name in (select competitor_name from competitors)
      -- ties on the timestamp go to the larger event id, as in the sink and stg_competitor_prices
      order by product_id, competitor_name, "timestamp" desc, event_id desc) h
full join competitor_prices c using (product_id, competitor_name)
where (c."timestamp", c.event_id) is distinct from (h.ts, h.event_id)`),
    expect: NONE,
  },
];

/** QUALITY_MAX_STOCK's bound for a shop at GENERATOR_RATE 1 or on real feeds. */
export const DEFAULT_MAX_STOCK = 100_000;

/**
 * The largest plausible stock of one product in one warehouse when
 * QUALITY_MAX_STOCK is 0: 100,000 units, times GENERATOR_RATE when the
 * simulated shop runs faster (at rate r it sells, and so stocks, r times as
 * much: its busiest cells hold ~2,300 units at rate 1 and ~115,000 at 50).
 */
export function maxStockOf(
  c: { qualityMaxStock: number; rate: number },
): number {
  if (c.qualityMaxStock > 0) return c.qualityMaxStock;
  return Math.ceil(DEFAULT_MAX_STOCK * Math.max(1, c.rate));
}

/** The check that no stock is above `maxStock` units. */
export function stockBoundCheck(maxStock: number): Check {
  if (!Number.isSafeInteger(maxStock) || maxStock <= 0) {
    throw new RangeError(
      `The stock bound must be a positive whole number of units, got ${maxStock}`,
    );
  }
  return {
    name: "inventory.stock_within_bound",
    group: "inventory",
    description: `No stock value is above ${
      maxStock.toLocaleString("en-US")
    } units (QUALITY_MAX_STOCK): no warehouse of the shop holds that much, so it means a unit or sign error upstream`,
    severity: "error",
    sql: offending(`
select product_id || ' at ' || warehouse_id || ': ' || current_stock as item
from inventory_state where current_stock > ${maxStock}`),
    expect: NONE,
  };
}

/** Every check, in report order, with no stock above `maxStock` units. */
export function dataChecks(maxStock = DEFAULT_MAX_STOCK): Check[] {
  return [
    ...INVENTORY_CHECKS,
    stockBoundCheck(maxStock),
    ...CLICKSTREAM_CHECKS,
    ...COMPETITOR_CHECKS,
    ...PIPELINE_CHECKS,
  ];
}

/** Every check, in report order, with the default stock bound. */
export const CHECKS: readonly Check[] = dataChecks();
