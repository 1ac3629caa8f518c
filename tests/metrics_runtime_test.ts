/**
 * Metrics of a running app: events produced to the log, consumed by the
 * processor role and counted at /metrics (web role) or on METRICS_PORT
 * (no web role); and a real Prometheus scraping it.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { dbTest, type TestDb } from "./harness/db.ts";
import { checkMetrics, startPrometheus } from "../dev/prometheus.ts";
import { freePort } from "../dev/ports.ts";
import { sampleValue, toolDbTest } from "./harness/prometheus.ts";
import { loadConfig } from "../lib/config.ts";
import { type Runtime, startRuntime } from "../workers/runtime.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { STREAMS } from "../lib/stream/topics.ts";

/** Starts the app in this process on `db` with its own topics and data folder. */
async function start(
  db: TestDb,
  env: Record<string, string>,
): Promise<App> {
  const dir = await Deno.makeTempDir({ prefix: "metrics-app-" });
  const prefix = `t${crypto.randomUUID().slice(0, 8)}_`;
  const config = loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: dir,
    TOPIC_PREFIX: prefix,
    HOST: "127.0.0.1",
    PORT: "0",
    METRICS_PORT: "0",
    STATS_INTERVAL_MS: "0",
    BATCH_WAIT_MS: "20",
    DB_POOL_MAX: "4",
    ...env,
  });
  return { runtime: await startRuntime(config), dir, prefix };
}

interface App {
  runtime: Runtime;
  dir: string;
  prefix: string;
}

async function stop(app: App): Promise<void> {
  await app.runtime.stop();
  await Deno.remove(app.dir, { recursive: true }).catch(() => {});
}

/** Produces `n` valid clickstream events to the app's log. */
async function produce({ runtime, prefix }: App, n: number) {
  const sim = new ShopSimulator({ seed: "metrics-runtime" });
  const events = Array.from(
    { length: n },
    () => sim.make("clickstream", Date.now()),
  );
  await runtime.log!.send(
    prefix + STREAMS.clickstream.topic,
    events.map((e) => ({
      key: e.product_id ?? e.user_id,
      value: JSON.stringify(e),
    })),
  );
}

/** Polls `probe` until it returns true; fails with `what` after a generous minute. */
async function eventually(what: string, probe: () => Promise<boolean>) {
  for (let i = 0; i < 600; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Gave up waiting: ${what}`);
}

const scrape = (url: string) => fetch(url).then((r) => r.text());
const topic = STREAMS.clickstream.topic;

toolDbTest(
  "metrics - a running app counts the events it consumes at /metrics on the web server",
  ["promtool"],
  async (db) => {
    const app = await start(db, { ROLE: "processor,web" });
    try {
      const { runtime } = app;
      assertEquals(
        runtime.metricsServer,
        undefined,
        "the web server serves /metrics itself",
      );
      const url = `${runtime.web!.url}/metrics`;
      await produce(app, 50);
      let text = "";
      await eventually(
        "50 accepted clickstream events at /metrics",
        async () => {
          text = await scrape(url);
          return sampleValue(text, "ecommerce_events_consumed_total", {
            topic,
            outcome: "accepted",
          }) === 50;
        },
      );
      const verdict = await checkMetrics(text);
      assert(verdict.ok, `promtool rejected the output:\n${verdict.output}`);
      assertEquals(
        sampleValue(text, "ecommerce_event_to_row_latency_seconds_count", {
          topic,
        }),
        50,
      );
      // Every event produced is consumed: the lag drains to zero on every partition.
      await eventually("the clickstream lag to reach 0", async () => {
        text = await scrape(url);
        return sampleValue(text, "ecommerce_consumer_lag_messages", {
              topic,
            }) === 0 &&
          sampleValue(text, "ecommerce_log_end_offset", { topic }) === 50;
      });
    } finally {
      await stop(app);
    }
  },
);

dbTest(
  "metrics port - a process without the web role serves /metrics on METRICS_PORT, bound to HOST",
  async (db) => {
    const port = freePort();
    const app = await start(db, {
      ROLE: "processor",
      METRICS_PORT: String(port),
    });
    try {
      const { runtime } = app;
      assertEquals(runtime.web, undefined);
      assertEquals(
        runtime.metricsServer?.url,
        `http://127.0.0.1:${port}/metrics`,
      );
      const res = await fetch(runtime.metricsServer!.url);
      assertEquals(res.status, 200);
      const text = await res.text();
      assertEquals(sampleValue(text, "ecommerce_db_up"), 1);
      assert(
        sampleValue(text, "ecommerce_consumer_lag_messages", { topic }) !==
          undefined,
      );
      const other = await fetch(`http://127.0.0.1:${port}/`);
      assertEquals(other.status, 404);
      await other.body?.cancel();
    } finally {
      await stop(app);
    }
  },
);

dbTest(
  "metrics port - METRICS_PORT=0 turns the metrics-only server off",
  async (db) => {
    const app = await start(db, { ROLE: "processor", METRICS_PORT: "0" });
    try {
      assertEquals(app.runtime.metricsServer, undefined);
      assertEquals(app.runtime.web, undefined);
    } finally {
      await stop(app);
    }
  },
);

toolDbTest(
  "prometheus - a real Prometheus scrapes the app and its API returns the consumed-events series",
  ["prometheus"],
  async (db) => {
    const port = freePort();
    const app = await start(db, {
      ROLE: "processor",
      METRICS_PORT: String(port),
    });
    let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
    try {
      await produce(app, 30);
      prometheus = await startPrometheus([`127.0.0.1:${port}`]);
      const prom = prometheus;
      let result: Awaited<ReturnType<typeof prom.query>> = [];
      await eventually(
        "Prometheus to hold 30 accepted clickstream events",
        async () => {
          result = await prom.query(
            `ecommerce_events_consumed_total{topic="${topic}",outcome="accepted"}`,
          );
          return result.length === 1 && result[0]!.value[1] === "30";
        },
      );
      assertEquals(result[0]!.metric.job, "app");
      assertEquals(result[0]!.metric.instance, `127.0.0.1:${port}`);
      const up = await prom.query("up");
      assertEquals(up.map((s) => s.value[1]), ["1"]);
    } finally {
      await prometheus?.stop();
      await stop(app);
    }
  },
);
