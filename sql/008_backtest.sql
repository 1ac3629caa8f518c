-- The last backtests (`deno task backtest --store`), for /analytics/backtest:
-- what was run and what each strategy earned, its gross margin per simulated
-- day, and our price paths per product at hourly resolution (a row when the
-- price changed). A backtest is simulated, so its times are simulated times.
create table backtest_runs (
  run_id      bigserial primary key,
  started_at  timestamptz not null default now(),
  -- {seed, days, market, stepMinutes, start}
  params      jsonb not null check (jsonb_typeof(params) = 'object'),
  -- {strategies: [{name, revenue, gross_margin, ...}], learned_elasticity: [...]}
  summary     jsonb not null check (jsonb_typeof(summary) = 'object'),
  seconds     numeric(10, 2) not null
);

create table backtest_daily (
  run_id       bigint not null references backtest_runs on delete cascade,
  strategy     text not null,
  day          integer not null check (day > 0),
  revenue      numeric(16, 2) not null,
  gross_margin numeric(16, 2) not null,
  units        integer not null,
  lost_sales   integer not null,
  primary key (run_id, strategy, day)
);

create table backtest_prices (
  run_id     bigint not null references backtest_runs on delete cascade,
  strategy   text not null,
  product_id text not null,
  at         timestamptz not null,
  price      numeric(12, 2) not null check (price > 0),
  primary key (run_id, product_id, strategy, at)
);
