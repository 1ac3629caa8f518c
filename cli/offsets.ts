/**
 * `deno task offsets:reset --topic T [--to earliest|latest|N] [--group G]`:
 * sets where the processors start reading a topic again (see
 * lib/ingest/offset_reset.ts). Stop the processors first: a running one
 * keeps its own positions, and the embedded log is locked while it runs.
 */
import { ConfigError, loadConfig, parseArgs } from "../lib/config.ts";
import { configureLog, logger, say } from "../lib/log.ts";
import { openLog } from "../lib/stream/mod.ts";
import { openPlatformDatabase } from "../workers/database.ts";
import { parseResetTo, resetOffsets } from "../lib/ingest/offset_reset.ts";

const USAGE =
  `Usage: deno task offsets:reset --topic T [--to earliest|latest|N] [--group G]

Moves the stored consumer offsets of topic T (raw.clickstream,
raw.inventory_updates or raw.competitor_prices; TOPIC_PREFIX is added) for
every partition: to the first record the log still holds (earliest, the
default: events already stored are recognised by event_id and skipped), to
the log end (latest: what is in the log now is never read), or to offset N.
Rejections recorded at the offsets to be read again are kept, marked
superseded. Stop the processors first.

  --group G   consumer group (default: the topic's ingest group)`;

async function main(args: string[]): Promise<number> {
  if (args.includes("--help")) {
    say(USAGE);
    return 0;
  }
  const config = loadConfig(Deno.env.toObject(), args, [
    "topic",
    "to",
    "group",
  ]);
  configureLog({ level: config.logLevel, format: config.logFormat });
  const { flags } = parseArgs(args);
  const topic = flags.get("topic");
  if (!topic || topic === "true") {
    throw new ConfigError(`Cannot reset offsets: "--topic" is missing`);
  }
  const to = parseResetTo(flags.get("to"));
  const db = await openPlatformDatabase(config, { tool: true });
  try {
    const log = await openLog(config);
    try {
      const moved = await resetOffsets(db.sql, log, {
        topic,
        prefix: config.topicPrefix,
        to,
        group: flags.get("group"),
      });
      for (const m of moved) {
        say(
          `${config.topicPrefix}${topic} partition ${m.partition}: ${
            m.from ?? "none"
          } -> ${m.to}`,
        );
      }
    } finally {
      await log.close();
    }
  } finally {
    await db.close();
  }
  return 0;
}

try {
  Deno.exit(await main(Deno.args));
} catch (err) {
  logger("offsets").error((err as Error).message);
  Deno.exit(err instanceof ConfigError || err instanceof RangeError ? 2 : 1);
}
