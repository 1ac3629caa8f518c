/**
 * Analytics under load (issue 16, item 6): `until=` values that differ by
 * seconds share one report instead of one full scan each, and reports beyond
 * ANALYTICS_MAX_CONCURRENT wait briefly and then get a 503 that says so.
 */
import { deepStrictEqual as assertEquals, rejects } from "node:assert/strict";
import { FUNNEL_CLICKS } from "./analytics_data.ts";
import { dbTest } from "./harness/db.ts";
import {
  analyticsApp,
  getJson,
  insertClicks,
  withModels,
} from "./analytics_fixtures.ts";
import { ReportCache } from "../lib/web/report_cache.ts";
import type { Sql } from "../lib/db/mod.ts";

/** `sql` that counts the statements and transactions started on it. */
function counting(sql: Sql): { sql: Sql; calls: () => number } {
  let n = 0;
  const proxy = new Proxy(sql, {
    apply(target, self, args) {
      n++;
      return Reflect.apply(target, self, args);
    },
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== "begin" || typeof v !== "function") return v;
      return (...args: unknown[]) => (n++, v.apply(target, args));
    },
  });
  return { sql: proxy, calls: () => n };
}

dbTest(
  "analytics limits - until= values within one minute share one report: one transaction, not a scan each",
  async (db) => {
    await withModels(db.sql, () => insertClicks(db.sql, FUNNEL_CLICKS));
    const { sql, calls } = counting(db.sql);
    const app = analyticsApp(sql);
    const windows = [];
    for (const s of ["05", "17", "42", "59"]) {
      const r = await getJson<{ window: { to: string } }>(
        app,
        `/api/analytics/funnel?hours=24&until=2026-01-05T12:00:${s}Z`,
      );
      windows.push(r.window.to);
    }
    assertEquals(new Set(windows), new Set(["2026-01-05T12:00:00.000Z"]));
    assertEquals(calls(), 1, "one report for the four requests");
  },
);

Deno.test("analytics limits - past ANALYTICS_MAX_CONCURRENT a report waits, and past the queue it is a 503 that says so", async () => {
  const cache = new ReportCache({
    maxEntries: 2,
    maxConcurrent: 1,
    maxQueued: 1,
    queueWaitMs: 100,
  });
  let release!: () => void;
  const slow = cache.get(
    "a",
    1000,
    () => new Promise<string>((r) => (release = () => r("a"))),
  );
  const queued = cache.get("b", 1000, () => Promise.resolve("b"));
  const busy =
    /The analytics are busy: 1 reports are being computed \(ANALYTICS_MAX_CONCURRENT\); try again in a few seconds$/;
  await rejects(cache.get("c", 1000, () => Promise.resolve("c")), busy);
  await rejects(queued, busy, "the queued one gave up after queueWaitMs");
  release();
  assertEquals(await slow, "a");
  // Single flight and TTL: the same key is not computed again.
  assertEquals(await cache.get("a", 1000, () => Promise.resolve("again")), "a");
  assertEquals(cache.computed, 1);
  // Bounded: a third key pushes out the least recently used.
  await cache.get("d", 1000, () => Promise.resolve("d"));
  await cache.get("e", 1000, () => Promise.resolve("e"));
  assertEquals(await cache.get("a", 1000, () => Promise.resolve("new")), "new");
  assertEquals(cache.computed, 4);
});
