/**
 * `/api/live`: Server-Sent Events from the one shared {@linkcode LiveFeed}.
 * Every open page gets the same pre-encoded snapshot text.
 *
 * Bounded: at most `maxSubscribers` streams are open (more get a 503 that
 * says so, and the page retries); each stream keeps only the newest message
 * waiting (a snapshot replaces the one before, so a slow reader never grows a
 * queue); and a client that has not taken a write within `writeTimeoutMs` is
 * dropped (its page reconnects when it can read again).
 */
import { Hono } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { LiveFeed, LiveMessage } from "../lib/web/live.ts";
import { logger } from "../lib/log.ts";

const log = logger("live");
const HEARTBEAT_MS = 15_000;

export interface LiveLimits {
  /** LIVE_MAX_SUBSCRIBERS. */
  maxSubscribers: number;
  /** LIVE_WRITE_TIMEOUT_MS. */
  writeTimeoutMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxSubscribers: 200,
  writeTimeoutMs: 10_000,
};

/** Runs `write`; false when the client has not taken it within `ms`. */
async function writeWithin(
  write: () => Promise<unknown>,
  ms: number,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(r, ms, false)));
  try {
    return await Promise.race([write().then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ends the stream of a client that stopped reading, and counts it. */
function drop(feed: LiveFeed, stream: SSEStreamingApi, limits: LiveLimits) {
  feed.noteDropped();
  log.warn("dropped a live-feed client that stopped reading", {
    timeout_ms: limits.writeTimeoutMs,
  });
  stream.abort();
}

/** Streams the feed to one client until it leaves, is too slow, or the feed closes. */
async function pump(
  feed: LiveFeed,
  stream: SSEStreamingApi,
  limits: LiveLimits,
): Promise<void> {
  const waiting: { next: LiveMessage | null } = { next: null };
  let wake: (() => void) | null = null;
  const unsubscribe = feed.subscribe((m) => {
    waiting.next = m; // the newest replaces whatever is still waiting
    wake?.();
  });
  stream.onAbort(() => {
    unsubscribe();
    wake?.();
  });
  try {
    let ok = await writeWithin(
      () => stream.write("retry: 2000\n\n"),
      limits.writeTimeoutMs,
    );
    while (ok && !stream.aborted && !stream.closed) {
      const m = waiting.next;
      waiting.next = null;
      if (m?.event === "close") break;
      if (m) {
        const { event, data } = m;
        ok = await writeWithin(
          () => stream.writeSSE({ event, data }),
          limits.writeTimeoutMs,
        );
        continue;
      }
      const woken = await new Promise<boolean>((r) => {
        const timer = setTimeout(r, HEARTBEAT_MS, false);
        wake = () => (clearTimeout(timer), r(true));
      });
      wake = null;
      if (!woken) {
        ok = await writeWithin(
          () => stream.write(": keep-alive\n\n"),
          limits.writeTimeoutMs,
        );
      }
    }
    if (!ok) drop(feed, stream, limits);
  } finally {
    unsubscribe();
  }
}

export function liveRoutes(
  feed: LiveFeed,
  limits: LiveLimits = DEFAULT_LIVE_LIMITS,
): Hono {
  return new Hono().get("/api/live", (c) => {
    c.header("Cache-Control", "no-store");
    if (feed.subscribers >= limits.maxSubscribers) {
      feed.noteRefused();
      c.header("Retry-After", "10");
      return c.json({
        error:
          `Cannot open the live feed: ${limits.maxSubscribers} viewers are connected, the most LIVE_MAX_SUBSCRIBERS allows; try again later`,
        status: 503,
      }, 503);
    }
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, (stream) => pump(feed, stream, limits));
  });
}
