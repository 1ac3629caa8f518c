-- What the data engineer's page (/pipeline) needs that no table held: every
-- scheduled job run, and the log's end offsets as last seen by a process that
-- holds the log. A web role may run alone (another process, or an edge
-- runtime), so it learns both from the database, never from the jobs' memory
-- or the log itself.

-- One row per finished run of a scheduled job (workers/jobs.ts reports each).
create table job_runs (
  run_id      bigserial primary key,
  job         text not null,
  started_at  timestamptz not null,
  finished_at timestamptz not null,
  ok          boolean not null,
  -- What the job returned (counts, files, ms); null when it failed.
  result      jsonb,
  -- Why it failed, in one sentence; null when it succeeded.
  error       text,
  check (ok = (error is null))
);
create index job_runs_job_idx on job_runs (job, finished_at desc);
create index job_runs_finished_idx on job_runs (finished_at desc);

-- The next offset the log would give each raw partition (its end), written
-- every few seconds by the processes that have the log open. Lag is this
-- minus the consumer's offset in consumer_offsets; observed_at says how old
-- the figure is.
create table log_end_offsets (
  topic       text not null,
  "partition" integer not null,
  end_offset  bigint not null check (end_offset >= 0),
  observed_at timestamptz not null default now(),
  primary key (topic, "partition")
);
