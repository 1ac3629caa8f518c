/**
 * `deno task pricing:explain P001 [--json]`: prints the current
 * recommendation of a product as the waterfall the engine stored: the
 * competitor prices used and left out, the target, every guardrail step and
 * the final price. Exit 0 shown, 1 no such product or no recommendation yet,
 * 2 cannot run.
 */
import { ConfigError, loadConfig, parseArgs } from "../lib/config.ts";
import { openDatabaseForTool } from "../lib/db/mod.ts";
import { complain, configureLog, say } from "../lib/log.ts";
import { formatWaterfall } from "../lib/pricing/explain.ts";
import { storedDecision } from "../lib/pricing/stored.ts";

const USAGE = "Usage: deno task pricing:explain <product id> [--json]";

async function main(args: readonly string[]): Promise<number> {
  const { flags, rest } = parseArgs(args);
  const id = rest[0];
  if (flags.has("help") || !id) {
    (id ? say : complain)(USAGE);
    return id ? 0 : 2;
  }
  let db;
  try {
    const config = loadConfig(Deno.env.toObject(), args, ["json"]);
    configureLog({ level: "warn", format: config.logFormat });
    db = await openDatabaseForTool(config, { migrate: false });
  } catch (err) {
    complain(err instanceof ConfigError ? err.message : (err as Error).message);
    return 2;
  }
  try {
    const stored = await storedDecision(db.sql, id);
    if (!stored) {
      complain(
        `Cannot explain product "${id}": it has no recommendation (unknown product, or no pricing run yet)`,
      );
      return 1;
    }
    if (flags.has("json")) say(JSON.stringify(stored, null, 2));
    else {
      say(
        `Recommendation ${stored.recommendationId} (run ${stored.runId}, computed ${
          stored.computedAt.toISOString().slice(0, 19).replace("T", " ")
        } UTC), status ${stored.status}`,
      );
      say(formatWaterfall(stored.decision));
    }
    return 0;
  } finally {
    await db.close().catch(() => {});
  }
}

Deno.exit(await main(Deno.args));
