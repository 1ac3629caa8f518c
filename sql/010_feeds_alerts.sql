-- Real feeds in, alerts out (issue 15): a catalog a retailer imports, events
-- for products added while the processors run, rejections that can be
-- replayed once the catalog is fixed, and alerts sent to webhooks.

-- The catalog a retailer imports: the currency its prices are in and whether
-- the product is on sale (an inactive product keeps its history and its
-- events are still accepted, but the engine no longer prices it).
alter table products
  add column currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  add column active   boolean not null default true;

-- Stock a cell started with. The seeded cells started at 100 units; a cell
-- created later (an imported product or warehouse, or the first move of a
-- pair) starts at 0, so "stock = initial + applied moves" holds for both.
alter table inventory_state
  add column initial_stock integer not null default 100 check (initial_stock >= 0);
alter table inventory_state alter column initial_stock set default 0;

-- Bumped by every statement that adds, removes or renames a product,
-- warehouse or competitor, whoever runs it (an import, psql): a running
-- processor that meets an unknown id compares this with the version it
-- loaded and reloads its reference data once before rejecting the event.
create table catalog_version (
  singleton  boolean primary key default true check (singleton),
  version    bigint not null default 1,
  changed_at timestamptz not null default now()
);
insert into catalog_version default values;

create function bump_catalog_version() returns trigger
language plpgsql as $$
begin
  update ecommerce.catalog_version set version = version + 1, changed_at = now();
  return null;
end $$;

create trigger products_catalog_version
  after insert or delete or update of product_id on products
  for each statement execute function bump_catalog_version();
create trigger warehouses_catalog_version
  after insert or delete or update of warehouse_id on warehouses
  for each statement execute function bump_catalog_version();
create trigger competitors_catalog_version
  after insert or delete or update of competitor_name on competitors
  for each statement execute function bump_catalog_version();

-- One row per applied import (a dry run leaves none).
create table catalog_imports (
  import_id           bigserial primary key,
  imported_at         timestamptz not null default now(),
  -- Where it came from: 'cli' (deno task catalog:import) or 'api' (POST /api/catalog).
  via                 text not null check (via in ('cli', 'api')),
  source              text not null,
  products_added      integer not null,
  products_changed    integer not null,
  warehouses_added    integer not null,
  warehouses_changed  integer not null,
  competitors_added   integer not null
);

-- A machine-readable reason for the rejections an operator may want to
-- replay once the catalog is fixed. Derived from the field and the reason
-- lib/events/schema.ts writes (REJECTION_CODES there), so the consumers'
-- sink stores it without knowing about it; tests/rejected_replay_test.ts
-- keeps the two in step.
alter table rejected_events add column code text generated always as (
  case
    when kind <> 'invalid' then null
    when field = 'product_id' and reason like 'field "product_id" names unknown product %'
      then 'unknown_product'
    when field = 'warehouse_id' and reason like 'field "warehouse_id" has unknown value %'
      then 'unknown_warehouse'
    when field = 'competitor_name' and reason like 'field "competitor_name" has unknown value %'
      then 'unknown_competitor'
  end) stored;
create index rejected_events_code_idx on rejected_events (code, id) where code is not null;

-- `deno task rejected:replay` asks (replay_requested_at), a processor that
-- holds the log sends the payload to its topic again and says so
-- (replayed_at). The replayed event is validated afresh; if it is still
-- refused, that is a new rejection at a new offset.
alter table rejected_events
  add column replay_requested_at timestamptz,
  add column replayed_at         timestamptz;
create index rejected_events_replay_idx on rejected_events (id)
  where replay_requested_at is not null and replayed_at is null;

-- Alert rules: the thresholds come from settings (ALERT_*); a row here holds
-- only what was changed through the API, over those settings.
create table alert_rules (
  rule       text primary key,
  override   jsonb not null default '{}' check (jsonb_typeof(override) = 'object'),
  updated_at timestamptz not null default now(),
  updated_by text not null
);

-- One row per time a condition held: firing until it clears, then resolved.
-- At most one firing alert per key.
create table alerts (
  alert_id         bigserial primary key,
  alert_key        text not null,
  rule             text not null,
  subject          text not null,
  state            text not null check (state in ('firing', 'resolved')),
  message          text not null,
  value            numeric,
  threshold        numeric,
  fired_at         timestamptz not null,
  last_seen_at     timestamptz not null,
  resolved_at      timestamptz,
  -- When a message about it was last sent (or held back by the daily cap).
  last_notified_at timestamptz,
  notified_count   integer not null default 0,
  suppressed_count integer not null default 0,
  acknowledged_at  timestamptz,
  acknowledged_by  text,
  check ((state = 'resolved') = (resolved_at is not null))
);
create unique index alerts_firing_key on alerts (alert_key) where state = 'firing';
create index alerts_resolved_idx on alerts (resolved_at desc) where state = 'resolved';

-- Each message decided for an alert: it fired, it still fires (after the
-- cooldown), it cleared. The daily cap counts firing and repeat rows.
create table alert_notifications (
  notification_id bigserial primary key,
  alert_id        bigint not null references alerts on delete cascade,
  rule            text not null,
  kind            text not null check (kind in ('firing', 'repeat', 'resolved')),
  created_at      timestamptz not null
);
create index alert_notifications_rule_idx on alert_notifications (rule, created_at);

-- The outbox and delivery log: one row per message and channel. The body is
-- fixed when the row is written, so every retry sends (and signs) the same
-- bytes; a sender claims a due row for lease_until and records each attempt.
create table alert_deliveries (
  delivery_id     bigserial primary key,
  notification_id bigint references alert_notifications on delete cascade,
  channel         text not null,
  kind            text not null check (kind in ('firing', 'repeat', 'resolved', 'test')),
  body            text not null,
  status          text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts        integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until     timestamptz,
  last_status     integer,
  last_error      text,
  created_at      timestamptz not null default now(),
  finished_at     timestamptz
);
create index alert_deliveries_due_idx on alert_deliveries (next_attempt_at)
  where status in ('pending', 'sending');
create index alert_deliveries_created_idx on alert_deliveries (created_at desc);

create table alert_delivery_attempts (
  delivery_id  bigint not null references alert_deliveries on delete cascade,
  attempt      integer not null,
  attempted_at timestamptz not null,
  -- The receiver's HTTP status; null when there was no answer (timeout, refused).
  http_status  integer,
  error        text,
  ms           integer not null,
  primary key (delivery_id, attempt)
);
