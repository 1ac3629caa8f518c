-- The Parquet lake export (lib/lake/). Each exported table gets two
-- columns that fix the order in which rows reached the database:
--
--   lake_xid  the id of the transaction that inserted the row. A window of
--             transaction ids [done_xid, upper) is exported only once every
--             transaction below `upper` has ended (upper <= the xmin of a
--             current snapshot), so its rows can no longer change: a row that
--             commits late, with an older timestamp or a smaller lake_seq,
--             belongs to a later window and is neither skipped nor repeated.
--   lake_seq  an identity number: the order of rows inside a window and the
--             <first>-<last> of the part file names.
--
-- Existing rows get the migration's transaction id, so the first export
-- (done_xid = 0) takes them all.

alter table clickstream_events
  add column lake_seq bigint generated always as identity,
  add column lake_xid xid8 not null default pg_current_xact_id();
create index clickstream_lake_xid_idx on clickstream_events (lake_xid);

alter table inventory_events
  add column lake_seq bigint generated always as identity,
  add column lake_xid xid8 not null default pg_current_xact_id();
create index inventory_events_lake_xid_idx on inventory_events (lake_xid);

alter table competitor_price_history
  add column lake_seq bigint generated always as identity,
  add column lake_xid xid8 not null default pg_current_xact_id();
create index competitor_history_lake_xid_idx on competitor_price_history (lake_xid);

alter table pricing_recommendation_history
  add column lake_seq bigint generated always as identity,
  add column lake_xid xid8 not null default pg_current_xact_id();
create index pricing_history_lake_xid_idx on pricing_recommendation_history (lake_xid);

-- One row per stream: everything inserted by a transaction below done_xid is
-- in the lake. While a window is being written, pending_xid holds its upper
-- end (and pending_file_rows the split used), so a retry after a failure
-- rebuilds exactly the same part files and skips the ones already stored.
-- clear_pending is set by --reset until the stream's old files are deleted.
create table lake_export_state (
  stream            text primary key,
  done_xid          xid8 not null default '0',
  pending_xid       xid8,
  pending_file_rows integer check (pending_file_rows > 0),
  clear_pending     boolean not null default false,
  rows_exported     bigint not null default 0,
  files_exported    bigint not null default 0,
  bytes_exported    bigint not null default 0,
  last_export_at    timestamptz,
  updated_at        timestamptz not null default now()
);

-- Every part file the lake holds, recorded when its window is committed.
create table lake_export_files (
  stream      text not null,
  key         text primary key,
  lake_date   date not null,
  first_seq   bigint not null,
  last_seq    bigint not null,
  rows        integer not null,
  bytes       bigint not null,
  exported_at timestamptz not null default now()
);
create index lake_export_files_stream_idx on lake_export_files (stream, lake_date);
