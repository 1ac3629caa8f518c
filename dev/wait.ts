/**
 * Waiting for asynchronous work (in tests, benchmarks and scripts): bounded
 * polling that fails with a message naming what it waited for.
 */
import type { Sql } from "../lib/db/mod.ts";
import type { EventLog } from "../lib/stream/log.ts";
import { isConnectionLoss } from "../lib/db/guard.ts";

/** Polls `check` every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  { timeoutMs = 60_000, everyMs = 50 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until the stored offsets of `group` reach the log end of `topic`. */
export async function untilConsumed(
  sql: Sql,
  log: EventLog,
  group: string,
  topic: string,
  opts?: { timeoutMs?: number },
): Promise<void> {
  const ends = await log.endOffsets(topic);
  const want = [...ends.values()].reduce((a, b) => a + b, 0);
  await until(`${group} to consume ${want} records of ${topic}`, async () => {
    try {
      const [r] = await sql<{ n: string }[]>`
        select coalesce(sum(next_offset), 0)::text as n from consumer_offsets
        where consumer_group = ${group} and topic = ${topic}`;
      return Number(r!.n) >= want;
    } catch (err) {
      // A test that kills connections may kill the one this probe picks up.
      if (isConnectionLoss(err)) return false;
      throw err;
    }
  }, opts);
}
