-- The operational schema. Table and column names of the seven well-known
-- tables are kept as they were, so existing SQL and notebooks keep working.

create table products (
  product_id   text primary key,
  product_name text not null,
  category     text not null,
  base_price   numeric(12, 2) not null check (base_price > 0),
  current_price numeric(12, 2) not null check (current_price > 0),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);

create table warehouses (
  warehouse_id text primary key,
  name         text not null
);

create table competitors (
  competitor_name text primary key
);

-- One row per product x warehouse; the CHECK is the last line of defence,
-- the inventory sink refuses such moves before they get here.
create table inventory_state (
  product_id    text not null references products,
  warehouse_id  text not null references warehouses,
  current_stock integer not null default 0 check (current_stock >= 0),
  last_event_at timestamptz,
  updated_at    timestamptz not null default now(),
  primary key (product_id, warehouse_id)
);

-- Every inventory event, applied or refused (refused ones keep their reason),
-- so a redelivered event is recognised whatever happened to it the first time.
create table inventory_events (
  event_id        uuid primary key,
  product_id      text not null,
  warehouse_id    text not null,
  event_type      text not null,
  quantity_change integer not null,
  applied         boolean not null default true,
  stock_after     integer,
  refusal_reason  text,
  "timestamp"     timestamptz not null,
  ingested_at     timestamptz not null default now(),
  kafka_partition integer,
  kafka_offset    bigint
);
create index inventory_events_product_idx on inventory_events (product_id);
create index inventory_events_ts_idx on inventory_events ("timestamp" desc);
create index inventory_events_warehouse_idx on inventory_events (warehouse_id);

create table clickstream_events (
  event_id         uuid primary key,
  user_id          text not null,
  session_id       uuid not null,
  event_type       text not null,
  product_id       text,
  product_name     text,
  product_category text,
  product_price    numeric(12, 2),
  "timestamp"      timestamptz not null,
  device_type      text not null,
  ingested_at      timestamptz not null default now()
);
create index clickstream_product_idx on clickstream_events (product_id);
create index clickstream_ts_idx on clickstream_events ("timestamp" desc);
create index clickstream_type_idx on clickstream_events (event_type, "timestamp" desc);
create index clickstream_session_idx on clickstream_events (session_id);

create table product_metrics (
  product_id      text primary key references products,
  total_views     bigint not null default 0,
  total_cart_adds bigint not null default 0,
  total_purchases bigint not null default 0,
  conversion_rate numeric(10, 6) not null default 0,
  revenue         numeric(16, 2) not null default 0,
  updated_at      timestamptz not null default now()
);

-- Latest observation per product x competitor.
create table competitor_prices (
  product_id           text not null references products,
  competitor_name      text not null references competitors,
  competitor_price     numeric(12, 2) not null,
  our_price            numeric(12, 2) not null,
  price_difference     numeric(12, 2) not null,
  price_difference_pct numeric(10, 4) not null,
  event_id             uuid not null,
  "timestamp"          timestamptz not null,
  updated_at           timestamptz not null default now(),
  primary key (product_id, competitor_name)
);

-- Every competitor observation ever seen.
create table competitor_price_history (
  event_id             uuid primary key,
  product_id           text not null,
  competitor_name      text not null,
  competitor_price     numeric(12, 2) not null,
  our_price            numeric(12, 2) not null,
  price_difference     numeric(12, 2) not null,
  price_difference_pct numeric(10, 4) not null,
  "timestamp"          timestamptz not null,
  ingested_at          timestamptz not null default now()
);
create index competitor_history_product_idx on competitor_price_history (product_id, "timestamp" desc);
create index competitor_history_ts_idx on competitor_price_history ("timestamp" desc);
create index competitor_history_competitor_idx on competitor_price_history (competitor_name);

-- Current recommendation per product.
create table pricing_recommendations (
  product_id           text primary key references products,
  current_price        numeric(12, 2) not null,
  avg_competitor_price numeric(12, 2) not null,
  demand_velocity      numeric(12, 2) not null,
  price_gap_pct        numeric(10, 4) not null,
  recommendation       text not null check (recommendation in ('raise', 'lower', 'hold')),
  confidence_score     numeric(5, 4) not null check (confidence_score between 0 and 1),
  recommended_price    numeric(12, 2) not null,
  run_id               bigint not null,
  created_at           timestamptz not null default now()
);
create index pricing_recommendations_rec_idx on pricing_recommendations (recommendation);

create table pricing_runs (
  run_id      bigserial primary key,
  started_at  timestamptz not null default now(),
  finished_at timestamptz,
  products    integer not null default 0,
  raise_count integer not null default 0,
  lower_count integer not null default 0,
  hold_count  integer not null default 0
);

create table pricing_recommendation_history (
  run_id               bigint not null references pricing_runs,
  product_id           text not null,
  current_price        numeric(12, 2) not null,
  avg_competitor_price numeric(12, 2) not null,
  demand_velocity      numeric(12, 2) not null,
  price_gap_pct        numeric(10, 4) not null,
  recommendation       text not null,
  confidence_score     numeric(5, 4) not null,
  recommended_price    numeric(12, 2) not null,
  created_at           timestamptz not null default now(),
  primary key (run_id, product_id)
);
create index pricing_history_product_idx on pricing_recommendation_history (product_id, created_at desc);
create index pricing_history_ts_idx on pricing_recommendation_history (created_at desc);

-- Next offset to read per consumer group x topic x partition, written in the
-- same transaction as the rows it covers: the heart of effectively-once.
create table consumer_offsets (
  consumer_group text not null,
  topic          text not null,
  "partition"    integer not null,
  next_offset    bigint not null check (next_offset >= 0),
  updated_at     timestamptz not null default now(),
  primary key (consumer_group, topic, "partition")
);

-- Events that failed validation (and inventory moves that were refused),
-- with the reason naming the field. Unique by position, so replays add nothing.
create table rejected_events (
  id          bigserial primary key,
  topic       text not null,
  "partition" integer not null,
  "offset"    bigint not null,
  event_id    text,
  payload     text not null,
  reason      text not null,
  field       text,
  kind        text not null default 'invalid' check (kind in ('invalid', 'refused')),
  rejected_at timestamptz not null default now(),
  unique (topic, "partition", "offset")
);
create index rejected_events_ts_idx on rejected_events (rejected_at desc);
create index rejected_events_topic_idx on rejected_events (topic);
