/**
 * The data quality checks of what the pipeline derives (pricing, product
 * metrics), of its bookkeeping (offsets, rejections) and of freshness.
 */
import { type Check, NONE, offending } from "./check.ts";

/** Recommendation rows of both the current table and the history. */
function recommendationRows(where: string, show: string): string {
  return `
select 'current ' || product_id || ': ' || ${show} as item
from pricing_recommendations where ${where}
union all
select 'run ' || run_id || ' ' || product_id || ': ' || ${show} as item
from pricing_recommendation_history where ${where}`;
}

export const PRICING_CHECKS: Check[] = [
  {
    name: "pricing.known_recommendations",
    group: "pricing",
    description:
      "Recommendations (current and history) are raise, lower or hold: the dashboard and the price updater act on exactly these",
    severity: "error",
    sql: offending(recommendationRows(
      "recommendation not in ('raise', 'lower', 'hold')",
      "recommendation",
    )),
    expect: NONE,
  },
  {
    name: "pricing.confidence_between_0_and_1",
    group: "pricing",
    description:
      "Confidence scores are between 0 and 1: they are shown as percentages and used to rank which prices to change first",
    severity: "error",
    sql: offending(recommendationRows(
      "confidence_score not between 0 and 1",
      "confidence_score::text",
    )),
    expect: NONE,
  },
  {
    name: "pricing.products_known",
    group: "pricing",
    description:
      "Every recommendation references a known product: the history has no foreign key, and a recommendation for an unknown product cannot be applied",
    severity: "error",
    sql: offending(recommendationRows(
      "product_id not in (select product_id from products)",
      "'unknown product'",
    )),
    expect: NONE,
  },
  {
    name: "pricing.recommended_price_positive",
    group: "pricing",
    description:
      "Every recommended price is positive: applying a zero or negative price would give the product away",
    severity: "error",
    sql: offending(recommendationRows(
      "recommended_price <= 0",
      "recommended_price::text",
    )),
    expect: NONE,
  },
];

export const DERIVED_CHECKS: Check[] = [
  {
    name: "metrics.match_clickstream",
    group: "metrics",
    description:
      "product_metrics (views, cart adds, purchases, revenue, conversion rate) agree with the clickstream they are derived from: they are counted incrementally, so a lost or doubly counted batch shows up as a difference",
    severity: "error",
    sql: offending(`
select m.product_id || ': metrics ' || m.total_views || '/' || m.total_cart_adds || '/' || m.total_purchases
       || '/' || m.revenue || ', clickstream ' || coalesce(c.views, 0) || '/' || coalesce(c.carts, 0)
       || '/' || coalesce(c.purchases, 0) || '/' || coalesce(c.revenue, 0) as item
from product_metrics m
left join (
  select product_id,
         count(*) filter (where event_type = 'product_view') as views,
         count(*) filter (where event_type = 'add_to_cart') as carts,
         count(*) filter (where event_type = 'purchase') as purchases,
         coalesce(sum(product_price) filter (where event_type = 'purchase'), 0) as revenue
  from clickstream_events where product_id is not null group by product_id) c using (product_id)
where m.total_views <> coalesce(c.views, 0)
   or m.total_cart_adds <> coalesce(c.carts, 0)
   or m.total_purchases <> coalesce(c.purchases, 0)
   or m.revenue <> coalesce(c.revenue, 0)
   or m.conversion_rate <> case when coalesce(c.views, 0) > 0
        then round(c.purchases::numeric / c.views, 6) else 0 end`),
    expect: NONE,
  },
  {
    name: "offsets.never_backwards",
    group: "offsets",
    description:
      "No stored consumer offset ever moved backwards or vanished (recorded by a trigger on consumer_offsets): a backward move re-reads and a lost offset restarts a partition; delete the row from consumer_offset_regressions once investigated",
    severity: "error",
    sql: offending(`
select consumer_group || ' ' || topic || '[' || "partition" || ']: ' || old_offset || ' -> '
       || coalesce(new_offset::text, 'deleted') || ' at ' || changed_at as item
from consumer_offset_regressions`),
    expect: NONE,
  },
  {
    name: "events.ids_unique_across_streams",
    group: "events",
    description:
      "No event id occurs in two streams: ids are unique per table by key, but a producer reusing ids across streams breaks deduplication and lineage",
    severity: "error",
    sql: offending(`
select c.event_id::text || ': clickstream and inventory' as item
from clickstream_events c join inventory_events i using (event_id)
union all
select c.event_id::text || ': clickstream and competitor' as item
from clickstream_events c join competitor_price_history h using (event_id)
union all
select i.event_id::text || ': inventory and competitor' as item
from inventory_events i join competitor_price_history h using (event_id)`),
    expect: NONE,
  },
  {
    name: "rejections.reason_not_empty",
    group: "rejections",
    description:
      "Every rejected event says why: an operator deciding whether to replay it needs the reason",
    severity: "error",
    sql: offending(`
select topic || '[' || "partition" || ']@' || "offset" as item
from rejected_events where btrim(reason) = ''`),
    expect: NONE,
  },
];

/** How stale a table's newest row may get while generators run, in seconds. */
function freshness(
  stream: string,
  table: string,
  column: string,
  maxAgeS: number,
  why: string,
): Check {
  return {
    name: `freshness.${stream}`,
    group: "freshness",
    description:
      `The newest ${stream} row is at most ${maxAgeS} s old while data flows (${why}); a warning, because an idle database with the generators stopped is not wrong`,
    severity: "warn",
    sql: `
select coalesce(extract(epoch from now() - max(${column}))::bigint, 999999999) as value,
       'newest ' || coalesce(max(${column})::text, 'none') as detail
from ${table}`,
    expect: { op: "<=", target: maxAgeS },
  };
}

export const FRESHNESS_CHECKS: Check[] = [
  freshness(
    "clickstream",
    "clickstream_events",
    `"timestamp"`,
    120,
    "5-15 events/s at rate 1",
  ),
  freshness(
    "inventory",
    "inventory_events",
    `"timestamp"`,
    120,
    "1-3 moves/s at rate 1",
  ),
  freshness(
    "competitor",
    "competitor_price_history",
    `"timestamp"`,
    300,
    "one observation every 2-5 s at rate 1",
  ),
  freshness(
    "pricing",
    "pricing_runs",
    "finished_at",
    300,
    "the pricing job runs every minute",
  ),
];

/** Pricing, derived data, bookkeeping and freshness checks, in report order. */
export const PIPELINE_CHECKS: Check[] = [
  ...PRICING_CHECKS,
  ...DERIVED_CHECKS,
  ...FRESHNESS_CHECKS,
];
