/**
 * `deno task lake:export [--reset]`: exports everything new since the last
 * export of each stream, printing progress and what it wrote.
 */
import { ConfigError, loadConfig, parseArgs } from "../lib/config.ts";
import { configureLog, logger, say } from "../lib/log.ts";
import { progress } from "../lib/progress.ts";
import { openDatabaseForTool } from "../lib/db/mod.ts";
import {
  exportLake,
  formatBytes,
  PARALLEL,
  targetFromConfig,
} from "../lib/lake/mod.ts";

const USAGE = `Usage: deno task lake:export [--reset] [--file-rows N]

Exports every stream (clickstream_events, inventory_events,
competitor_price_history, pricing_recommendation_history) as Parquet into
<lake>/<stream>/date=YYYY-MM-DD/part-<first>-<last>.parquet, where <lake> is
the bucket S3_BUCKET/LAKE_PREFIX when S3_ENDPOINT is set, else LAKE_DIR.

  --reset        forget the export state; delete and re-export the full history
  --file-rows N  maximum rows per part file (default 500000)`;

/** Part files listed per stream; a longer list is summarised. */
const LIST_FILES = 20;

async function main(args: string[]): Promise<number> {
  if (args.includes("--help")) {
    say(USAGE);
    return 0;
  }
  const config = loadConfig(Deno.env.toObject(), args, ["reset", "file-rows"]);
  configureLog({ level: config.logLevel, format: config.logFormat });
  const { flags } = parseArgs(args);
  const fileRows = Number(flags.get("file-rows") ?? 500_000);
  if (!Number.isInteger(fileRows) || fileRows < 1) {
    throw new ConfigError(
      `Cannot read option "--file-rows": expected a positive integer, got "${
        flags.get("file-rows")
      }"`,
    );
  }
  const db = await openDatabaseForTool(config);
  try {
    const target = await targetFromConfig(config);
    const reset = flags.get("reset") === "true";
    say(
      `Exporting the lake to ${target.description}${
        reset ? " (reset: full history)" : ""
      }`,
    );
    // Progress goes to stderr, rewritten in place on a terminal.
    const bar = progress({ unit: "rows" });
    const r = await exportLake(db.sql, target, {
      reset,
      fileRows,
      parallel: PARALLEL,
      onProgress: (p) =>
        bar.update(`  ${p.stream}`, p.rows, p.total, `${p.files} files stored`),
    }).finally(() => bar.end());
    for (const s of r.streams) {
      say(
        `${s.stream.padEnd(32)} ${String(s.files.length).padStart(5)} files ${
          s.rows.toLocaleString("en").padStart(12)
        } rows ${formatBytes(s.bytes).padStart(10)}${
          s.reused ? ` (${s.reused} files kept from an interrupted run)` : ""
        }`,
      );
      for (const f of s.files.slice(0, LIST_FILES)) {
        say(`  ${f.key}  ${f.rows} rows  ${formatBytes(f.bytes)}`);
      }
      if (s.files.length > LIST_FILES) {
        say(`  ... and ${s.files.length - LIST_FILES} more files`);
      }
    }
    say(
      `Done: ${r.files} files, ${r.rows.toLocaleString("en")} rows, ${
        formatBytes(r.bytes)
      } in ${(r.ms / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    logger("lake").error((err as Error).message);
    Deno.exit(err instanceof ConfigError ? 2 : 1);
  }
}
