-- Bookkeeping of the SQL model layer (sql/models/): which build of the models
-- is in the database, so a start-up only rebuilds them when their SQL changed.
create table model_builds (
  id       boolean primary key default true check (id),
  hash     text not null,
  -- [{ "name": ..., "materialized": "view" | "materialized_view" }] of this build,
  -- so models removed from schema.json are dropped on the next build.
  models   jsonb not null,
  built_at timestamptz not null default now()
);

-- The last refresh of each materialized model (what "data as of" means for a mart).
create table model_refreshes (
  model        text primary key,
  refreshed_at timestamptz not null default now(),
  duration_ms  integer not null,
  row_count    bigint not null
);
