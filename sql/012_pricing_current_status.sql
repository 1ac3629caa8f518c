-- The current recommendation per product also carries its status, hold
-- reason and flags, so a pricing run reads each chunk of products from
-- pricing_recommendations alone: joining the history row of every product
-- made PostgreSQL hash the whole history for every chunk (a million
-- products, fifty chunks, fifty scans of a million rows). The history row
-- stays the one place these are changed; a trigger keeps the copy equal.
alter table pricing_recommendations
  add column status      text,
  add column hold_reason text,
  add column flags       text[] not null default '{}';

update pricing_recommendations c
set status = h.status, hold_reason = h.hold_reason, flags = h.flags
from pricing_recommendation_history h
where h.recommendation_id = c.recommendation_id;

alter table pricing_recommendations alter column status set not null;

-- One statement per update of the history, joined on the current table's
-- primary key: a row trigger looking rows up by recommendation_id scanned the
-- whole current table once per expired row.
create function copy_recommendation_status() returns trigger
language plpgsql as $$
begin
  update ecommerce.pricing_recommendations c
  set status = n.status, hold_reason = n.hold_reason, flags = n.flags
  from changed n
  where c.product_id = n.product_id and c.recommendation_id = n.recommendation_id
    and (c.status, c.hold_reason, c.flags) is distinct from (n.status, n.hold_reason, n.flags);
  return null;
end $$;

create trigger pricing_history_status_copy
  after update on pricing_recommendation_history
  referencing new table as changed
  for each statement execute function copy_recommendation_status();
