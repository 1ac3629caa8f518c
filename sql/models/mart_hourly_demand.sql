-- Purchases per product category per UTC hour.
select
  date_trunc('hour', event_at, 'UTC') as hour_start,
  category,
  min(hour_of_day) as hour_of_day,
  min(day_of_week) as day_of_week,
  count(*) as purchases,
  coalesce(sum(product_price), 0)::numeric(16, 2) as revenue
from stg_clickstream
where event_type = 'purchase' and category is not null
group by 1, category
