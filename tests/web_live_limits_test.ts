/**
 * Web resource limits of the live feed (issue 16, item 6): a cap on open
 * streams, and a client that stops reading is dropped instead of growing a
 * queue on the server.
 */
import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
} from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { until } from "../dev/wait.ts";
import { CommitBus, type CommitSummary } from "../lib/feed/bus.ts";
import { LiveFeed } from "../lib/web/live.ts";
import { liveRoutes } from "../routes/live.ts";
import type { Sql } from "../lib/db/mod.ts";

const commit: CommitSummary = {
  stream: "clickstream",
  topic: "raw.clickstream",
  accepted: 1,
  duplicates: 0,
  rejected: 0,
  refused: 0,
  batchSize: 1,
  commitMs: 1,
  latenciesMs: [],
  committedAt: 0,
};

function feedOn(sql: Sql, bus: CommitBus): LiveFeed {
  return new LiveFeed({
    sql,
    bus,
    lowStockThreshold: 20,
    listen: false,
    minIntervalMs: 5,
  });
}

dbTest(
  "live limits - past LIVE_MAX_SUBSCRIBERS a page gets a 503 that says so",
  async ({ sql }) => {
    const bus = new CommitBus();
    const feed = feedOn(sql, bus);
    const app = liveRoutes(feed, { maxSubscribers: 2, writeTimeoutMs: 5000 });
    const open = [
      await app.request("/api/live"),
      await app.request("/api/live"),
    ];
    await until("two streams are open", () => feed.subscribers === 2);
    const third = await app.request("/api/live");
    assertEquals(third.status, 503);
    assertEquals(third.headers.get("Retry-After"), "10");
    assertMatch(
      (await third.json()).error,
      /^Cannot open the live feed: 2 viewers are connected, the most LIVE_MAX_SUBSCRIBERS allows/,
    );
    for (const r of open) await r.body?.cancel();
    await feed.close();
  },
);

dbTest(
  "live limits - a client that stops reading is dropped after LIVE_WRITE_TIMEOUT_MS while one that reads keeps its stream",
  async ({ sql }) => {
    const bus = new CommitBus();
    const feed = feedOn(sql, bus);
    const app = liveRoutes(feed, { maxSubscribers: 10, writeTimeoutMs: 300 });
    const stalled = await app.request("/api/live"); // never read
    const reader = (await app.request("/api/live")).body!.getReader();
    let chunks = 0;
    const reading = (async () => {
      while (!(await reader.read()).done) chunks++;
    })().catch(() => {});
    await until("both are subscribed", () => feed.subscribers === 2);
    const pump = setInterval(() => bus.publish(commit), 20);
    try {
      await until("the stalled client is dropped", () => feed.dropped === 1, {
        timeoutMs: 10_000,
      });
      const before = chunks;
      await until(
        "the reading client still gets snapshots",
        () => chunks > before + 2,
      );
      assertEquals(feed.subscribers, 1);
    } finally {
      clearInterval(pump);
      await reader.cancel();
      await reading;
      await stalled.body?.cancel().catch(() => {});
      await feed.close();
    }
  },
);
