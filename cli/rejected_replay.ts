/**
 * `deno task rejected:replay --reason unknown_product [--topic T] [--dry-run] [--wait 30s]`:
 * sends rejected events back through their topic once their cause is fixed
 * (see lib/ingest/replay.ts). A running processor does the sending, since it
 * holds the log; this waits until it has, or until `--wait` is over. Exit 0
 * replayed (or nothing to replay), 1 some still waiting (no processor
 * running?), 2 cannot run.
 */
import { ConfigError, loadConfig, parseArgs } from "../lib/config.ts";
import { complain, configureLog, say } from "../lib/log.ts";
import { openPlatformDatabase } from "../workers/database.ts";
import { REJECTION_CODES } from "../lib/events/schema.ts";
import {
  countReplayable,
  replayProgress,
  requestReplay,
} from "../lib/ingest/replay.ts";

const CODES: readonly string[] = Object.values(REJECTION_CODES);
const USAGE =
  `Usage: deno task rejected:replay --reason CODE [--topic T] [--dry-run] [--wait 30s]

Sends the rejected events with reason CODE (${
    CODES.join(", ")
  }) to their topic again, e.g. after a catalog import added the product
they named; a running processor sends them and they are validated afresh.

  --topic T    only rejections of topic T (e.g. raw.clickstream)
  --dry-run    count them, change nothing
  --wait D     how long to wait for the processor (default 30s; 0 = do not wait)`;

function waitMs(raw: string | undefined): number {
  if (raw === undefined) return 30_000;
  const m = /^(\d+)(ms|s|m)?$/.exec(raw);
  if (!m) {
    throw new ConfigError(
      `Cannot read option "--wait": expected a duration such as 30s or 2m, got "${raw}"`,
    );
  }
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 }[m[2] ?? "s"] ?? 1000);
}

async function main(args: readonly string[]): Promise<number> {
  const { flags } = parseArgs(args);
  if (flags.has("help")) return (say(USAGE), 0);
  const code = flags.get("reason");
  let db, wait;
  try {
    if (!code || !CODES.includes(code)) {
      throw new ConfigError(
        `Cannot replay: "--reason" must be one of ${CODES.join(", ")}${
          code && code !== "true" ? `, got "${code}"` : ""
        }`,
      );
    }
    wait = waitMs(flags.get("wait"));
    const config = loadConfig(Deno.env.toObject(), args, [
      "reason",
      "topic",
      "dry-run",
      "wait",
    ]);
    configureLog({ level: "warn", format: config.logFormat });
    db = await openPlatformDatabase(config, { tool: true });
  } catch (err) {
    complain((err as Error).message);
    return 2;
  }
  try {
    const filter = { code, topic: flags.get("topic") };
    if (flags.has("dry-run")) {
      const counts = await countReplayable(db.sql, filter);
      for (const c of counts) say(`${c.topic}: ${c.n} to replay`);
      say(
        counts.length ? "Dry run: nothing was changed." : "Nothing to replay.",
      );
      return 0;
    }
    const ids = await requestReplay(db.sql, filter);
    if (ids.length === 0) return (say("Nothing to replay."), 0);
    say(`${ids.length} rejected events with reason ${code} queued for replay`);
    return await follow(db.sql, ids, wait);
  } finally {
    await db.close().catch(() => {});
  }
}

/** Waits until a processor has sent every queued event, or `wait` ms pass. */
async function follow(
  sql: Parameters<typeof replayProgress>[0],
  ids: number[],
  wait: number,
): Promise<number> {
  const end = Date.now() + wait;
  let p = await replayProgress(sql, ids);
  while (p.waiting > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    p = await replayProgress(sql, ids);
  }
  if (p.waiting === 0) {
    say(`Replayed ${p.replayed}: the processors validate them again now.`);
    return 0;
  }
  say(
    `${p.replayed} replayed, ${p.waiting} still queued: a processor sends them when one runs`,
  );
  return 1;
}

Deno.exit(await main(Deno.args));
