-- Inventory moves with their size regardless of direction.
select
  event_id,
  product_id,
  warehouse_id,
  event_type,
  quantity_change,
  abs(quantity_change) as absolute_quantity,
  case when quantity_change >= 0 then 'in' else 'out' end as direction,
  applied,
  stock_after,
  "timestamp" as event_at
from inventory_events
