/**
 * The command behind `deno task quality [--verbose] [--json] [--store]` and
 * `deno task models:test` (the "models" group only): runs the checks against
 * the configured database and answers 0 when all pass, 1 when any fails and 2
 * when they cannot run.
 */
import { ConfigError, loadConfig, parseArgs } from "../config.ts";
import { type Database, openDatabaseForTool } from "../db/mod.ts";
import { complain, configureLog, say } from "../log.ts";
import { allChecks, maxStockOf } from "./mod.ts";
import { loadModels } from "../models/schema.ts";
import type { Check } from "./check.ts";
import { runChecks } from "./runner.ts";
import { formatText, toJson } from "./report.ts";
import { storeReport } from "./store.ts";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_CANNOT_RUN = 2;

const FLAGS = ["verbose", "json", "store"];

const USAGE = `Usage: deno task quality [--verbose] [--json] [--store]

Runs the data quality checks and the models' schema tests against the
configured database (DATABASE_URL / PG*, else the embedded PostgreSQL).
  --verbose  also print each check's reason, SQL and raw value
  --json     print machine-readable results
  --store    record the run in quality_runs / quality_results
Exit status: 0 all pass, 1 a check failed, 2 the checks could not run.`;

/** Writes one sentence to stderr (the reason the checks cannot run). */
async function assertReady(db: Database): Promise<string | null> {
  const [row] = await db.sql<{ tables: boolean }[]>`
    select to_regclass('ecommerce.quality_runs') is not null
       and to_regclass('ecommerce.model_builds') is not null as tables`;
  if (!row?.tables) {
    return `Cannot run the checks on ${db.description}: the platform's tables are missing (start the platform once, or run the migrations)`;
  }
  const [build] = await db.sql<{ hash: string }[]>`
    select hash from ecommerce.model_builds`;
  if (!build) {
    return `Cannot run the checks on ${db.description}: the SQL models are not built (run deno task models:refresh)`;
  }
  if (build.hash !== (await loadModels()).hash) {
    complain(
      "Note: the models in the database were built from other definitions than sql/models/ (run deno task models:refresh to rebuild them)",
    );
  }
  return null;
}

/** Runs the command with `args`; returns the exit status instead of exiting. */
export async function qualityCommand(
  args: readonly string[],
  opts: { select?: (checks: Check[]) => Check[] } = {},
): Promise<number> {
  const { flags } = parseArgs(args);
  if (flags.has("help")) {
    say(USAGE);
    return EXIT_OK;
  }
  let db: Database;
  let maxStock: number;
  try {
    const config = loadConfig(Deno.env.toObject(), args, FLAGS);
    configureLog({
      level: flags.has("verbose") ? config.logLevel : "warn",
      format: config.logFormat,
    });
    maxStock = maxStockOf(config);
    db = await openDatabaseForTool(config, { migrate: false });
  } catch (err) {
    complain(err instanceof ConfigError ? err.message : (err as Error).message);
    return EXIT_CANNOT_RUN;
  }
  try {
    const problem = await assertReady(db);
    if (problem) {
      complain(problem);
      return EXIT_CANNOT_RUN;
    }
    const checks = await allChecks(maxStock);
    const report = await runChecks(db.sql, opts.select?.(checks) ?? checks);
    if (flags.has("store")) await storeReport(db.sql, report, "cli");
    say(
      flags.has("json")
        ? JSON.stringify(toJson(report, db.description), null, 2)
        : formatText(report, {
          verbose: flags.has("verbose"),
          database: db.description,
        }),
    );
    return report.summary.ok ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    complain(
      `Cannot run the checks on ${db.description}: ${(err as Error).message}`,
    );
    return EXIT_CANNOT_RUN;
  } finally {
    await db.close().catch(() => {});
  }
}
