-- Pricing decisions an analyst can trust and act on: what a product costs and
-- the bounds its price must stay in, strategies as data, recommendations that
-- keep their inputs and their why, and the prices we actually applied.

-- Cost and bounds in the catalog. unit_cost is landed cost (purchase price,
-- freight, duty); map_price is the brand's minimum advertised price; min/max
-- are the analyst's own hard bounds. Seed costs are lib/catalog.ts's.
alter table products
  add column unit_cost numeric(12, 2) check (unit_cost > 0),
  add column map_price numeric(12, 2) check (map_price > 0),
  add column min_price numeric(12, 2) check (min_price > 0),
  add column max_price numeric(12, 2) check (max_price > 0),
  add constraint products_min_below_max
    check (min_price is null or max_price is null or min_price <= max_price);

update products p set unit_cost = v.cost
from (values
  ('P001', 701.99), ('P002', 779.99), ('P003', 545.99), ('P004', 623.99), ('P005', 506.99),
  ('P006', 233.99), ('P007', 1599.99), ('P008', 1439.99), ('P009', 1199.99), ('P010', 1319.99),
  ('P011', 1279.99), ('P012', 599.99), ('P013', 216.99), ('P014', 266.59), ('P015', 154.99),
  ('P016', 142.59), ('P017', 80.59), ('P018', 37.19), ('P019', 813.99), ('P020', 591.99),
  ('P021', 443.99), ('P022', 739.99), ('P023', 221.99), ('P024', 110.99), ('P025', 27.49),
  ('P026', 54.99), ('P027', 54.99), ('P028', 16.49), ('P029', 65.99), ('P030', 71.49)
) as v(id, cost)
where p.product_id = v.id;
-- A product this migration does not know (loaded before costs existed) gets a
-- cautious 75% of list until its real cost is imported.
update products set unit_cost = round(base_price * 0.75, 2) where unit_cost is null;
alter table products alter column unit_cost set not null;

-- Apple enforces minimum advertised prices on its own products.
update products p set map_price = v.map
from (values ('P002', 949.99), ('P015', 229.99), ('P019', 1049.99), ('P021', 569.99), ('P027', 94.99))
  as v(id, map)
where p.product_id = v.id;

-- Strategies as data: one default for every product, overrides per category
-- and per product. `strategy` holds only the fields set at that level, over
-- the built-in defaults of lib/pricing/strategy.ts, which validates and
-- merges them: product over category over default.
create table pricing_strategies (
  scope      text not null check (scope in ('default', 'category', 'product')),
  scope_key  text not null default '',
  strategy   jsonb not null default '{}' check (jsonb_typeof(strategy) = 'object'),
  note       text,
  updated_at timestamptz not null default now(),
  updated_by text not null default 'system',
  primary key (scope, scope_key),
  check ((scope = 'default') = (scope_key = ''))
);
insert into pricing_strategies (scope, scope_key, strategy, note)
values ('default', '', '{"autoApply": {"maxChangePct": 0.03, "minConfidence": 0.8}}',
        'Built-in defaults; changes of at most 3% with confidence 0.8 or more apply by themselves');

-- Every edit of a strategy, with who made it: an analyst can see why the
-- engine started behaving differently.
create table pricing_strategy_changes (
  change_id  bigserial primary key,
  scope      text not null,
  scope_key  text not null,
  old_value  jsonb,
  new_value  jsonb,
  changed_at timestamptz not null default now(),
  changed_by text not null
);

-- A run now records how many changes it applied by itself, and why auto-apply
-- was off when a data-quality gate held it.
alter table pricing_runs
  add column auto_applied integer not null default 0,
  add column pending      integer not null default 0,
  add column gate_reason  text;

-- Every recommendation keeps its inputs and its why. A product's
-- recommendation is written only when the decision changes (another action,
-- price, hold reason or flags); a run that reaches the same decision leaves
-- it as it is, so a pending recommendation keeps its age and its id.
alter table pricing_recommendation_history
  add column recommendation_id bigserial unique,
  add column computed_at       timestamptz,
  add column target_price      numeric(12, 2),
  add column floor_price       numeric(12, 2),
  add column ceiling_price     numeric(12, 2),
  add column unit_cost         numeric(12, 2),
  add column expected_margin   numeric(8, 4),
  add column explanation       jsonb not null default '[]',
  add column observations      jsonb not null default '{"used": [], "excluded": []}',
  add column flags             text[] not null default '{}',
  add column hold_reason       text,
  -- The strategy in force, one row per distinct strategy (a run over a
  -- million products uses a handful).
  add column strategy_hash     text,
  add column auto_apply        boolean not null default false,
  -- pending: waits for an analyst; no_change: a hold, nothing to decide;
  -- applied / auto_applied: our price became recommended_price; rejected:
  -- an analyst said no (decision_reason says why); expired: superseded by a
  -- later decision or by a price change before anyone decided.
  add column status            text not null default 'no_change'
    check (status in ('pending', 'approved', 'rejected', 'applied', 'expired', 'auto_applied', 'no_change')),
  add column decided_at        timestamptz,
  add column decided_by        text,
  add column decision_reason   text;
update pricing_recommendation_history set computed_at = created_at,
  status = case when recommendation = 'hold' then 'no_change' else 'expired' end;
alter table pricing_recommendation_history
  alter column computed_at set not null,
  alter column computed_at set default now(),
  alter column avg_competitor_price drop not null,
  alter column price_gap_pct drop not null,
  alter column price_gap_pct type numeric(12, 4);
create index pricing_history_pending_idx on pricing_recommendation_history (product_id)
  where status = 'pending';

-- The current recommendation per product keeps its well-known columns and
-- points at the history row that holds everything else (status, why, inputs),
-- so a run writes each decision's details once.
alter table pricing_recommendations
  add column recommendation_id bigint,
  add column computed_at       timestamptz;
update pricing_recommendations r set recommendation_id = h.recommendation_id,
  computed_at = r.created_at
from pricing_recommendation_history h where h.run_id = r.run_id and h.product_id = r.product_id;
delete from pricing_recommendations where recommendation_id is null;
alter table pricing_recommendations
  alter column recommendation_id set not null,
  alter column computed_at set not null,
  alter column computed_at set default now(),
  alter column avg_competitor_price drop not null,
  alter column price_gap_pct drop not null,
  alter column price_gap_pct type numeric(12, 4),
  add constraint pricing_recommendations_history_fk
    foreign key (recommendation_id) references pricing_recommendation_history (recommendation_id);

-- Every distinct resolved strategy a recommendation was decided under.
create table pricing_strategy_snapshots (
  strategy_hash text primary key,
  strategy      jsonb not null,
  first_used_at timestamptz not null default now()
);

-- Every change of our price: by the engine (auto-apply), through the API (an
-- approval) or by hand, with the recommendation it came from.
create table price_changes (
  change_id         bigserial primary key,
  product_id        text not null references products,
  old_price         numeric(12, 2) not null,
  new_price         numeric(12, 2) not null check (new_price > 0),
  changed_at        timestamptz not null default now(),
  changed_by        text not null,
  source            text not null check (source in ('auto', 'approval', 'manual', 'import')),
  recommendation_id bigint references pricing_recommendation_history (recommendation_id),
  reason            text
);
create index price_changes_product_idx on price_changes (product_id, changed_at desc);
create index price_changes_ts_idx on price_changes (changed_at desc);
