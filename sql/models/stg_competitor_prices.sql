-- The latest observation per product x competitor, derived from the full
-- history (ties on the timestamp go to the larger event id, as in the sink).
select distinct on (product_id, competitor_name)
  product_id,
  competitor_name,
  competitor_price,
  our_price,
  price_difference,
  price_difference_pct,
  event_id,
  "timestamp" as observed_at
from competitor_price_history
order by product_id, competitor_name, "timestamp" desc, event_id desc
