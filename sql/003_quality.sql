-- Data quality: every run of the checks is kept, so the dashboard and the
-- metrics can show the latest state and how it changed.

create table quality_runs (
  run_id      bigserial primary key,
  started_at  timestamptz not null default now(),
  finished_at timestamptz,
  -- Where the run came from: the jobs role's cron, or `deno task quality --store`.
  source      text not null default 'cron' check (source in ('cron', 'cli', 'test')),
  total       integer not null default 0,
  passed      integer not null default 0,
  failed      integer not null default 0,
  warned      integer not null default 0,
  errored     integer not null default 0,
  -- True when no check failed or errored (warnings do not count against it).
  ok          boolean not null default false
);
create index quality_runs_started_idx on quality_runs (started_at desc);

create table quality_results (
  run_id      bigint not null references quality_runs on delete cascade,
  check_name  text not null,
  check_group text not null,
  severity    text not null check (severity in ('error', 'warn')),
  status      text not null check (status in ('pass', 'fail', 'warn', 'error')),
  value       numeric,
  expected    numeric,
  expectation text not null,
  detail      text,
  duration_ms integer not null default 0,
  primary key (run_id, check_name)
);
create index quality_results_check_idx on quality_results (check_name, run_id desc);

-- Offsets only ever move forward (the sink's upsert uses greatest()); any
-- other writer that moves one back (a reset by hand, a bug) is recorded here
-- by the trigger below, so the "offsets never move backwards" check can see
-- it afterwards. Only regressions are kept: recording every advance would
-- add a row per partition per batch.
create table consumer_offset_regressions (
  id             bigserial primary key,
  consumer_group text not null,
  topic          text not null,
  "partition"    integer not null,
  old_offset     bigint not null,
  -- Null when the row was deleted (the consumer would start from scratch).
  new_offset     bigint,
  changed_at     timestamptz not null default now()
);

create function record_offset_regression() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into ecommerce.consumer_offset_regressions (consumer_group, topic, "partition", old_offset, new_offset)
    values (old.consumer_group, old.topic, old."partition", old.next_offset, null);
    return old;
  end if;
  if new.next_offset < old.next_offset then
    insert into ecommerce.consumer_offset_regressions (consumer_group, topic, "partition", old_offset, new_offset)
    values (old.consumer_group, old.topic, old."partition", old.next_offset, new.next_offset);
  end if;
  return new;
end $$;

create trigger consumer_offsets_regression
  after update of next_offset or delete on consumer_offsets
  for each row execute function record_offset_regression();
