-- The shopping funnel per product category and UTC day.
select
  event_date,
  category,
  count(*) filter (where event_type = 'product_view') as product_views,
  count(*) filter (where event_type = 'add_to_cart') as cart_adds,
  count(*) filter (where event_type = 'purchase') as purchases,
  count(distinct session_id) filter (where event_type = 'product_view') as viewing_sessions,
  count(distinct session_id) filter (where event_type = 'purchase') as purchasing_sessions,
  coalesce(sum(product_price) filter (where event_type = 'purchase'), 0)::numeric(16, 2) as revenue,
  case when count(*) filter (where event_type = 'product_view') > 0
    then round(count(*) filter (where event_type = 'purchase')::numeric
               / count(*) filter (where event_type = 'product_view'), 6)
    else 0 end as conversion_rate
from stg_clickstream
where category is not null
group by event_date, category
