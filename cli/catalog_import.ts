/**
 * `deno task catalog:import FILE.csv [FILE.csv…] [--dry-run]`: loads the
 * retailer's catalog (see lib/catalog_import/). Works while the platform
 * runs (through its embedded database's socket, or the PostgreSQL server),
 * and running processors pick the new catalog up by themselves. Exit 0
 * applied (or shown), 1 bad lines (nothing applied), 2 cannot run.
 */
import { ConfigError, loadConfig, parseArgs } from "../lib/config.ts";
import { complain, configureLog, say } from "../lib/log.ts";
import { openPlatformDatabase } from "../workers/database.ts";
import {
  CatalogImportError,
  describeErrors,
  describePlan,
  importCatalog,
} from "../lib/catalog_import/mod.ts";

const USAGE =
  `Usage: deno task catalog:import FILE.csv [FILE.csv...] [--dry-run]

Each file's header says what it holds:
  products    product_id,name,category,list_price[,unit_cost,map_price,min_price,max_price,currency,active]
  warehouses  warehouse_id,name
  competitors competitor_name
Rows are added or updated by id (never deleted); a column left out keeps
the stored value, an empty cell clears an optional one. Any bad line and
nothing is applied; every bad line is listed.

  --dry-run   show what would change, change nothing`;

async function readFiles(paths: string[]) {
  const out: { name: string; text: string }[] = [];
  for (const p of paths) {
    try {
      out.push({ name: p, text: await Deno.readTextFile(p) });
    } catch (err) {
      throw new ConfigError(
        `Cannot read the catalog file "${p}": ${(err as Error).message}`,
      );
    }
  }
  return out;
}

async function main(args: readonly string[]): Promise<number> {
  const { flags, rest } = parseArgs(args);
  if (flags.has("help") || rest.length === 0) {
    (rest.length ? say : complain)(USAGE);
    return flags.has("help") ? 0 : 2;
  }
  const dryRun = flags.has("dry-run");
  let db;
  let csv;
  try {
    const config = loadConfig(Deno.env.toObject(), args, ["dry-run"]);
    configureLog({ level: "warn", format: config.logFormat });
    csv = await readFiles(rest);
    db = await openPlatformDatabase(config, { tool: true });
  } catch (err) {
    complain((err as Error).message);
    return 2;
  }
  try {
    const r = await importCatalog(db.sql, { csv }, { dryRun, via: "cli" });
    for (const line of describePlan(r.plan, dryRun)) say(line);
    say(
      dryRun
        ? "Dry run: nothing was changed."
        : `Applied; the catalog is now at version ${r.version}.`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof CatalogImportError)) throw err;
    complain(err.message + ":");
    for (const line of describeErrors(err.errors)) complain(`  ${line}`);
    return 1;
  } finally {
    await db.close().catch(() => {});
  }
}

Deno.exit(await main(Deno.args));
