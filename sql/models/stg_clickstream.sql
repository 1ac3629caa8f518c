-- Clickstream events with the calendar fields analyses group by (UTC).
select
  e.event_id,
  e.user_id,
  e.session_id,
  e.event_type,
  e.product_id,
  coalesce(p.category, e.product_category) as category,
  e.product_price,
  e.device_type,
  e."timestamp" as event_at,
  (e."timestamp" at time zone 'UTC')::date as event_date,
  extract(hour from e."timestamp" at time zone 'UTC')::int as hour_of_day,
  extract(isodow from e."timestamp" at time zone 'UTC')::int as day_of_week
from clickstream_events e
left join products p on p.product_id = e.product_id
