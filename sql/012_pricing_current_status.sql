-- The current recommendation per product also carries its status, hold
-- reason and flags, so a pricing run reads each chunk of products from
-- pricing_recommendations alone: joining the history row of every product
-- made PostgreSQL hash the whole history for every chunk (a million
-- products, fifty chunks, fifty scans of a million rows). The history row
-- stays the one place a status is changed; a trigger keeps the copy equal.
alter table pricing_recommendations
  add column status      text,
  add column hold_reason text,
  add column flags       text[] not null default '{}';

update pricing_recommendations c
set status = h.status, hold_reason = h.hold_reason, flags = h.flags
from pricing_recommendation_history h
where h.recommendation_id = c.recommendation_id;

alter table pricing_recommendations alter column status set not null;

create function copy_recommendation_status() returns trigger
language plpgsql as $$
begin
  update ecommerce.pricing_recommendations
  set status = new.status
  where recommendation_id = new.recommendation_id and status is distinct from new.status;
  return new;
end $$;

create trigger pricing_history_status_copy
  after update of status on pricing_recommendation_history
  for each row when (old.status is distinct from new.status)
  execute function copy_recommendation_status();
