/**
 * Replaying rejected events once their cause is fixed, e.g. events for a
 * product the catalog did not have yet: `deno task rejected:replay --reason
 * unknown_product` marks the rejections (`replay_requested_at`), and a
 * processor — the process that holds the log, which with the embedded log is
 * the only one that may write to it — sends each payload to its topic again
 * and marks it `replayed_at`. The event is then validated like any other: it
 * is stored if it is valid now, rejected again (a new row) if not, and a
 * replay that runs twice stores nothing twice (rows are unique by event_id).
 */
import type { Sql } from "../db/mod.ts";
import type { EventLog, Message } from "../stream/log.ts";
import { STREAM_NAMES, STREAMS } from "../stream/topics.ts";
import { logger } from "../log.ts";

const log = logger("replay");
const RAW_TOPICS: readonly string[] = STREAM_NAMES.map((s) => STREAMS[s].topic);
const enc = new TextEncoder();

/** Which rejections to replay: a code of `rejected_events.code`, optionally one topic. */
export interface ReplayFilter {
  code: string;
  topic?: string;
}

/** Marks the matching rejections not yet replayed; returns their ids. */
export async function requestReplay(
  sql: Sql,
  f: ReplayFilter,
): Promise<number[]> {
  const topic = f.topic ?? null;
  const rows = await sql<{ id: string }[]>`
    update rejected_events set replay_requested_at = coalesce(replay_requested_at, now())
    where code = ${f.code} and superseded_at is null and replayed_at is null
      and (${topic}::text is null or topic = ${topic})
    returning id::text`;
  return rows.map((r) => Number(r.id));
}

/** How many of the rejections would be replayed (a dry run), by topic. */
export async function countReplayable(
  sql: Sql,
  f: ReplayFilter,
): Promise<{ topic: string; n: number }[]> {
  const topic = f.topic ?? null;
  return await sql<{ topic: string; n: number }[]>`
    select topic, count(*)::int as n from rejected_events
    where code = ${f.code} and superseded_at is null and replayed_at is null
      and (${topic}::text is null or topic = ${topic})
    group by topic order by topic`;
}

/** Of `ids`, how many are replayed and how many still wait. */
export async function replayProgress(
  sql: Sql,
  ids: readonly number[],
): Promise<{ replayed: number; waiting: number }> {
  const [r] = await sql<{ replayed: number; waiting: number }[]>`
    select count(*) filter (where replayed_at is not null)::int as replayed,
           count(*) filter (where replayed_at is null)::int as waiting
    from rejected_events where id = any(${ids.map(String)}::bigint[])`;
  return r!;
}

function keyOf(payload: string): string | null {
  try {
    const id = (JSON.parse(payload) as { product_id?: unknown }).product_id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/**
 * Sends up to `limit` requested rejections to their topics (under `prefix`)
 * and marks them replayed, in one transaction that holds their rows, so two
 * processors never send the same ones; returns how many it sent. A crash
 * between the send and the commit sends them again, which stores nothing
 * twice.
 */
export async function drainReplays(
  sql: Sql,
  eventLog: EventLog,
  prefix: string,
  limit = 500,
): Promise<number> {
  return await sql.begin(async (tx) => {
    const rows = await tx<{ id: string; topic: string; payload: string }[]>`
      select id::text, topic, payload from rejected_events
      where replay_requested_at is not null and replayed_at is null
      order by id limit ${limit} for update skip locked`;
    const byTopic = new Map<string, Message[]>();
    for (const r of rows) {
      if (!RAW_TOPICS.includes(r.topic)) continue;
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: keyOf(r.payload), value: enc.encode(r.payload) });
      byTopic.set(r.topic, list);
    }
    for (const [topic, messages] of byTopic) {
      await eventLog.send(prefix + topic, messages);
    }
    if (rows.length > 0) {
      await tx`
        update rejected_events set replayed_at = now()
        where id = any(${rows.map((r) => r.id)}::bigint[])`;
    }
    return rows.length;
  });
}

/** Replays requested rejections every `intervalMs` while the processor runs; returns stop. */
export function startReplays(
  sql: Sql,
  eventLog: EventLog,
  prefix: string,
  intervalMs = 2000,
): () => Promise<void> {
  let busy: Promise<void> | null = null;
  const tick = async () => {
    const [r] = await sql<{ waiting: boolean }[]>`
      select exists (select 1 from rejected_events
                     where replay_requested_at is not null and replayed_at is null) as waiting`;
    if (!r?.waiting) return;
    let sent = 0, n = 0;
    do {
      n = await drainReplays(sql, eventLog, prefix);
      sent += n;
    } while (n > 0);
    log.info("replayed rejected events", { events: sent });
  };
  const timer = setInterval(() => {
    // One round at a time: a slow round is not stacked on by the next tick.
    busy ??= tick().catch((err) =>
      log.warn("cannot replay rejected events", { error: err })
    ).finally(() => (busy = null));
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await busy;
  };
}
