/**
 * `/api/live`: Server-Sent Events from the one shared {@linkcode LiveFeed}.
 * Every open page gets the same pre-encoded snapshot text.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { LiveFeed, LiveMessage } from "../lib/web/live.ts";

const HEARTBEAT_MS = 15_000;

export function liveRoutes(feed: LiveFeed): Hono {
  return new Hono().get("/api/live", (c) => {
    c.header("Cache-Control", "no-store");
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, async (stream) => {
      const queue: LiveMessage[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = feed.subscribe((m) => {
        queue.push(m);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      const heartbeat = setInterval(
        () => stream.write(": keep-alive\n\n").catch(() => {}),
        HEARTBEAT_MS,
      );
      try {
        await stream.write("retry: 2000\n\n");
        while (!stream.aborted && !stream.closed) {
          const m = queue.shift();
          if (m?.event === "close") break;
          if (m) {
            await stream.writeSSE({ event: m.event, data: m.data });
            continue;
          }
          await new Promise<void>((r) => (wake = r));
          wake = null;
        }
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  });
}
