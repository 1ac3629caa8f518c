-- Our price against the competitors' latest prices, with the latest recommendation.
select
  p.product_id,
  p.product_name,
  p.category,
  p.current_price as our_price,
  coalesce(c.competitors, 0) as competitor_count,
  c.min_price as min_competitor_price,
  c.avg_price as avg_competitor_price,
  c.max_price as max_competitor_price,
  case when c.avg_price is null then null
    else round((p.current_price - c.avg_price) / c.avg_price * 100, 2) end as price_gap_pct,
  case
    when c.avg_price is null then 'no_data'
    when p.current_price < c.min_price then 'cheapest'
    when p.current_price > c.max_price then 'most_expensive'
    else 'within_range' end as price_position,
  r.recommendation,
  r.confidence_score,
  r.recommended_price,
  r.created_at as recommended_at
from products p
left join (
  select product_id, count(*)::int as competitors, min(competitor_price) as min_price,
         round(avg(competitor_price), 2) as avg_price, max(competitor_price) as max_price
  from stg_competitor_prices group by product_id
) c on c.product_id = p.product_id
left join pricing_recommendations r on r.product_id = p.product_id
