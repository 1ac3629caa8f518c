/**
 * Metrics on real Apache Kafka (as in compose.yaml): the lag is read from the
 * broker's end offsets, and the consumed counter follows what was produced.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { kafkaTest, waitUntil } from "./harness/kafka_env.ts";
import { freePort } from "../dev/ports.ts";
import { sampleValue } from "./harness/prometheus.ts";
import { loadConfig } from "../lib/config.ts";
import { startRuntime } from "../workers/runtime.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { STREAMS } from "../lib/stream/topics.ts";

kafkaTest(
  "metrics - on Kafka, the processor's consumed counter reaches what was produced and its lag drains to zero",
  async ({ db, brokers, prefix }) => {
    const dir = await Deno.makeTempDir({ prefix: "metrics-kafka-" });
    const runtime = await startRuntime(loadConfig({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: brokers,
      TOPIC_PREFIX: prefix,
      DATA_DIR: dir,
      ROLE: "processor",
      HOST: "127.0.0.1",
      METRICS_PORT: String(freePort()),
      STATS_INTERVAL_MS: "0",
      DB_POOL_MAX: "4",
    }));
    try {
      const topic = STREAMS.inventory.topic;
      const sim = new ShopSimulator({ seed: "metrics-kafka" });
      const events = Array.from(
        { length: 40 },
        () => sim.make("inventory", Date.now()),
      );
      await runtime.log!.send(
        prefix + topic,
        events.map((e) => ({ key: e.product_id, value: JSON.stringify(e) })),
      );
      const url = runtime.metricsServer!.url;
      let text = "";
      await waitUntil(
        "the 40 events are counted and the lag is zero",
        async () => {
          text = await fetch(url).then((r) => r.text());
          const consumed = sampleValue(
            text,
            "ecommerce_events_consumed_total",
            { topic },
          );
          return consumed === 40 &&
            sampleValue(text, "ecommerce_consumer_lag_messages", { topic }) ===
              0;
        },
      );
      assertEquals(
        sampleValue(text, "ecommerce_log_end_offset", { topic }),
        40,
      );
      assertEquals(
        sampleValue(text, "ecommerce_consumer_offset", { topic }),
        40,
      );
      // One series per partition of the topic as Kafka holds it.
      const partitions = [...text.matchAll(
        new RegExp(
          `^ecommerce_consumer_lag_messages\\{topic="${topic}",partition="(\\d+)"\\}`,
          "gm",
        ),
      )].map((m) => Number(m[1])).sort();
      assertEquals(partitions, [0, 1, 2]);
    } finally {
      await runtime.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
