/**
 * The shared live feed: one snapshot query per burst of commits is written
 * to every open page; `/api/live` streams it as Server-Sent Events; a process
 * without consumers hears commits through PostgreSQL LISTEN/NOTIFY.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { until } from "../dev/wait.ts";
import { ingest } from "./harness/web_seed.ts";
import { seededEvents } from "./harness/events.ts";
import { webApp } from "./harness/web_app.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { LiveFeed, type LiveMessage } from "../lib/web/live.ts";
import { deserializeProps } from "../lib/islands/serialize.ts";
import type { LiveSnapshot } from "../lib/dashboard/types.ts";

const snapshotOf = (m: LiveMessage) =>
  deserializeProps(m.data) as unknown as LiveSnapshot;
const hasEvent = (m: LiveMessage | undefined, id: string) =>
  m?.event === "snapshot" && snapshotOf(m).recent.some((e) => e.eventId === id);

/** Reads SSE events from a response body. */
class SseReader {
  events: { event: string; data: string }[] = [];
  #buf = "";
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #done: Promise<void>;
  constructor(res: Response) {
    this.#reader = res.body!.getReader();
    this.#done = this.#pump();
  }
  async #pump() {
    const dec = new TextDecoder();
    for (;;) {
      const { value, done } = await this.#reader.read().catch(() => ({
        value: undefined,
        done: true,
      }));
      if (done) return;
      this.#buf += dec.decode(value, { stream: true });
      let at;
      while ((at = this.#buf.indexOf("\n\n")) >= 0) {
        const block = this.#buf.slice(0, at);
        this.#buf = this.#buf.slice(at + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = [...block.matchAll(/^data: (.*)$/gm)].map((m) => m[1])
          .join("\n");
        if (event) this.events.push({ event, data });
      }
    }
  }
  async close() {
    await this.#reader.cancel().catch(() => {});
    await this.#done;
  }
}

dbTest(
  "live feed - a commit reaches every open page from one shared snapshot query",
  async ({ sql }) => {
    const bus = new CommitBus();
    const feed = new LiveFeed({
      sql,
      bus,
      lowStockThreshold: 20,
      listen: false,
      minIntervalMs: 200,
    });
    const got: LiveMessage[][] = Array.from({ length: 25 }, () => []);
    const unsubs = got.map((list) => feed.subscribe((m) => list.push(m)));
    try {
      await until(
        "every page to get the first snapshot",
        () => got.every((l) => l.length === 1),
        { timeoutMs: 15_000 },
      );
      assertEquals(feed.refreshes, 1, "25 pages opened, one query");
      const events = seededEvents("clickstream", 3, "live-feed");
      for (const e of events) {
        bus.publish(await ingest(sql, "clickstream", [e]));
      }
      const last = events[events.length - 1]!.event_id;
      await until(
        "every page to see the newest event",
        () => got.every((l) => hasEvent(l.at(-1), last)),
        { timeoutMs: 15_000 },
      );
      ok(
        feed.refreshes <= 3,
        `three commits, 25 pages: ${feed.refreshes} queries`,
      );
      const texts = new Set(got.map((l) => l.at(-1)!.data));
      assertEquals(texts.size, 1, "every page got the same encoded snapshot");
      const snap = snapshotOf(got[0]!.at(-1)!);
      ok(snap.kpis.at instanceof Date, "dates survive the trip");
      const [db] = await sql<
        { n: number }[]
      >`select count(*)::int as n from clickstream_events`;
      assertEquals(db!.n, 3);
      assertEquals(
        snap.recent.length,
        3,
        "the snapshot lists what was committed",
      );
    } finally {
      unsubs.forEach((u) => u());
      await feed.close();
    }
  },
);

dbTest(
  "live feed - /api/live streams snapshots as Server-Sent Events",
  async ({ sql }) => {
    const { app, bus } = webApp(sql);
    const res = await app.request("/api/live");
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    const a = new SseReader(res),
      b = new SseReader(await app.request("/api/live"));
    try {
      await until(
        "the first snapshot",
        () => a.events.length > 0 && b.events.length > 0,
        { timeoutMs: 15_000 },
      );
      const [e] = seededEvents("clickstream", 1, "sse");
      bus.publish(await ingest(sql, "clickstream", [e!]));
      const seen = (r: SseReader) =>
        r.events.some((m) =>
          m.event === "snapshot" && m.data.includes(e!.event_id)
        );
      await until(
        "both streams to carry the new event",
        () => seen(a) && seen(b),
        { timeoutMs: 15_000 },
      );
    } finally {
      await a.close();
      await b.close();
    }
  },
);

dbTest(
  "live feed - a web-only process hears commits through LISTEN/NOTIFY",
  async ({ sql }) => {
    // No one publishes on this bus, and the watermark check is effectively off: only NOTIFY can tell.
    const feed = new LiveFeed({
      sql,
      bus: new CommitBus(),
      lowStockThreshold: 20,
      listen: true,
      minIntervalMs: 100,
      watermarkMs: 3_600_000,
    });
    const got: LiveMessage[] = [];
    const unsub = feed.subscribe((m) => got.push(m));
    try {
      await until("the first snapshot", () => got.length > 0, {
        timeoutMs: 15_000,
      });
      // LISTEN is set up asynchronously; commit until one is heard.
      const [e] = seededEvents("clickstream", 1, "notify");
      await ingest(sql, "clickstream", [e!]);
      await until(
        "the NOTIFY-driven snapshot",
        () => hasEvent(got.at(-1), e!.event_id),
        { timeoutMs: 15_000 },
      );
    } finally {
      unsub();
      await feed.close();
    }
  },
);

dbTest(
  "live feed - without NOTIFY (PGlite's socket) the offsets watermark still brings commits",
  async ({ sql }) => {
    const feed = new LiveFeed({
      sql,
      bus: new CommitBus(),
      lowStockThreshold: 20,
      listen: true,
      minIntervalMs: 100,
      watermarkMs: 200,
    });
    const got: LiveMessage[] = [];
    const unsub = feed.subscribe((m) => got.push(m));
    try {
      await until("the first snapshot", () => got.length > 0, {
        timeoutMs: 30_000,
      });
      // Let the first watermark be read before committing.
      await new Promise((r) => setTimeout(r, 500));
      const [e] = seededEvents("clickstream", 1, "watermark");
      await ingest(sql, "clickstream", [e!]);
      await until(
        "the watermark-driven snapshot",
        () => hasEvent(got.at(-1), e!.event_id),
        { timeoutMs: 30_000 },
      );
    } finally {
      unsub();
      await feed.close();
    }
  },
  ["pglite"],
);

dbTest(
  "live feed - the web server stops while pages still hold live streams open",
  async ({ sql }) => {
    const { serve } = await import("../workers/web.ts");
    const { web } = webApp(sql);
    const server = serve(web, { host: "127.0.0.1", port: 0 });
    const res = await fetch(`${server.url}/api/live`);
    const reader = new SseReader(res);
    await until("the first snapshot", () => reader.events.length > 0, {
      timeoutMs: 15_000,
    });
    await server.stop(); // would wait forever if the open stream were not ended
    await reader.close();
  },
);
