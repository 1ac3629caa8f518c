/**
 * The sender: takes due rows of the outbox (`alert_deliveries`), posts each
 * to its channel and records every attempt (`alert_delivery_attempts`). A
 * row is claimed for a lease (status `sending`), so two senders never post
 * it at once and one that dies mid-send leaves it to be claimed again after
 * the lease: at least once, with the same body and `X-Alert-Delivery` id for
 * a receiver to drop a repeat by. No answer, a timeout, 408, 425, 429 or 5xx
 * is retried after a backoff that doubles from ALERT_RETRY_BASE_MS with
 * jitter (so many deliveries failing together do not retry together), up to
 * ALERT_MAX_ATTEMPTS; any other answer is final.
 */
import type { Sql } from "../db/mod.ts";
import type { AlertChannel } from "../config.ts";
import { logger } from "../log.ts";
import { type Attempt, postOnce } from "./channels.ts";

const log = logger("alerts");
/** The longest wait between two attempts. */
export const MAX_BACKOFF_MS = 10 * 60_000;

export interface SenderOptions {
  sql: Sql;
  channels: readonly AlertChannel[];
  timeoutMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** 0 ≤ x < 1; tests make the jitter predictable. */
  random?: () => number;
}

/**
 * Wait before attempt `attempt + 1`: base × 2^(attempt − 1), capped, of
 * which the upper half is random ("equal jitter").
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  const full = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + random() * (full / 2));
}

interface Claimed {
  delivery_id: number;
  channel: string;
  body: string;
  attempts: number;
}

async function claim(o: SenderOptions, limit: number): Promise<Claimed[]> {
  const now = new Date();
  const lease = new Date(now.getTime() + o.timeoutMs + 30_000);
  return await o.sql<Claimed[]>`
    update alert_deliveries d set status = 'sending', lease_until = ${lease},
      attempts = d.attempts + 1
    where d.delivery_id in (
      select delivery_id from alert_deliveries
      where (status = 'pending' and next_attempt_at <= ${now})
         or (status = 'sending' and lease_until < ${now})
      order by next_attempt_at, delivery_id limit ${limit}
      for update skip locked)
    returning d.delivery_id::int, d.channel, d.body, d.attempts`;
}

async function record(o: SenderOptions, d: Claimed, a: Attempt): Promise<void> {
  const final = a.ok || !a.retry || d.attempts >= o.maxAttempts;
  const status = a.ok ? "sent" : final ? "failed" : "pending";
  const next = new Date(
    Date.now() + (final ? 0 : backoffMs(d.attempts, o.retryBaseMs, o.random)),
  );
  await o.sql.begin(async (tx) => {
    await tx`
      insert into alert_delivery_attempts (delivery_id, attempt, attempted_at, http_status, error, ms)
      values (${d.delivery_id}, ${d.attempts}, now(), ${a.status}, ${a.error}, ${a.ms})
      on conflict (delivery_id, attempt) do nothing`;
    await tx`
      update alert_deliveries set status = ${status}, last_status = ${a.status},
        last_error = ${a.error}, lease_until = null, next_attempt_at = ${next},
        finished_at = ${final ? new Date() : null}
      where delivery_id = ${d.delivery_id}`;
  });
  if (!a.ok) {
    log.warn(
      final ? "alert delivery failed" : "alert delivery will be retried",
      {
        channel: d.channel,
        delivery: d.delivery_id,
        attempt: d.attempts,
        error: a.error ?? "",
      },
    );
  }
}

/** Sends one attempt of every delivery due now (up to `limit`); returns how many it tried. */
export async function deliverDue(
  o: SenderOptions,
  limit = 20,
): Promise<number> {
  const due = await claim(o, limit);
  await Promise.all(due.map(async (d) => {
    const channel = o.channels.find((c) => c.name === d.channel);
    const a: Attempt = channel
      ? await postOnce(channel, d.body, {
        timeoutMs: o.timeoutMs,
        deliveryId: d.delivery_id,
        attempt: d.attempts,
      })
      : {
        ok: false,
        status: null,
        error: `channel "${d.channel}" is no longer in ALERT_CHANNELS`,
        retry: false,
        ms: 0,
      };
    await record(o, d, a);
  }));
  return due.length;
}

/** The sender as a loop: every `pollMs`, and at once when woken. */
export interface Sender {
  /** Looks for due deliveries now (an evaluation just queued some). */
  wake(): void;
  stop(): Promise<void>;
}

/** Starts the loop; it polls at least as often as the first retry is due. */
export function startAlertSender(o: SenderOptions, pollMs = 1000): Sender {
  const every = Math.max(20, Math.min(pollMs, o.retryBaseMs / 2));
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const run = () => {
    if (stopped) return;
    if (running) return void (again = true);
    running = (async () => {
      do {
        again = false;
        while (!stopped && await deliverDue(o) > 0) { /* drain what is due */ }
      } while (again && !stopped);
    })().catch((err) => log.warn("cannot send alerts", { error: err }))
      .finally(() => (running = null));
  };
  const timer = setInterval(run, every);
  return {
    wake: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** What a test message did. */
export interface TestResult {
  delivery_id: number;
  channel: string;
  delivered: boolean;
  status: number | null;
  error: string | null;
  ms: number;
}

/**
 * Sends a test message to `channel` now, once (no retries: the person who
 * asked is waiting for the answer), recorded in the delivery log.
 */
export async function sendTest(
  o: SenderOptions,
  channel: AlertChannel,
  body: string,
): Promise<TestResult> {
  const [row] = await o.sql<{ id: number }[]>`
    insert into alert_deliveries (channel, kind, body, status, attempts, next_attempt_at)
    values (${channel.name}, 'test', ${body}, 'sending', 1, now())
    returning delivery_id::int as id`;
  const id = row!.id;
  const a = await postOnce(channel, body, {
    timeoutMs: o.timeoutMs,
    deliveryId: id,
    attempt: 1,
  });
  await record({ ...o, maxAttempts: 1 }, {
    delivery_id: id,
    channel: channel.name,
    body,
    attempts: 1,
  }, a);
  return {
    delivery_id: id,
    channel: channel.name,
    delivered: a.ok,
    status: a.status,
    error: a.error,
    ms: a.ms,
  };
}
