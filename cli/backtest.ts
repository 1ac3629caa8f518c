/**
 * `deno task backtest`: the simulated market in accelerated time, once per
 * strategy on the same seed; prints a table (or `--json`), progress on
 * stderr, and with `--store` keeps the run for /analytics/backtest.
 * Exit status: 0 done, 1 the run could not be stored, 2 a bad option.
 */
import { ConfigError, loadConfig, parseArgs } from "../lib/config.ts";
import { configureLog, say } from "../lib/log.ts";
import { formatDuration, progress } from "../lib/progress.ts";
import { type Strategy, validateStrategy } from "../lib/pricing/mod.ts";
import { parseStrategyNames, STRATEGY_NAMES } from "../lib/backtest/pricers.ts";
import { type BacktestOptions, runBacktest } from "../lib/backtest/run.ts";
import { formatReport, toJson } from "../lib/backtest/report.ts";
import { storeBacktest } from "../lib/backtest/store.ts";
import { openPlatformDatabase } from "../workers/database.ts";

const USAGE =
  `Usage: deno task backtest [--days N] [--seed S] [--market default|alt]
                          [--strategies a,b] [--json] [--store]
                          [--engine-strategy FILE]

Runs the simulated market (lib/market/) for N simulated days, once per
strategy on the same seed, through the real pricing core, and prints what
each earned.

  --days N            simulated days (default 30)
  --seed S            random seed of the market (default "default")
  --market M          default, or alt: every elasticity 30% smaller
  --strategies a,b    any of ${STRATEGY_NAMES.join(", ")} (default all)
  --json              print {params, strategies, learned_elasticity} as JSON
  --store             keep the run in the database for /analytics/backtest
  --engine-strategy F what "engine" runs: a strategy as JSON (default: the
                      shipped DEFAULT_STRATEGY)`;

const FLAGS = [
  "days",
  "seed",
  "market",
  "strategies",
  "json",
  "store",
  "engine-strategy",
  "help",
];

/** The options of `args`; throws a ConfigError naming the bad one. */
async function optionsOf(args: readonly string[]): Promise<BacktestOptions> {
  const { flags, rest } = parseArgs(args);
  for (const f of flags.keys()) {
    if (!FLAGS.includes(f)) {
      throw new ConfigError(`Unknown option "--${f}"; run with --help`);
    }
  }
  if (rest.length) {
    throw new ConfigError(`Unexpected argument "${rest[0]}"; run with --help`);
  }
  const days = Number(flags.get("days") ?? 30);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new ConfigError(
      `Cannot read option "--days": expected whole days from 1 to 365, got "${
        flags.get("days")
      }"`,
    );
  }
  const market = flags.get("market") ?? "default";
  if (market !== "default" && market !== "alt") {
    throw new ConfigError(
      `Cannot read option "--market": expected default or alt, got "${market}"`,
    );
  }
  let strategies;
  try {
    strategies = parseStrategyNames(
      flags.get("strategies") ?? STRATEGY_NAMES.join(","),
    );
  } catch (err) {
    throw new ConfigError(
      `Cannot read option "--strategies": ${(err as Error).message}`,
    );
  }
  const file = flags.get("engine-strategy");
  return {
    seed: flags.get("seed") ?? "default",
    days,
    market,
    strategies,
    engineStrategy: file ? await strategyFrom(file) : undefined,
  };
}

async function strategyFrom(file: string): Promise<Strategy> {
  try {
    return validateStrategy(JSON.parse(await Deno.readTextFile(file)));
  } catch (err) {
    throw new ConfigError(
      `Cannot read option "--engine-strategy" from "${file}": ${
        (err as Error).message
      }`,
    );
  }
}

async function main(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  if (flags.has("help")) {
    say(USAGE);
    return 0;
  }
  const opts = await optionsOf(args);
  const config = loadConfig(Deno.env.toObject());
  configureLog({ level: "warn", format: config.logFormat });
  const bar = progress({ unit: "days", everyMs: 500 });
  const t0 = performance.now();
  const result = runBacktest({
    ...opts,
    onProgress: (name, day, days) => bar.update(`  ${name}`, day, days),
  });
  bar.end();
  const seconds = (performance.now() - t0) / 1000;
  say(flags.has("json") ? toJson(result) : formatReport(result));
  const note = (s: string) =>
    Deno.stderr.writeSync(new TextEncoder().encode(s + "\n"));
  note(
    `Ran ${result.strategies.length} ${
      result.strategies.length === 1 ? "strategy" : "strategies"
    } in ${formatDuration(seconds)} (${seconds.toFixed(1)} s)`,
  );
  if (flags.has("store")) {
    const db = await openPlatformDatabase(config, { tool: true });
    try {
      const id = await storeBacktest(db.sql, result, seconds);
      note(`Stored as backtest run ${id} in ${db.description}`);
    } finally {
      await db.close();
    }
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    Deno.stderr.writeSync(
      new TextEncoder().encode((err as Error).message + "\n"),
    );
    Deno.exit(err instanceof ConfigError ? 2 : 1);
  }
}
