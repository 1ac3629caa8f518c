-- Revenue, traffic and stock per product (every catalog product, one row each).
select
  p.product_id,
  p.product_name,
  p.category,
  p.current_price,
  coalesce(m.total_views, 0) as views,
  coalesce(m.total_cart_adds, 0) as cart_adds,
  coalesce(m.total_purchases, 0) as purchases,
  coalesce(m.revenue, 0)::numeric(16, 2) as revenue,
  coalesce(m.conversion_rate, 0) as conversion_rate,
  coalesce(s.total_stock, 0) as total_stock,
  coalesce(s.warehouses, 0) as warehouses_stocked,
  s.last_stock_event_at
from products p
left join product_metrics m on m.product_id = p.product_id
left join (
  select product_id,
         sum(current_stock)::bigint as total_stock,
         count(*) filter (where current_stock > 0)::int as warehouses,
         max(last_event_at) as last_stock_event_at
  from inventory_state group by product_id
) s on s.product_id = p.product_id
